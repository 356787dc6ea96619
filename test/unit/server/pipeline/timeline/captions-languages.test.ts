// Caption chunks and word timings in every script: cues sized by display width (a Chinese
// character is two columns), cut at phrase boundaries (CJK 。，、, Thai spaces), words from
// Intl.Segmenter where text has no spaces, and the voice's word timings mapped onto them.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { displayWidth, languageOrEnglish } from "@aura/render-contract";
import { alignWords } from "../../../../../server/pipeline/timeline/align.ts";
import { renderSpecSchema } from "@aura/render-contract";
import { writeOfflineScript } from "../../../../../server/pipeline/script/offline-writer.ts";
import { buildRenderSpec, captionColumns, captionLineColumns, splitCaptions } from "../../../../../server/pipeline/timeline/build-spec.ts";
import { briefSchema } from "../../../../../server/videos/brief.ts";
import { shotStarts } from "../../../../../server/pipeline/timeline/shot-cuts.ts";

const NARRATION: Record<string, string> = {
  en: "Coffee beans grow on warm hills, far from the cities that drink them. Farmers pick the red cherries by hand, one at a time, and dry the seeds in the sun for two weeks.",
  es: "Los granos de café crecen en colinas cálidas, lejos de las ciudades que los beben. Los agricultores recogen las cerezas rojas a mano, una por una.",
  ru: "Кофейные зёрна растут на тёплых холмах, далеко от городов, которые их пьют. Фермеры собирают красные ягоды вручную, по одной.",
  ar: "تنمو حبوب البن على التلال الدافئة، بعيدا عن المدن التي تشربها. يقطف المزارعون الثمار الحمراء باليد، واحدة تلو الأخرى.",
  th: "เมล็ดกาแฟเติบโตบนเนินเขาที่อบอุ่น ห่างไกลจากเมืองที่ดื่มกาแฟ ชาวนาเก็บผลสีแดงด้วยมือทีละผล แล้วตากเมล็ดให้แห้งกลางแดดสองสัปดาห์",
  zh: "咖啡豆生长在温暖的山上，远离喝咖啡的城市。农民用手采摘红色的果实，一次一颗，然后在阳光下把种子晒干两个星期。",
  ja: "コーヒー豆は暖かい山で育ちます。農家は赤い実を一つずつ手で摘み、種を太陽の下で二週間乾かします。",
  ko: "커피콩은 따뜻한 언덕에서 자랍니다. 농부들은 빨간 열매를 하나씩 손으로 따고, 씨앗을 햇볕에 2주 동안 말립니다.",
};

const squeeze = (text: string) => text.replace(/\s+/g, "");

