// Real renders at 16:9, 9:16, 1:1 and 4:5 checked for the text defects a viewer sees: the
// video's offline cards (drawn by visuals/card.ts without their title), the render spec the
// timeline builds from them, rendered by the real worker process, then frames read back.
// - the opening title is drawn once: Tesseract reads the title's words once on its frame, and
//   not the first card's title, which waits until the opening title has gone;
// - a frame in the middle of every transition shows at most one title (the cards' titles
//   leave before each transition);
// - every drawn text (title, card title, lower third, captions) stays inside the safe area:
//   its ink, found by comparing the frame with the still under it (no motion here), keeps
//   5 % of the short side from the left, right and top edges and 12 % of the height from the
//   bottom (a player's controls);
// - a long card title is fitted, never cut: its last word is on the frame, and no text the
//   worker is handed ends with an ellipsis.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import sharp from "sharp";
import { computeTiming, renderSpecSchema } from "@aura/render-contract";
import { ocr } from "../../render-worker/test/helpers/ocr.ts";
import { renderOnWorker } from "../../server/pipeline/render/worker-client.ts";
import { writeOfflineScript } from "../../server/pipeline/script/offline-writer.ts";
import { buildRenderSpec, type SceneMedia } from "../../server/pipeline/timeline/build-spec.ts";
import { drawCardPng, drawIllustrationPng } from "../../server/pipeline/visuals/card.ts";
import { ASPECT_RATIOS, briefSchema, videoSize } from "../../server/videos/brief.ts";
import { startRenderWorker } from "../helpers/render-worker.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "aura-render-defects-"));
const storage = path.join(dir, "storage");
const SECRET = "render-defects-secret-0123456789";
let worker: Awaited<ReturnType<typeof startRenderWorker>>;
before(async () => {
  worker = await startRenderWorker({ storageDir: storage, secret: SECRET, tmpDir: path.join(dir, "tmp") });
});
after(async () => {
  await worker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Words the narration (and so the captions) never says, so that what OCR reads of them is a title. */
const TITLE = "Silver Beacons";
/** Scene titles: a card, an illustrated card with a title too long for one line (it used to be
 *  cut with an ellipsis), and a photograph (no card: it gets a lower third). */
const SCENES = ["Copper Morning", "Lighthouse keepers kept the lamps burning through every storm of the long northern winter nights", "Violet Evening"];
const ART = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><circle cx="50" cy="50" r="40" fill="#f59e0b"/></svg>`;

function put(key: string, bytes: Buffer) {
  const file = path.join(storage, key);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, bytes);
  return file;
}

function run(command: string, args: string[]) {
  const result = spawnSync(command, args, { encoding: "utf8" });
  assert.equal(result.status, 0, `${command} ${args.join(" ")}: ${result.stderr}`);
}

/** The frame at `sec` of a video, as a PNG. */
function frameAt(video: string, sec: number, name: string) {
  const out = path.join(dir, `${name}.png`);
  run("ffmpeg", ["-v", "error", "-y", "-ss", sec.toFixed(3), "-i", video, "-frames:v", "1", out]);
  return out;
}

/** The bounding box of what was drawn over `still` on `frame`: pixels whose luma differs by
 *  more than 60, in rows and columns with at least 4 of them (encoding noise is far less). */
async function inkBox(frame: string, still: string, width: number, height: number) {
  const grey = async (file: string) => (await sharp(file).resize(width, height, { fit: "fill" }).greyscale().raw().toBuffer({ resolveWithObject: true })).data;
  const [a, b] = [await grey(frame), await grey(still)];
  const rows = new Array(height).fill(0);
  const cols = new Array(width).fill(0);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (Math.abs(a[y * width + x]! - b[y * width + x]!) > 60) {
        rows[y]++;
        cols[x]++;
      }
  const first = (counts: number[]) => counts.findIndex((c) => c >= 4);
  const last = (counts: number[]) => counts.findLastIndex((c) => c >= 4);
  if (first(rows) < 0) return null;
  return { left: first(cols), right: last(cols), top: first(rows), bottom: last(rows) };
}

/** How many times a word is read in OCR text (case aside; OCR may join it to its neighbours). */
const count = (text: string, word: string) => text.toLowerCase().split(word.toLowerCase()).length - 1;

async function renderAt(aspectRatio: (typeof ASPECT_RATIOS)[number]) {
  const brief = briefSchema.parse({
    topic: "Harbour lights. Ships come and go with the tide.",
    audience: "sailors",
    tone: "serious",
    targetLengthSec: 30,
    aspectRatio,
    voice: "en-gb-male",
    visualStyle: "midnight",
    music: "none",
    titles: true,
    quality: "draft",
  });
  const written = writeOfflineScript(brief);
  const script = { ...written, title: TITLE, scenes: written.scenes.slice(0, 3).map((scene, i) => ({ ...scene, title: SCENES[i]! })) };
  const { width, height } = videoSize(brief);
  const base = `w/render-defects/${aspectRatio.replace(":", "x")}`;
  const card = (i: number) => ({ title: SCENES[i]!, index: i, total: 3, style: brief.visualStyle, width, height, language: "en" });
  const plain = await drawCardPng(card(0), { title: false });
  const illustrated = await drawIllustrationPng({ ...card(1), art: ART }, { title: false });
  // A photograph: a plain gradient, no card and no title of its own.
  const photo = await sharp({ create: { width, height, channels: 3, background: "#355c7d" } })
    .png()
    .toBuffer();
  const stills = [plain.png, illustrated.png, photo].map((png, i) => ({ key: `${base}/scene-${i}.png`, file: put(`${base}/scene-${i}.png`, png) }));
  const media: SceneMedia[] = [plain.title, illustrated.title, null].map((title, i) => {
    const wav = path.join(storage, `${base}/narration-${i}.wav`);
    mkdirSync(path.dirname(wav), { recursive: true });
    // The first scene long enough for its card's title after the opening title.
    const sec = i === 0 ? 6 : 4;
    run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", `sine=f=220:d=${sec}`, "-ar", "48000", wav]);
    return {
      narrationKey: `${base}/narration-${i}.wav`,
      narrationSec: sec,
      imageKey: stills[i]!.key,
      shots: [{ kind: "image" as const, key: stills[i]!.key, width, height, ...(title ? { cardTitle: title } : {}) }],
    };
  });
  const built = buildRenderSpec({ brief, script, media, output: { video: `${base}/out.mp4`, poster: `${base}/out.jpg` } });
  // No motion: every frame's picture is its still, so what differs from it is drawn text.
  const spec = renderSpecSchema.parse({ ...built, scenes: built.scenes.map((s) => ({ ...s, motion: { kind: "none", strength: 0 } })) });
  const result = await renderOnWorker(`defects-${aspectRatio.replace(":", "x")}`, spec, "render-defects", {
    workers: async () => [worker.url],
    secret: SECRET,
    pollMs: 200,
  });
  return { spec, video: path.join(storage, result.video.key), stills: stills.map((s) => s.file) };
}

describe("no visible text defects on real renders", () => {
  for (const aspectRatio of ASPECT_RATIOS) {
    test(`${aspectRatio}: one title at a time, inside the safe area, never cut`, async () => {
      const { spec, video, stills } = await renderAt(aspectRatio);
      const { width: W, height: H } = spec;
      const name = aspectRatio.replace(":", "x");
      const timing = computeTiming(spec);
      const kinds = spec.overlays.map((o) => o.kind);
      assert.deepEqual(kinds.sort(), ["card", "card", "lower-third", "title"], "the title, two cards' titles, a lower third for the photograph");

      // The text handed to the worker: no ellipsis anywhere, the long title whole.
      for (const o of spec.overlays) assert.doesNotMatch(o.text, /…|\.\.\.$/, o.text);
      assert.ok(spec.overlays.some((o) => o.kind === "card" && o.text === SCENES[1]));

      // No two titles overlap in time, and none is drawn during a transition.
      const sorted = [...spec.overlays].sort((a, b) => a.start - b.start);
      for (const [i, o] of sorted.slice(1).entries()) assert.ok(o.start >= sorted[i]!.end, `${o.kind} "${o.text}" starts after ${sorted[i]!.kind} ends`);
      const transitions = timing.scenes.slice(1).map((s) => ({ from: s.startSec, to: s.startSec + timing.transitionFrames / spec.fps }));
      for (const o of spec.overlays.filter((o) => o.kind !== "title")) {
        for (const t of transitions) assert.ok(o.end <= t.from || o.start >= t.to, `${o.kind} "${o.text}" is off during the transition at ${t.from} s`);
      }

      // The opening title, read back: its words once, the first card's title not yet there.
      const title = spec.overlays.find((o) => o.kind === "title")!;
      const titleFrame = frameAt(video, (title.start + title.end) / 2, `${name}-title`);
      const read = ocr(titleFrame, "en");
      assert.equal(count(read, "Silver"), 1, `the title is drawn once: ${read}`);
      assert.equal(count(read, "Copper"), 0, `the first card's title waits: ${read}`);

      // The middle of every transition: at most one title on the frame.
      for (const [k, t] of transitions.entries()) {
        const text = ocr(frameAt(video, (t.from + t.to) / 2, `${name}-cut-${k}`), "en");
        const titles = [TITLE, ...SCENES].filter((words) => count(text, words.split(" ")[0]!) > 0 && count(text, words.split(" ").at(-1)!) > 0);
        assert.ok(titles.length <= 1, `transition ${k + 1} shows ${titles.length} titles: ${text}`);
      }

      // The long card title, fitted: its last word is on the frame.
      const long = spec.overlays.find((o) => o.kind === "card" && o.text === SCENES[1])!;
      const longText = ocr(frameAt(video, (long.start + long.end) / 2, `${name}-long`), "en");
      assert.ok(count(longText, "nights") === 1 && !longText.includes("…"), `the whole title: ${longText}`);

      // Every drawn text inside the safe area: each overlay at its middle (captions with it).
      const safe = Math.min(W, H) * 0.05;
      for (const [k, o] of spec.overlays.entries()) {
        const at = (o.start + o.end) / 2;
        const scene = timing.scenes.findIndex((s) => at >= s.startSec && at < s.startSec + s.durationSec);
        const box = await inkBox(frameAt(video, at, `${name}-ink-${k}`), stills[scene]!, W, H);
        assert.ok(box, `${o.kind} is drawn`);
        const where = `${aspectRatio} ${o.kind} ink ${JSON.stringify(box)} in ${W}x${H}`;
        assert.ok(box.left >= safe - 2 && box.right <= W - safe + 2 && box.top >= safe - 2, `${where}: 5% from the sides and top`);
        assert.ok(box.bottom <= H * 0.88 + 2, `${where}: above the bottom 12% (a player's controls)`);
      }
    });
  }
});
