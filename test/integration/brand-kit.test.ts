// The brand kit on the real database, store, FFmpeg and a render-worker process: an admin sets
// it (library items of the workspace only, each of its kind; a member only reads it); the
// caption font is checked by its bytes through the REST API; and videos made with it show it
// in their frames: the logo in its corner, the intro card's colour first, captions in the
// brand's colour and font; a brief may leave the kit, its logo or its music out. Deleting the
// logo from the library later leaves the video whole.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startPipelineEnvironment } from "../helpers/pipeline.ts";

const harness = await startPipelineEnvironment();
const { getDb } = await import("../../server/db/client.ts");
const { addMediaItem, removeMediaItem } = await import("../../server/library/service.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { getStore } = await import("../../server/storage/store.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const rest = await import("../../server/api/rest/brand-kit.ts");
const { callerFactory, code } = await import("../helpers/trpc.ts");
const { createOwner } = await import("../helpers/seed.ts");
const { createTestEngine } = await import("../helpers/pipeline.ts");
const { LocalStore } = await import("@aura/object-store");
const { renderSpecSchema, computeTiming } = await import("@aura/render-contract");

const db = getDb();
const as = await callerFactory(db);
const engine = await createTestEngine(harness.database.url, { name: "brand-kit" });
const storagePath = (key: string) => new LocalStore(harness.env.STORAGE_DIR).localPath(key);
const dir = mkdtempSync(path.join(os.tmpdir(), "aura-brand-fixtures-"));
const ffmpeg = (...args: string[]) => execFileSync("ffmpeg", ["-v", "error", "-nostdin", "-y", ...args]);
const SERIF = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf";

// Colours no card, caption outline or transition makes by chance.
const LOGO = [255, 0, 255] as const; // magenta
const CAPTION = "#00FF00";
const INTRO = "#FF8800";

let a = { userId: "", workspaceId: "" };
let b = { userId: "", workspaceId: "" };
let editorId = "";
let key = "";
const items = { logo: "", music: "", clip: "", otherLogo: "" };

function bodyOf(bytes: Buffer) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array(bytes));
      controller.close();
    },
  });
}
const upload = async (who: typeof a, name: string, file: string) => {
  const bytes = readFileSync(path.join(dir, file));
  return (await addMediaItem({ db, ...who }, { name, body: bodyOf(bytes), declaredBytes: bytes.length })).id;
};

before(async () => {
  ffmpeg("-f", "lavfi", "-i", "color=c=0xFF00FF:s=240x120", "-frames:v", "1", path.join(dir, "logo.png"));
  ffmpeg("-f", "lavfi", "-i", "sine=f=220:d=20", "-c:a", "libmp3lame", "-b:a", "64k", path.join(dir, "music.mp3"));
  ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", path.join(dir, "clip.mp4"));
  // Intro and outro clips, each a flat colour of its own, 2 s.
  ffmpeg("-f", "lavfi", "-i", "color=c=0x00C000:s=320x180:r=25:d=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", path.join(dir, "intro.mp4"));
  ffmpeg("-f", "lavfi", "-i", "color=c=0x0000E0:s=320x180:r=25:d=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", path.join(dir, "outro.mp4"));
  a = await createOwner(db, "brand-a");
  b = await createOwner(db, "brand-b");
  const editor = await db.user.create({ data: { email: "brand-editor@example.test" } });
  await db.membership.create({ data: { workspaceId: a.workspaceId, userId: editor.id, role: "editor" } });
  editorId = editor.id;
  key = (await as(a.userId, a.workspaceId).automation.createApiKey({ name: "brand", scopes: ["brand:read", "brand:write"] })).key;
  items.logo = await upload(a, "logo.png", "logo.png");
  items.music = await upload(a, "theme.mp3", "music.mp3");
  items.clip = await upload(a, "sting.mp4", "clip.mp4");
  items.otherLogo = await upload(b, "their-logo.png", "logo.png");
});

after(async () => {
  await engine.stop();
  await closeSender();
  await db.$disconnect();
  await harness.stop();
  rmSync(dir, { recursive: true, force: true });
});

const restCall = (handler: (r: Request) => Promise<Response>, url: string, init: RequestInit = {}) =>
  handler(new Request(`http://aura.test${url}`, { ...init, headers: { authorization: `Bearer ${key}`, ...init.headers }, duplex: "half" } as RequestInit));