describe("caption chunks in every script", () => {
  for (const [language, text] of Object.entries(NARRATION)) {
    for (const max of [42, 24]) {
      test(`${language} at ${max} columns: no cue wider, the words join to the cue, the cues to the narration`, () => {
        const cues = splitCaptions(text, 5, 12, max, { words: true, language });
        const spaced = languageOrEnglish(language).spaced;
        assert.ok(cues.length >= 2, `${cues.length} cues`);
        for (const cue of cues) {
          assert.ok(displayWidth(cue.text) <= max, `"${cue.text}" is ${displayWidth(cue.text)} columns`);
          const joined = cue.words!.map((w) => w.text).join(spaced ? " " : "");
          if (spaced) assert.equal(joined, cue.text);
          else assert.equal(joined, squeeze(cue.text));
          assert.ok(cue.words!.length > 1 || displayWidth(cue.text) <= 4, `"${cue.text}" has its words (${cue.words!.length})`);
        }
        assert.equal(squeeze(cues.map((c) => c.text).join("")), squeeze(text));
        assert.ok(Math.abs(cues[0]!.start - 5) < 1e-9 && Math.abs(cues.at(-1)!.end - 17) < 0.01, "the cues span the narration");
      });
    }
  }

  test("Chinese and Japanese: no spaces added, each cue ends at a phrase mark, punctuation with the word before", () => {
    const zh = splitCaptions(NARRATION.zh!, 0, 10, 42, { words: true, language: "zh" });
    assert.deepEqual(
      zh.map((c) => c.text),
      ["咖啡豆生长在温暖的山上，远离喝咖啡的城市。", "农民用手采摘红色的果实，一次一颗，", "然后在阳光下把种子晒干两个星期。"],
    );
    assert.deepEqual(
      zh[0]!.words!.slice(0, 6).map((w) => w.text),
      ["咖啡豆", "生长", "在", "温暖", "的", "山上，"],
    );
    const ja = splitCaptions(NARRATION.ja!, 0, 10, 42, { language: "ja" });
    assert.ok(
      ja.every((c) => !/\s/.test(c.text) && /[。、]$/.test(c.text)),
      JSON.stringify(ja.map((c) => c.text)),
    );
  });

  test("Thai: words by the segmenter, the space between phrases ends a half-full cue and is kept as written", () => {
    const cues = splitCaptions(NARRATION.th!, 0, 10, 42, { words: true, language: "th" });
    assert.equal(cues[0]!.text, "เมล็ดกาแฟเติบโตบนเนินเขาที่อบอุ่น");
    assert.deepEqual(
      cues[0]!.words!.map((w) => w.text),
      ["เมล็ด", "กาแฟ", "เติบโต", "บน", "เนิน", "เขา", "ที่", "อบอุ่น"],
    );
    assert.ok(
      cues.some((c) => c.text.includes(" ")),
      "a Thai space inside a cue stays",
    );
  });

  test("English: sentence ends close a half-full cue, a full one is cut at its last comma", () => {
    assert.deepEqual(
      splitCaptions(NARRATION.en!, 0, 10).map((c) => c.text),
      [
        "Coffee beans grow on warm hills,",
        "far from the cities that drink them.",
        "Farmers pick the red cherries by hand,",
        "one at a time, and dry the seeds",
        "in the sun for two weeks.",
      ],
    );
  });

  test("English without commas is cut before a phrase, never after a word that leans on the next", () => {
    for (const text of [
      "The moon pulls the oceans toward it as the earth turns. Twice a day the water rises along every coast and twice a day it falls again.",
      "Lighthouses guided ships for centuries. Keepers lived inside them and trimmed the lamps every night. Now most of them run themselves.",
      "Farmers dry the seeds in the sun for two weeks and then sort the beans by their size and their colour before the long trip to the port.",
    ])
      for (const max of [42, 30]) {
        const cues = splitCaptions(text, 0, 10, max).map((c) => c.text);
        assert.equal(cues.join(" "), text, "every word once, in order");
        for (const cue of cues) {
          assert.ok(cue.length <= max, `${cue} fits ${max}`);
          assert.doesNotMatch(cue, /\b(?:a|an|the|their|every)$/i, `"${cue}" does not end on a word that leans on the next`);
        }
      }
    assert.deepEqual(
      splitCaptions("Farmers dry the seeds in the sun for two weeks.", 0, 5, 30).map((c) => c.text),
      ["Farmers dry the seeds", "in the sun for two weeks."],
    );
  });

  test("a cue holds at most two caption lines of the frame, and at most 42 columns", () => {
    assert.equal(captionColumns(1920, 1080, "medium"), 42);
    assert.equal(captionColumns(1080, 1920, "medium"), 42);
    assert.equal(captionColumns(1080, 1920, "large"), 34);
    for (const [w, h] of [
      [1920, 1080],
      [1080, 1920],
      [1080, 1080],
      [1080, 1350],
    ] as const)
      for (const size of ["small", "medium", "large"] as const) assert.ok(captionColumns(w, h, size) <= 2 * captionLineColumns(w, h, size));
  });

  test("a run wider than a cue is cut between graphemes, within the spec's limits", () => {
    const family = "👩‍👩‍👧‍👦";
    const cues = splitCaptions(`Look ${family.repeat(40)} here.`, 0, 5, 42, { words: true });
    for (const cue of cues) {
      assert.ok(cue.text.length <= 500 && displayWidth(cue.text) <= 42);
      for (const w of cue.words!) assert.ok(w.text.length <= 100 && !w.text.includes("\ufffd") && w.text.replaceAll(family, "").length <= 5);
    }
    const marks = `Z${"\u0301".repeat(300)} end.`;
    assert.ok(splitCaptions(marks, 0, 5, 42, { words: true }).every((c) => c.words!.every((w) => w.text.length <= 100)));
  });
});

