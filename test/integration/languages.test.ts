// A brief in each family of writing systems (Latin, Cyrillic, Arabic, Hebrew, Devanagari,
// Thai, Chinese, Japanese, Korean) and one in English, each turned into an MP4 by the
// offline chain on one built-in engine, and each video read back: ffprobe finds its length
// and its narration loud enough; language detection finds every scene's narration in the
// brief's language; Tesseract reads a caption out of a frame and a card's title (drawn by the
// render over the card) out of another, within a stated character error rate. AURA_LANGUAGES=es,ru
// runs only those languages (while working on one script).
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { characterErrorRate, ocr } from "../../render-worker/test/helpers/ocr.ts";
import { languageBriefInput, LANGUAGE_TOPICS } from "../helpers/briefs.ts";
import { createTestEngine, startPipelineEnvironment } from "../helpers/pipeline.ts";
import { createOwner } from "../helpers/seed.ts";

const harness = await startPipelineEnvironment();
const { getDb } = await import("../../server/db/client.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { detectLanguage } = await import("../../server/text/detect-language.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const { graphemes, languageInfo, renderSpecSchema } = await import("@aura/render-contract");
const { LocalStore } = await import("@aura/object-store");
const store = new LocalStore(harness.env.STORAGE_DIR);
const storagePath = (key: string) => store.localPath(key)!;

const db = getDb();
const engine = await createTestEngine(harness.database.url, { name: "languages", concurrency: 2 });
const owner = await createOwner(db, "languages");
const scratch = mkdtempSync(path.join(os.tmpdir(), "aura-languages-"));

after(async () => {
  await engine.stop();
  await closeSender();
  await db.$disconnect();
  await harness.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/**
 * The character error rate each reading must stay within. Latin and Cyrillic captions are set
 * large on a plain band and read almost perfectly; the other scripts' Tesseract models are
 * weaker (joined Arabic letters, Devanagari's matras, Thai's stacked vowels, CJK's thousands of
 * characters), so they get more room: still far from what a box, a missing glyph or reversed
 * right-to-left text reads as (close to 1).
 */
const MAX_CER: Record<string, number> = { en: 0.1, es: 0.1, ru: 0.1, ar: 0.25, he: 0.25, hi: 0.3, th: 0.3, zh: 0.25, ja: 0.3, ko: 0.25 };

/** Checks a reading against the text meant: within the language's error rate, and for a
 *  right-to-left language, closer to the text than to its reversal (the reading order). */
/** Asserts the best of Tesseract's readings (one per page segmentation mode) is close to the
 *  text meant. Its block mode (6) misreads some Korean lines that its automatic mode (3)
 *  reads whole, and the reverse happens too: the better reading is what a viewer sees. */
function assertReads(what: string, language: string, meant: string, readings: string[]) {
  const read = readings.reduce((a, b) => (characterErrorRate(meant, b) < characterErrorRate(meant, a) ? b : a));
  const cer = characterErrorRate(meant, read);
  console.log(`[languages] ${language} ${what}: CER ${cer.toFixed(3)}; meant ${JSON.stringify(meant)}, read ${JSON.stringify(read)}`);
  assert.ok(cer <= MAX_CER[language]!, `${what} CER ${cer.toFixed(3)} > ${MAX_CER[language]}: meant ${JSON.stringify(meant)}, read ${JSON.stringify(read)}`);
  if (languageInfo(language)?.rtl) {
    const reversed = characterErrorRate(graphemes(meant).reverse().join(""), read);
    assert.ok(cer < reversed, `${what} reads closer to its reversal (${reversed.toFixed(3)}) than to itself (${cer.toFixed(3)})`);
  }
}

type RGB = (r: number, g: number, b: number) => boolean;

/**
 * Reads the text in part of a picture or of a video's frame at `atSec`: the region (`crop`, in
 * pixels) is cut out, its pixels that `ink` selects become black on white, and Tesseract reads
 * that in the language. Keeping only the text's own colour leaves out what is drawn
 * behind it (the card's shapes and picture panel under a caption).
 */
function readRegion(input: { file: string; atSec?: number }, crop: { x: number; y: number; width: number; height: number }, ink: RGB, language: string) {
  const [x, y, width, height] = [crop.x, crop.y, crop.width, crop.height].map((v) => Math.round(v / 2) * 2) as [number, number, number, number];
  const seek = input.atSec === undefined ? [] : ["-ss", input.atSec.toFixed(3)];
  const rgb = execFileSync(
    "ffmpeg",
    [
      "-v",
      "error",
      "-nostdin",
      ...seek,
      "-i",
      input.file,
      "-frames:v",
      "1",
      "-vf",
      `crop=${width}:${height}:${x}:${y}`,
      "-f",
      "rawvideo",
      "-pix_fmt",
      "rgb24",
      "-",
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const gray = Buffer.alloc(width * height);
  for (let i = 0; i < gray.length; i++) gray[i] = ink(rgb[3 * i]!, rgb[3 * i + 1]!, rgb[3 * i + 2]!) ? 0 : 255;
  const file = path.join(scratch, `read-${Date.now()}-${Math.random().toString(36).slice(2)}.pgm`);
  writeFileSync(file, Buffer.concat([Buffer.from(`P5\n${width} ${height}\n255\n`), gray]));
  return [6, 3].map((psm) => ocr(file, language, { psm }));
}

/** A caption's fill (#FFFFFF, through the H.264 encode): whiter than anything the card draws
 *  under it (its light picture panel is 94 % white). */
const captionInk: RGB = (r, g, b) => Math.min(r, g, b) >= 246;
/** The words of a "midnight" card (#E0E7FF) on its dark ground and shapes: only their cores
 *  (at 170 the anti-aliased edges left Tesseract reading nothing of an Arabic title). */
const cardInk: RGB = (r, g, b) => Math.min(r, g, b) >= 200;

const ffprobe = (file: string) =>
  JSON.parse(execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=duration:stream=codec_type", "-of", "json", file], { encoding: "utf8" })) as {
    format: { duration: string };
    streams: { codec_type: string }[];
  };

/** The loudest and mean levels of a file's sound (FFmpeg's volumedetect), in dB. */
function volume(file: string) {
  const log = spawnSync("ffmpeg", ["-v", "info", "-nostdin", "-i", file, "-map", "0:a", "-af", "volumedetect", "-f", "null", "-"], { encoding: "utf8" }).stderr;
  return { meanDb: Number(/mean_volume: (-?[\d.]+) dB/.exec(log)?.[1]), maxDb: Number(/max_volume: (-?[\d.]+) dB/.exec(log)?.[1]) };
}

const languages = process.env.AURA_LANGUAGES?.split(",") ?? Object.keys(LANGUAGE_TOPICS);
// Every brief is queued at once, and the engine runs two jobs at a time (the machine's two
// cores: one job's FFmpeg overlaps another's speech, pictures and database steps).
const started = performance.now();
const queued = new Map<string, { jobId: string; language: string | undefined }>();
for (const language of languages) {
  const brief = briefSchema.parse(languageBriefInput(language));
  const { job } = await createVideo({ db, ...owner }, brief);
  queued.set(language, { jobId: job.id, language: brief.language });
}
await engine.start();
for (const { jobId } of queued.values()) await engine.enqueue(jobId);

/** Waits for the language's job to end (at most 10 minutes); what the checks read. */
async function finishedVideo(language: string) {
  const { jobId, language: briefLanguage } = queued.get(language)!;
  let job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
  for (let i = 0; i < 3000 && !["succeeded", "failed"].includes(job.status); i++) {
    await new Promise((r) => setTimeout(r, 200));
    job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
  }
  const done = await db.job.findUniqueOrThrow({ where: { id: jobId }, include: { steps: true, video: { include: { outputAsset: true } } } });
  const stages = new Map<string, number>();
  for (const step of done.steps) stages.set(step.stage, (stages.get(step.stage) ?? 0) + (step.durationMs ?? 0));
  console.log(
    `[languages] ${language}: ${done.status} ${((performance.now() - started) / 1000).toFixed(1)} s after the start; steps ${[...stages].map(([stage, ms]) => `${stage} ${(ms / 1000).toFixed(1)} s`).join(", ")}`,
  );
  assert.equal(done.status, "succeeded", `${language}: ${done.errorStage}: ${done.errorMessage}`);
  assert.equal(briefLanguage, language, "the brief's language, detected from its topic");
  const timeline = done.steps.find((s) => s.stepId === "timeline")!.output as { key: string };
  const spec = renderSpecSchema.parse(JSON.parse(readFileSync(storagePath(timeline.key), "utf8")));
  const script = done.video.script as { title: string; scenes: { title: string; narration: string }[] };
  return { spec, script, mp4: storagePath(done.video.outputAsset!.storageKey) };
}

for (const language of languages) {
  describe(`a brief in ${language}`, () => {
    let made: Awaited<ReturnType<typeof finishedVideo>>;

    test("runs through the offline chain to an MP4", async () => {
      made = await finishedVideo(language);
    });

    test("the render spec carries the language (its fonts, line breaks and direction)", (t) => {
      if (!made) return t.skip("no video");
      assert.equal(made.spec.language, language);
    });

    test("the MP4 has its length and a narration that is not silent", (t) => {
      if (!made) return t.skip("no video");
      const probe = ffprobe(made.mp4);
      const duration = Number(probe.format.duration);
      assert.ok(duration >= 8 && duration <= 30, `${duration} s for a 15 s brief`);
      const kinds = probe.streams.map((s) => s.codec_type);
      assert.ok(kinds.includes("video") && kinds.includes("audio"), `streams: ${kinds.join(", ")}`);
      const { meanDb, maxDb } = volume(made.mp4);
      assert.ok(meanDb > -35 && maxDb > -10, `mean ${meanDb} dB, max ${maxDb} dB`);
    });

    test("every scene's narration is in the brief's language", (t) => {
      if (!made) return t.skip("no video");
      for (const [i, scene] of made.script.scenes.entries()) {
        const detected = detectLanguage(scene.narration);
        assert.equal(detected?.code, language, `scene ${i + 1}: ${JSON.stringify(scene.narration)} reads as ${detected?.name ?? "nothing"}`);
      }
    });

    test("a caption read back from a frame matches its cue", (t) => {
      if (!made) return t.skip("no video");
      const { spec } = made;
      assert.ok(spec.captions.enabled && spec.captions.cues.length, "captions with cues");
      // The longest cue (the most characters to score); captions sit at the top here, clear of
      // the card's picture panel (whose drawings may hold pure white) and of the lower thirds.
      const cue = spec.captions.cues.reduce((a, b) => ([...b.text].length > [...a.text].length ? b : a));
      const region = { x: 0, y: 0, width: spec.width, height: spec.height * 0.3 };
      const read = readRegion({ file: made.mp4, atSec: (cue.start + cue.end) / 2 }, region, captionInk, language);
      assertReads("caption", language, cue.text, read);
    });

    test("a card's title, drawn by the render over its picture, reads back from the MP4", (t) => {
      if (!made) return t.skip("no video");
      const { spec } = made;
      // The cards leave their titles to the render (a "card" overlay in the box the picture
      // leaves for them); the first one is read at its middle, below the top captions.
      const card = spec.overlays.find((o) => o.kind === "card");
      assert.ok(card?.box, "a card's title is drawn by the render");
      const top = Math.max(card.box.y * spec.height, spec.height * 0.3);
      const region = { x: card.box.x * spec.width, y: top, width: card.box.width * spec.width, height: (card.box.y + card.box.height) * spec.height - top };
      const read = readRegion({ file: made.mp4, atSec: (card.start + card.end) / 2 }, region, cardInk, language);
      assertReads("card", language, card.text, read);
    });
  });
}