/** One frame of a video as RGB bytes. */
function frameAt(file: string, sec: number, width: number, height: number) {
  const rgb = execFileSync("ffmpeg", ["-v", "error", "-ss", sec.toFixed(3), "-i", file, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], {
    maxBuffer: 64 * 1024 * 1024,
  });
  assert.equal(rgb.length, width * height * 3);
  return {
    at: (x: number, y: number) => [rgb[(y * width + x) * 3]!, rgb[(y * width + x) * 3 + 1]!, rgb[(y * width + x) * 3 + 2]!] as const,
    /** Pixels within `tolerance` of a colour in a box. */
    count(color: readonly number[], box: { x0: number; y0: number; x1: number; y1: number }, tolerance = 60) {
      let n = 0;
      for (let y = box.y0; y < box.y1; y++)
        for (let x = box.x0; x < box.x1; x++) {
          const i = (y * width + x) * 3;
          if (Math.abs(rgb[i]! - color[0]!) + Math.abs(rgb[i + 1]! - color[1]!) + Math.abs(rgb[i + 2]! - color[2]!) <= tolerance) n++;
        }
      return n;
    },
  };
}
const hex = (h: string) => [1, 3, 5].map((i) => Number.parseInt(h.slice(i, i + 2), 16));
const near = (got: readonly number[], want: readonly number[], tolerance = 40) => got.every((c, i) => Math.abs(c - want[i]!) <= tolerance);

const brief = (over: Record<string, unknown> = {}) =>
  briefSchema.parse({
    topic: "Lighthouses. Their lamps turn all night. Ships steer by them.",
    audience: "sailors",
    tone: "informative",
    targetLengthSec: 15,
    aspectRatio: "16:9",
    voice: "en-us-male",
    visualStyle: "modern",
    music: "none",
    quality: "draft",
    transition: "crossfade",
    ...over,
  });

async function render(over: Record<string, unknown> = {}) {
  const { video, job } = await createVideo({ db, ...a }, brief(over));
  await engine.runJob(job.id);
  const done = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true } });
  assert.equal(done.status, "succeeded", `${done.errorStage}: ${done.errorMessage}`);
  const ready = await db.video.findUniqueOrThrow({ where: { id: video.id }, include: { outputAsset: true } });
  const timelineKey = (done.steps.find((s) => s.stepId === "timeline")!.output as { key: string }).key;
  const spec = renderSpecSchema.parse(JSON.parse(readFileSync(storagePath(timelineKey), "utf8")));
  return { video: ready, brief: ready.brief as { brand?: unknown }, spec, file: storagePath(ready.outputAsset!.storageKey) };
}