describe("the render spec of a Chinese video", () => {
  test("carries the brief's language, and its cues fit two large caption lines of a tall frame", () => {
    const brief = briefSchema.parse({
      topic: NARRATION.zh,
      audience: "所有人",
      tone: "informative",
      targetLengthSec: 30,
      aspectRatio: "9:16",
      voice: "zh-female",
      visualStyle: "modern",
      music: "none",
      captionSize: "large",
      captionHighlight: true,
    });
    assert.equal(brief.language, "zh");
    const written = writeOfflineScript(brief);
    const script = { ...written, scenes: written.scenes.map((s) => ({ ...s, narration: NARRATION.zh! })) };
    const media = script.scenes.map((_, i) => ({ narrationKey: `n/${i}.wav`, narrationSec: 8, imageKey: `v/${i}.png` }));
    const spec = renderSpecSchema.parse(buildRenderSpec({ brief, script, media, output: { video: "o/v.mp4", poster: "o/p.jpg" } }));
    assert.equal(spec.language, "zh");
    const max = captionColumns(1080, 1920, "large");
    assert.ok(spec.captions.cues.length >= 2 * script.scenes.length);
    for (const cue of spec.captions.cues) {
      assert.ok(displayWidth(cue.text) <= max, cue.text);
      assert.equal(cue.words!.map((w) => w.text).join(""), cue.text);
    }
  });
});

describe("word timings in scripts without spaces", () => {
  test("Chinese and Thai cues time each segmenter word, one after another across the cue", () => {
    for (const language of ["zh", "th"]) {
      for (const cue of splitCaptions(NARRATION[language]!, 2, 9, 42, { words: true, language })) {
        const words = cue.words!;
        assert.ok(words.length >= 3, `${language}: ${words.length} words in "${cue.text}"`);
        assert.ok(Math.abs(words[0]!.start - cue.start) < 0.002 && Math.abs(words.at(-1)!.end - cue.end) < 0.002);
        words.forEach((w, i) => {
          assert.ok(w.end > w.start, `${language}: "${w.text}" has a length`);
          if (i) assert.ok(Math.abs(w.start - words[i - 1]!.end) < 0.002);
        });
        // Wider words take longer: 咖啡豆 (6 columns) longer than 在 (2).
        if (language === "zh" && cue.text.startsWith("咖啡豆")) assert.ok(words[0]!.end - words[0]!.start > 2 * (words[2]!.end - words[2]!.start));
      }
    }
  });

  test("a voice that timed each Chinese character places the written words at their characters", () => {
    const spoken = [..."咖啡很好喝"].map((word, i) => ({ word, startSec: i * 0.3, endSec: i * 0.3 + 0.25 }));
    const times = alignWords(["咖啡", "很", "好喝"], spoken, 2, "zh")!;
    assert.deepEqual(
      times.map((t) => t.start),
      [0, 0.6, 0.8999999999999999],
    );
    // The same through the captions: each segmenter word starts when its first character was said.
    const cues = splitCaptions("咖啡很好喝。", 10, 2, 42, { words: true, spoken, language: "zh" });
    let at = 0;
    for (const w of cues[0]!.words!) {
      assert.ok(Math.abs(w.start - (10 + spoken[at]!.startSec)) < 0.002, `"${w.text}" at ${w.start}`);
      at += [...w.text.replace("。", "")].length;
    }
    assert.ok(cues[0]!.words!.length >= 2);
  });

  test("a Chinese scene's shots are cut where the voice said the next sentence", () => {
    const narration = "咖啡豆生长在温暖的山上，远离喝咖啡的城市。农民用手采摘红色的果实，然后在阳光下晒干两个星期。";
    // The voice paused before the second sentence: at 6 s, not at 21/46 of 9 s.
    const chars = [...narration].filter((c) => !/[，。]/.test(c));
    const words = chars.map((word, i) => ({ word, startSec: i < 19 ? i * 0.3 : 6 + (i - 19) * 0.15, endSec: 0 }));
    for (const [i, w] of words.entries()) w.endSec = words[i + 1]?.startSec ?? 9;
    const starts = shotStarts({ narration, sceneSec: 10, leadSec: 0.3, narrationSec: 9, words, language: "zh", wanted: 2, fps: 30 });
    assert.ok(Math.abs(starts[1]! - 6.3) < 0.1, String(starts[1]));
  });
});
