// Text drawn by the worker in ten languages, read back by Tesseract OCR from real frames: a
// caption and a lower third per language, drawn by the worker's own ass filter (overlayParts)
// over a plain background, one 1280x720 frame each. Boxes (a face without the glyphs) read as
// nothing or noise, and reversed right-to-left text reads as another string: both fail here.
// Every frame is drawn at FFmpeg's warning level, where libass names any character no face
// has. Also here: the text watermark shaped in Arabic and Devanagari, in its corner; a line
// mixing eleven scripts; the spoken word's highlight on the right word of an Arabic line; a
// caption whose U+202E cannot reverse it; chapter titles in any script read back by ffprobe;
// and one whole Arabic render through the worker (segments, watermark, chapters, sidecar).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { computeTiming, graphemes, renderSpecSchema, type RenderSpecInput } from "@aura/render-contract";
import { base } from "../../packages/render-contract/test/fixtures.ts";
import { overlayParts } from "../src/build-command.ts";
import { buildAssFile, buildWatermarkAss, type PlacedOverlay } from "../src/captions.ts";
import { buildChaptersFile } from "../src/chapters.ts";
import { RenderManager } from "../src/renders/registry.ts";
import { WorkerStorage } from "../src/storage.ts";
import { LocalStore } from "@aura/object-store";
import { characterErrorRate, ocr } from "./helpers/ocr.ts";

const W = 1280;
const H = 720;

/** A caption and a lower third per language. The Arabic and Hebrew captions carry a number and
 *  a Latin word inside the line (the Latin word is drawn by a fallback face: the Arabic and
 *  Hebrew faces have no Latin letters). */
const SAMPLES: Record<string, { caption: string; name: string }> = {
  en: { caption: "Every language gets captions that read well on any screen", name: "Ada Lovelace, engineer" },
  es: { caption: "Cada idioma tiene subtítulos que se leen bien en pantalla", name: "Señora Muñoz, cantante" },
  ru: { caption: "Каждый язык получает субтитры, которые легко читать", name: "Анна Павлова, балерина" },
  ar: { caption: "يعرض الفيديو 42 صورة من Aura كل يوم", name: "مريم الأحمد، مهندسة" },
  he: { caption: "הסרטון מציג 42 תמונות מ Aura בכל יום", name: "מרים כהן, מהנדסת" },
  hi: { caption: "हर भाषा में उपशीर्षक साफ़ पढ़े जा सकते हैं", name: "सीता शर्मा, इंजीनियर" },
  th: { caption: "ทุกภาษามีคำบรรยายที่อ่านง่ายบนหน้าจอ", name: "สมชาย ใจดี วิศวกร" },
  zh: { caption: "每种语言的字幕都能在屏幕上清楚地显示出来", name: "李小龙，电影演员" },
  ja: { caption: "すべての言語の字幕が画面にきれいに表示されます", name: "山田太郎、エンジニア" },
  ko: { caption: "모든 언어의 자막이 화면에 깨끗하게 표시됩니다", name: "김민수, 엔지니어" },
};

/**
 * Measured on these frames (Tesseract 5 with Debian's language data): captions read with a
 * character error rate of 0 (en, es, ru, hi, ko) to 0.07 (th: it reads ำ as ํา; zh, ja: one
 * look-alike character); the Arabic and Hebrew lines 0.17–0.18, all of it the Latin word, which
 * the Arabic or Hebrew model alone cannot read. Lower thirds: 0 to 0.1. Boxes or reversed
 * text read at 0.75 and more. The limits leave room for a look-alike or two, no more.
 */
const CAPTION_LIMIT = 0.15;
const RTL_CAPTION_LIMIT = 0.3;
const LOWER_THIRD_LIMIT = 0.25;