describe("brand kit", () => {
  test("admins set it, members read it; another workspace's item is not found, an item of the wrong kind names its field", async () => {
    const owner = as(a.userId, a.workspaceId);
    const editor = as(editorId, a.workspaceId);
    const empty = await editor.brandKit.get();
    assert.equal(empty.configured, false);
    assert.equal(empty.captionColor, "#FFFFFF");

    assert.equal(await code(editor.brandKit.update({ captionColor: "#123456" })), "FORBIDDEN");
    assert.equal(await code(owner.brandKit.update({ logoItemId: items.otherLogo })), "NOT_FOUND");
    const wrongKind = await owner.brandKit.update({ musicItemId: items.logo }).catch((e: Error) => e);
    assert.match(String(wrongKind), /musicItemId: The music must be one of the library's audio files/);
    assert.equal(await code(owner.brandKit.update({ captionColor: "green" })), "BAD_REQUEST");
    assert.equal(await db.brandKit.count({ where: { workspaceId: a.workspaceId } }), 0, "nothing saved by refusals");

    const kit = await owner.brandKit.update({
      logoItemId: items.logo,
      logoPosition: "top-right",
      logoOpacity: 1,
      captionColor: "#00ff00",
      musicItemId: items.music,
    });
    assert.equal(kit.configured, true);
    assert.equal(kit.captionColor, CAPTION, "colours are stored in capitals");
    assert.deepEqual([kit.logo?.id, kit.logo?.kind, kit.music?.name], [items.logo, "image", "theme.mp3"]);
    const seen = await editor.brandKit.get();
    assert.equal(seen.logo?.id, items.logo, "members see the kit");
    assert.equal((await as(b.userId, b.workspaceId).brandKit.get()).configured, false, "the other workspace has its own");
  });

  test("REST: read and change it; the caption font is checked by its bytes, a refusal stores nothing", async () => {
    const got = await restCall(rest.getBrandKitRoute, "/api/v1/brand-kit");
    assert.equal(got.status, 200);
    assert.equal(((await got.json()) as { logo: { id: string } }).logo.id, items.logo);

    const put = await restCall(rest.updateBrandKitRoute, "/api/v1/brand-kit", {
      method: "PUT",
      body: JSON.stringify({ outroItemId: items.otherLogo }),
      headers: { "content-type": "application/json" },
    });
    assert.equal(put.status, 404, "another workspace's item");

    const brandKeys = async () => (await getStore()).list(`workspaces/${a.workspaceId}/brand`);
    const png = readFileSync(path.join(dir, "logo.png"));
    const refused = await restCall(rest.uploadBrandFontRoute, "/api/v1/brand-kit/font?name=Brand.ttf", { method: "POST", body: png });
    assert.equal(refused.status, 400);
    assert.match(((await refused.json()) as { error: string }).error, /Brand\.ttf: it is a PNG picture, not a TrueType or OpenType font/);
    const cut = await restCall(rest.uploadBrandFontRoute, "/api/v1/brand-kit/font?name=Cut.ttf", {
      method: "POST",
      body: readFileSync(SERIF).subarray(0, 5000),
    });
    assert.equal(cut.status, 400);
    assert.deepEqual(await brandKeys(), [], "nothing stored for refused fonts");

    const set = await restCall(rest.uploadBrandFontRoute, "/api/v1/brand-kit/font?name=DejaVuSerif.ttf", { method: "POST", body: readFileSync(SERIF) });
    assert.equal(set.status, 200);
    const kit = (await set.json()) as { font: { family: string; fileName: string } };
    assert.deepEqual(kit.font, { family: "DejaVu Serif", fileName: "DejaVuSerif.ttf" });
    assert.equal((await brandKeys()).length, 1);
  });

  test("a video made with the kit shows its logo in the corner and captions in its colour and font, with its music", async () => {
    const { spec, file, brief: stored } = await render({ captions: true });
    assert.deepEqual(stored.brand, { use: true, music: "kit", logo: true }, "a new brief uses the kit by default");
    const base = `workspaces/${a.workspaceId}/videos/`;
    assert.equal(spec.watermark?.source.kind, "image");
    const logoKey = spec.watermark?.source.kind === "image" ? spec.watermark.source.key : "";
    assert.ok(logoKey.startsWith(base), "the logo is the video's own copy");
    assert.equal(spec.watermark?.position, "top-right");
    assert.equal(spec.captions.style.color, CAPTION);
    assert.equal(spec.captions.style.fontFamily, "DejaVu Serif");
    assert.ok(spec.captions.style.fontKey?.startsWith(base));
    assert.equal(spec.music?.source.kind, "asset");

    const { width: W, height: H } = spec;
    // A frame during the first caption, after the opening transition.
    const cue = spec.captions.cues.find((c) => c.end - c.start > 0.6)!;
    const frame = frameAt(file, (cue.start + cue.end) / 2, W, H);
    const logoBox = frameAt(file, (cue.start + cue.end) / 2, W, H).count(LOGO, { x0: Math.round(W * 0.75), y0: 0, x1: W, y1: Math.round(H * 0.25) });
    const logoArea = Math.round(H * 0.1) * Math.round(H * 0.2); // 10 % of the height, 2:1
    assert.ok(logoBox > logoArea * 0.8, `the logo's pixels in the top-right corner: ${logoBox} of ${logoArea}`);
    assert.equal(frame.count(LOGO, { x0: 0, y0: 0, x1: Math.round(W * 0.25), y1: Math.round(H * 0.25) }), 0, "and not in the top-left");
    const green = frame.count(hex(CAPTION), { x0: 0, y0: Math.round(H * 0.6), x1: W, y1: H }, 90);
    assert.ok(green > 1500, `caption pixels in the brand colour: ${green}`);

    // Deleting the logo from the library takes it off the kit; the video keeps its copy.
    await removeMediaItem({ db, ...a, role: "owner" }, items.logo);
    assert.equal((await as(a.userId, a.workspaceId).brandKit.get()).logo, null);
    assert.ok(existsSync(storagePath(logoKey)));
  });

  test("the logo as an intro card: the first frame is the brand colour with the logo in the middle; a brief may leave the kit out", async () => {
    const owner = as(a.userId, a.workspaceId);
    const logo = await upload(a, "logo-again.png", "logo.png");
    await owner.brandKit.update({ logoItemId: logo, logoUse: "intro", primaryColor: INTRO, musicItemId: null });
    const { spec, file } = await render({ captions: false });
    assert.equal(spec.scenes[0]!.narration, null);
    assert.equal(spec.watermark, null);
    const { width: W, height: H } = spec;
    const first = frameAt(file, 0, W, H);
    assert.ok(near(first.at(20, 20), hex(INTRO)), `the corner is the brand colour: ${first.at(20, 20)}`);
    assert.ok(near(first.at(W / 2, H / 2), LOGO), `the middle is the logo: ${first.at(W / 2, H / 2)}`);
    const timing = computeTiming(spec);
    assert.ok(timing.scenes[1]!.startSec >= 2, "the first scene starts after the card");

    const plain = await render({ brand: { use: false }, captions: false });
    assert.equal(plain.spec.scenes.length, spec.scenes.length - 1, "no intro card without the kit");
    assert.ok(!near(frameAt(plain.file, 0, W, H).at(20, 20), hex(INTRO)));
    assert.equal(plain.spec.captions.style.color, "#FFFFFF", "nor the kit's colours");
  });

  test("intro and outro clips play before the first scene and after the last, as chapters of their own", async () => {
    const owner = as(a.userId, a.workspaceId);
    const [intro, outro] = [await upload(a, "intro.mp4", "intro.mp4"), await upload(a, "outro.mp4", "outro.mp4")];
    await owner.brandKit.update({ introItemId: intro, outroItemId: outro, logoItemId: null, musicItemId: null });
    try {
      const { spec, file } = await render({ captions: false, titles: false });
      assert.ok(spec.scenes[0]!.clip && spec.scenes.at(-1)!.clip, "the first and last shots are clips");
      assert.deepEqual([spec.scenes[0]!.narration, spec.scenes.at(-1)!.narration], [null, null]);
      const timing = computeTiming(spec);
      const middle = (i: number) => timing.scenes[i]!.startSec + timing.scenes[i]!.durationSec / 2;
      const { width: W, height: H } = spec;
      assert.ok(near(frameAt(file, middle(0), W, H).at(W / 2, H / 2), [0, 192, 0]), "the intro's green first");
      const lastShot = spec.scenes.length - 1;
      assert.ok(near(frameAt(file, middle(lastShot), W, H).at(W / 2, H / 2), [0, 0, 224]), "the outro's blue last");
      const chapters = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-print_format", "json", "-show_chapters", file], { encoding: "utf8" })) as {
        chapters: { tags: { title: string } }[];
      };
      const titles = chapters.chapters.map((c) => c.tags.title);
      assert.deepEqual([titles[0], titles.at(-1)], ["Intro", "Outro"]);
    } finally {
      await owner.brandKit.update({ introItemId: null, outroItemId: null });
    }
  });

  test("a brief keeps the kit but leaves the logo out and plays its own music", async () => {
    const owner = as(a.userId, a.workspaceId);
    await owner.brandKit.update({ musicItemId: items.music });
    const { spec } = await render({ brand: { use: true, logo: false, music: "brief" }, music: "bright", captions: true });
    assert.equal(spec.scenes[0]!.narration !== null, true, "no intro card");
    assert.equal(spec.watermark, null);
    assert.deepEqual({ ...spec.music?.source, seed: undefined }, { kind: "generated", mood: "bright", seed: undefined });
    assert.ok(spec.music?.source.kind === "generated" && spec.music.source.seed, "the music is composed from the video's own seed");
    assert.equal(spec.captions.style.color, CAPTION, "the kit's colours stay");
    const withKitMusic = await render({ captions: false });
    assert.equal(withKitMusic.spec.music?.source.kind, "asset", "the kit's track by default");
  });
});
