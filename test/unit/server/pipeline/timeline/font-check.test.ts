// The font check before the render: fontconfig's character sets parsed and merged, what no
// installed font covers (emoji, spaces, joiners and controls aside), and the message that names
// the scene and the character, on this machine's real fonts and on a made-up small set.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LANGUAGES } from "@aura/render-contract";
import { writeOfflineScript } from "../../../../../server/pipeline/script/offline-writer.ts";
import { assertTextsDrawable, undrawableTexts } from "../../../../../server/pipeline/timeline/font-check.ts";
import { coverageOf, fontFilesFor, installedCoverage, parseCharset, sceneName, uncoveredCharacters } from "../../../../../server/pipeline/visuals/fonts.ts";
import { briefSchema } from "../../../../../server/videos/brief.ts";

/** A sentence in each of Aura's languages (the native names, and a few words). */
const SAMPLES = [
  ...LANGUAGES.map((l) => l.nativeName),
  "Café, naïve façade — “quotes” 50 % €",
  "Привет, мир. Україна. İstanbul’da çay.",
  "مرحبا بالعالم. سلام دنیا. שלום עולם",
  "नमस्ते दुनिया। হ্যালো বিশ্ব। สวัสดีชาวโลก",
  "你好，世界。你好，世界。こんにちは、世界。안녕하세요 세계",
  "Tiếng Việt: chào thế giới. Halo dunia.",
];
// Khitan Small Script: in Unicode since 2020, in no Debian font package.
const KHITAN = "\u{18B00}";

describe("which characters the installed fonts draw", () => {
  test("fontconfig's charset is read as ranges, merged and searched", () => {
    assert.deepEqual(parseCharset("20 a0 800-82d 1f600-1f64f"), [
      [0x20, 0x20],
      [0xa0, 0xa0],
      [0x800, 0x82d],
      [0x1f600, 0x1f64f],
    ]);
    const coverage = coverageOf([
      [0x41, 0x5a],
      [0x5b, 0x60],
      [0x4e00, 0x9fff],
    ]);
    assert.deepEqual(
      [0x40, 0x41, 0x60, 0x61, 0x4e00, 0x9fff, 0xa000].map((cp) => coverage.covers(cp)),
      [false, true, true, false, true, true, false],
    );
  });

  test("a set without Georgian reports a Georgian letter; emoji, spaces, joiners and controls are never reported", () => {
    const latin = coverageOf([[0x21, 0x7e]]);
    assert.deepEqual(uncoveredCharacters("Tbilisi თბილისი", latin), ["თ", "ბ", "ი", "ლ", "ს"]);
    assert.deepEqual(uncoveredCharacters("Hi 😀👩‍👩‍👧 ✌️ 🇫🇷 \u200d\u200c\u202e\u2066\u00ad\t\n", latin), []);
  });

  test("every language Aura writes is covered by this machine's fonts; Khitan and private use are not", () => {
    const coverage = installedCoverage();
    assert.ok(coverage, "fc-list ran");
    for (const sample of SAMPLES) assert.deepEqual(uncoveredCharacters(sample, coverage), [], sample);
    assert.deepEqual(uncoveredCharacters(`a${KHITAN}b\ue000`, coverage), [KHITAN, "\ue000"]);
  });

  test("a card loads its language's face, Noto Sans, and a face for whatever they lack", () => {
    const zh = fontFilesFor("咖啡", "zh")!;
    assert.ok(zh.some((f) => /NotoSansCJK-Bold/.test(f)) && zh.some((f) => /NotoSans-Bold\.ttf$/.test(f)), zh.join(", "));
    assert.ok(!zh.some((f) => /Arabic/.test(f)));
    const mixed = fontFilesFor("Coffee قهوة", "en")!;
    assert.ok(
      mixed.some((f) => /Arabic/.test(f)),
      mixed.join(", "),
    );
  });
});

describe("the check before the render", () => {
  const brief = briefSchema.parse({
    topic: "Tides. The moon pulls the oceans. Sailors plan by them.",
    audience: "sailors",
    tone: "serious",
    targetLengthSec: 30,
    aspectRatio: "9:16",
    voice: "en-gb-male",
    visualStyle: "midnight",
    music: "none",
    titles: true,
  });
  const script = writeOfflineScript(brief);

  test("a clean script passes", () => {
    assert.deepEqual(undrawableTexts(script, brief, null, installedCoverage()!), []);
    assert.doesNotThrow(() => assertTextsDrawable(script, brief, "© Aura 😀"));
  });

  test("a character no font draws fails the stage for good, naming the scene as the job page does and the character", () => {
    const bad = { ...script, scenes: script.scenes.map((s, i) => (i === 2 ? { ...s, narration: `${s.narration} ${KHITAN}` } : s)) };
    const error = (() => {
      try {
        assertTextsDrawable(bad, brief, null);
      } catch (e) {
        return e as Error & { retriable?: boolean };
      }
    })();
    assert.ok(error, "refused");
    assert.equal(error.retriable, false);
    assert.equal(error.message, `${sceneName(2, script.scenes[2]!.title)}: no installed font can draw "${KHITAN}" (U+18B00); edit the scene to remove it`);
    assert.match(sceneName(2, "A".repeat(60)), /^Scene 3 \("A{39}…"\)$/);
    // Without captions the narration is not drawn: nothing to refuse.
    assert.deepEqual(undrawableTexts(bad, { ...brief, captions: false }, null, installedCoverage()!), []);
  });

  test("titles and the watermark's text are checked too", () => {
    const titled = { ...script, title: `Tides ${KHITAN}` };
    const problems = undrawableTexts(titled, brief, `Aura \ue000`, installedCoverage()!);
    assert.deepEqual(problems, [
      `The video's title ("Tides ${KHITAN}"): no installed font can draw "${KHITAN}" (U+18B00); edit the title to remove it`,
      `The watermark ("Aura \ue000"): no installed font can draw "\ue000" (U+E000); change the watermark's text`,
    ]);
  });
});