const dir = mkdtempSync(path.join(os.tmpdir(), "aura-scripts-ocr-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** One frame (at `at` seconds) with the ASS file drawn by the worker's own filter, over a plain blue. */
function drawFrame(name: string, ass: string, language: string, at = 0) {
  const file = path.join(dir, `${name}.ass`);
  writeFileSync(file, ass);
  const spec = renderSpecSchema.parse({ ...base, language } satisfies RenderSpecInput);
  const filter = overlayParts(spec, { captionsFile: file }, "0:v").parts[0]!.replace("[vcap]", "");
  const frame = path.join(dir, `${name}.png`);
  const run = spawnSync(
    "ffmpeg",
    ["-v", "warning", "-y", "-f", "lavfi", "-i", `color=c=0x2B4C7E:s=${W}x${H}`, "-filter_complex", filter, "-ss", String(at), "-frames:v", "1", frame],
    { encoding: "utf8" },
  );
  assert.equal(run.status, 0, run.stderr);
  // libass says so when no installed face has a character (it would draw a box).
  assert.doesNotMatch(run.stderr, /failed to find any fallback/, `${name}: ${run.stderr}`);
  return frame;
}

/** A region of a frame as dark text on light (what Tesseract reads best). */
function region(frame: string, crop: string, name: string) {
  const out = path.join(dir, `${name}.png`);
  const run = spawnSync("ffmpeg", ["-v", "error", "-y", "-i", frame, "-vf", `crop=${crop},format=gray,negate`, out], { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
  return out;
}

const reversed = (text: string) => graphemes(text).reverse().join("");

describe("text drawn in every script, read back by OCR", () => {
  for (const [language, sample] of Object.entries(SAMPLES)) {
    test(`${language}: the caption and the lower third read back as written`, () => {
      const lowerThird: PlacedOverlay = { kind: "lower-third", text: sample.name, start: 0, end: 2, animation: "none", from: 0, to: 2 };
      // The caption at the top, the lower third at the bottom: each read on its own.
      const ass = buildAssFile([{ start: 0, end: 2, text: sample.caption }], W, H, { position: "top" }, [lowerThird], language);
      const frame = drawFrame(language, ass, language);
      const caption = ocr(region(frame, `${W}:220:0:0`, `${language}-caption`), language);
      const name = ocr(region(frame, `${W}:110:0:550`, `${language}-name`), language, { psm: 7 });
      const rtl = language === "ar" || language === "he";
      const cer = characterErrorRate(sample.caption, caption);
      assert.ok(cer <= (rtl ? RTL_CAPTION_LIMIT : CAPTION_LIMIT), `${language} caption read as ${JSON.stringify(caption)}: error rate ${cer.toFixed(3)}`);
      const nameCer = characterErrorRate(sample.name, name);
      assert.ok(nameCer <= LOWER_THIRD_LIMIT, `${language} lower third read as ${JSON.stringify(name)}: error rate ${nameCer.toFixed(3)}`);
      if (rtl) {
        // Reading order: the text as written is far closer to what was read than its reversal.
        const backwards = characterErrorRate(reversed(sample.caption), caption);
        assert.ok(cer + 0.5 < backwards, `${language}: ${cer.toFixed(3)} against the reversal's ${backwards.toFixed(3)}`);
        const nameBackwards = characterErrorRate(reversed(sample.name), name);
        assert.ok(nameCer + 0.5 < nameBackwards, `${language} lower third: ${nameCer.toFixed(3)} against the reversal's ${nameBackwards.toFixed(3)}`);
      }
    });
  }

  test("the text watermark is shaped in Arabic and Devanagari and sits in its corner, its margin from the edges", () => {
    for (const [language, text, position] of [
      ["ar", "قناة المعرفة", "top-right"],
      ["hi", "ज्ञान चैनल", "bottom-left"],
    ] as const) {
      const spec = renderSpecSchema.parse({
        ...base,
        width: W,
        height: H,
        language,
        watermark: { source: { kind: "text", text }, position, opacity: 1, margin: 0.05 },
      });
      const file = path.join(dir, `watermark-${language}.ass`);
      writeFileSync(file, buildWatermarkAss(spec, spec.watermark!, text));
      const filter = overlayParts(spec, { captionsFile: null, watermarkTextFile: file }, "0:v").parts[0]!.replace("[vwm]", "");
      const frame = path.join(dir, `watermark-${language}.png`);
      const run = spawnSync(
        "ffmpeg",
        ["-v", "error", "-y", "-f", "lavfi", "-i", `color=c=0x2B4C7E:s=${W}x${H}`, "-filter_complex", filter, "-frames:v", "1", frame],
        {
          encoding: "utf8",
        },
      );
      assert.equal(run.status, 0, run.stderr);
      // The white text's extent: within the corner, 36 pixels (5% of 720) from its two edges.
      const raw = spawnSync("ffmpeg", ["-v", "error", "-i", frame, "-f", "rawvideo", "-pix_fmt", "gray", "-"], { maxBuffer: 1 << 24 }).stdout;
      let [left, right, top, bottom] = [W, 0, H, 0];
      for (let i = 0; i < raw.length; i++)
        if (raw[i]! > 200) {
          [left, right] = [Math.min(left, i % W), Math.max(right, i % W)];
          [top, bottom] = [Math.min(top, Math.floor(i / W)), Math.max(bottom, Math.floor(i / W))];
        }
      const m = 36;
      if (position === "top-right")
        assert.ok(right <= W - m && right > W - m - 12 && top >= m && top < m + 25, `${language}: ${left}-${right} × ${top}-${bottom}`);
      else assert.ok(left >= m && left < m + 12 && bottom <= H - m && bottom > H - m - 25, `${language}: ${left}-${right} × ${top}-${bottom}`);
      const read = ocr(region(frame, `${W}:120:0:${position === "top-right" ? 0 : H - 120}`, `watermark-${language}-read`), language, { psm: 7 });
      const cer = characterErrorRate(text, read);
      assert.ok(cer <= CAPTION_LIMIT, `${language} watermark read as ${JSON.stringify(read)}: error rate ${cer.toFixed(3)}`);
      if (language === "ar") assert.ok(cer + 0.5 < characterErrorRate(reversed(text), read), `${language}: read in order`);
    }
  });

  test("mixed scripts in one line: every character finds a face through fontconfig's fallback", () => {
    const mixed = "Aura 42 مرحبا שלום नमस्ते সুপ্রভাত สวัสดี 你好 こんにちは 안녕 Привет Café";
    for (const language of ["en", "ar", "th", "zh", "ja", "ko"])
      drawFrame(`mixed-${language}`, buildAssFile([{ start: 0, end: 2, text: mixed }], W, H, {}, [], language), language);
    // And the check itself sees a character that no face has.
    assert.throws(() => drawFrame("missing", buildAssFile([{ start: 0, end: 2, text: "a \u{10fffd} b" }], W, H), "en"), /failed to find any fallback/);
  });

  test("a caption after a U+202E override still reads left to right, and so does the title after it", () => {
    const ass = buildAssFile([{ start: 0, end: 2, text: "\u202eREVERSED NEVER" }], W, H, { position: "top", size: "large" }, [
      { kind: "title", text: "\u2067TITLE\u2069 STAYS", start: 0, end: 2, animation: "none", from: 0, to: 2 },
    ]);
    const frame = drawFrame("override", ass, "en");
    assert.equal(ocr(region(frame, `${W}:160:0:0`, "override-caption"), "en", { psm: 7 }), "REVERSED NEVER");
    assert.equal(ocr(region(frame, `${W}:200:0:260`, "override-title"), "en", { psm: 7 }), "TITLE STAYS");
  });

  test("word highlight lands on the spoken word: the first word of an Arabic line is at its right", () => {
    // Where the highlight colour is (mean x) while the first word, then the last is spoken.
    const yellowCentre = (language: string, text: string, at: number) => {
      const words = text.split(" ").map((w, i) => ({ text: w, start: i * 0.5, end: i * 0.5 + 0.5 }));
      const ass = buildAssFile([{ start: 0, end: 2, text, words }], W, H, { highlightWords: true, highlightColor: "#FFE000", size: "large" }, [], language);
      const frame = drawFrame(`highlight-${language}-${at}`, ass, language, at);
      const raw = spawnSync("ffmpeg", ["-v", "error", "-i", frame, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], {
        maxBuffer: 1 << 24,
      }).stdout;
      let [sum, n] = [0, 0];
      for (let i = 0; i < raw.length; i += 3)
        if (raw[i]! > 200 && raw[i + 1]! > 180 && raw[i + 2]! < 90) {
          sum += (i / 3) % W;
          n++;
        }
      assert.ok(n > 200, `${language}: ${n} highlighted pixels`);
      return sum / n;
    };
    const [arFirst, arLast] = [yellowCentre("ar", "مرحبا بكم جميعا", 0), yellowCentre("ar", "مرحبا بكم جميعا", 1.2)];
    assert.ok(arFirst > W / 2 && arLast < W / 2, `Arabic: the first word right of the centre (${arFirst}), the last left (${arLast})`);
    const [enFirst, enLast] = [yellowCentre("en", "Welcome everyone here", 0), yellowCentre("en", "Welcome everyone here", 1.2)];
    assert.ok(enFirst < W / 2 && enLast > W / 2, `English: the first word left of the centre (${enFirst}), the last right (${enLast})`);
  });

  test("chapter titles keep any script and emoji and lose bidirectional controls (read back by ffprobe)", () => {
    const titles = ["مقدمة \u202eالفصل", "第一章：开始 🎬", "\u202e\u2066", "Ünïcödé «ok»"];
    const spec = renderSpecSchema.parse({
      ...base,
      scenes: titles.map((title) => ({ image: "a.png", narration: null, duration: 1, motion: { kind: "none", strength: 0 }, title })),
      transition: { kind: "crossfade", duration: 0 },
    });
    const chapters = path.join(dir, "chapters.txt");
    writeFileSync(chapters, buildChaptersFile(spec, computeTiming(spec)));
    const video = path.join(dir, "chapters.mp4");
    const mux = spawnSync(
      "ffmpeg",
      ["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=black:s=64x64:d=4", "-f", "ffmetadata", "-i", chapters, "-map", "0:v", "-map_chapters", "1", video],
      { encoding: "utf8" },
    );
    assert.equal(mux.status, 0, mux.stderr);
    const probe = JSON.parse(spawnSync("ffprobe", ["-v", "error", "-print_format", "json", "-show_chapters", video], { encoding: "utf8" }).stdout) as {
      chapters: { tags: { title: string } }[];
    };
    assert.deepEqual(
      probe.chapters.map((c) => c.tags.title),
      ["مقدمة الفصل", "第一章：开始 🎬", "Scene 3", "Ünïcödé «ok»"],
    );
    assert.doesNotMatch(readFileSync(chapters, "utf8"), /[\u202a-\u202e\u2066-\u2069]/);
  });

  test("a whole Arabic render in segments: caption, lower third and watermark read back from the MP4, chapters and sidecars in Arabic", async () => {
    const storageDir = path.join(dir, "storage");
    mkdirSync(path.join(storageDir, "in"), { recursive: true });
    for (const i of [0, 1])
      spawnSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", `color=c=0x2B4C7E:s=${W}x${H}`, "-frames:v", "1", path.join(storageDir, `in/${i}.png`)]);
    const caption = "يعرض الفيديو 42 صورة من Aura كل يوم";
    const spec: RenderSpecInput = {
      version: 1,
      width: W,
      height: H,
      fps: 30,
      quality: "draft",
      language: "ar",
      scenes: [0, 1].map((i) => ({
        image: `in/${i}.png`,
        narration: null,
        duration: 1.5,
        motion: { kind: "none", strength: 0 },
        title: ["المقدمة", "\u202eالخاتمة"][i],
      })),
      transition: { kind: "crossfade", duration: 0.3 },
      captions: { enabled: true, cues: [{ start: 0, end: 2.6, text: caption }], style: { position: "top" } },
      music: null,
      watermark: { source: { kind: "text", text: "قناة المعرفة" }, position: "top-left", opacity: 1, margin: 0.04 },
      overlays: [{ kind: "lower-third", text: "مريم الأحمد، مهندسة", start: 0, end: 2.6, animation: "none" }],
      chapters: true,
      loudness: { integratedLufs: -16, truePeakDb: -1.5 },
      output: { video: "out/ar.mp4", poster: "out/ar.jpg", srt: "out/ar.srt" },
    };
    const log = { info() {}, warn() {}, error() {}, child: () => log };
    const manager = new RenderManager({
      storage: new WorkerStorage(new LocalStore(storageDir)),
      tmpDir: mkdtempSync(path.join(dir, "tmp-")),
      maxConcurrent: 1,
      timeoutMs: 120_000,
      log,
      chooseEncoder: async () => "libx264",
      cacheDir: path.join(dir, "cache"),
      parallel: 2,
    });
    manager.submit("ar", renderSpecSchema.parse(spec));
    let state = manager.get("ar")!;
    while (state.status === "queued" || state.status === "running") {
      await new Promise((r) => setTimeout(r, 100));
      state = manager.get("ar")!;
    }
    assert.equal(state.status, "succeeded", state.error);
    assert.ok((state.result!.segments?.total ?? 0) > 1, "rendered in segments");
    const frame = path.join(dir, "ar-render.png");
    spawnSync("ffmpeg", ["-v", "error", "-y", "-ss", "1.0", "-i", path.join(storageDir, "out/ar.mp4"), "-frames:v", "1", frame]);
    const read = ocr(region(frame, `${W}:200:0:0`, "ar-render-top"), "ar");
    // The top band holds the watermark (left) and the caption (centre): both are read.
    assert.ok(read.includes("قناة المعرفة"), `the watermark in ${JSON.stringify(read)}`);
    assert.ok(read.includes("يعرض الفيديو 42 صورة"), `the caption in ${JSON.stringify(read)}`);
    const name = ocr(region(frame, `${W}:110:0:550`, "ar-render-name"), "ar", { psm: 7 });
    assert.ok(characterErrorRate("مريم الأحمد، مهندسة", name) <= LOWER_THIRD_LIMIT, `the lower third read as ${JSON.stringify(name)}`);
    const probe = JSON.parse(
      spawnSync("ffprobe", ["-v", "error", "-print_format", "json", "-show_chapters", path.join(storageDir, "out/ar.mp4")], { encoding: "utf8" }).stdout,
    ) as { chapters: { tags: { title: string } }[] };
    assert.deepEqual(
      probe.chapters.map((c) => c.tags.title),
      ["المقدمة", "الخاتمة"],
    );
    assert.equal(readFileSync(path.join(storageDir, "out/ar.srt"), "utf8").split("\n")[2], `\u200f${caption}`);
  });
});
