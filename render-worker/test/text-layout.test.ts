// Lines and ASS output per language, as pure functions: where lines break (Chinese and
// Japanese between words, Thai only where Intl.Segmenter allows, never before closing
// punctuation), how wide they may run, the faces, the direction, the word highlight, and
// hostile text (bidirectional controls, combining marks, joiners, emoji, mixed scripts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { breakUnits, removeEmoji, wrapText } from "@aura/render-contract";
import { buildAssFile, buildSrt, buildVtt, drawnWidth, layoutLines } from "../src/captions.ts";

const dialogues = (ass: string) => ass.match(/^Dialogue:.*$/gm) ?? [];
/** The drawn text of an event: override blocks and the right-to-left mark left out. */
const textOf = (event: string) =>
  event
    .split(",,0,0,0,,")[1]!
    .replace(/\{[^}]*\}/g, "")
    .replaceAll("\u200f", "");
const CLOSING = /^[\p{Pe}\p{Pf}!,.:;?、。！，：；？ー]/u;

describe("line breaking per language", () => {
  test("Chinese and Japanese break between words, never before closing punctuation or small kana", () => {
    const zh = "我们今天要讨论的是太阳能，它是一种清洁、可再生的能源。你知道吗？";
    const ja = "「こんにちは、世界！」と彼は言った。東京ではちょっと寒かったです。";
    for (const [text, language] of [
      [zh, "zh"],
      [ja, "ja"],
    ] as const) {
      for (const columns of [6, 8, 10, 14, 20]) {
        const lines = wrapText(text, columns, language);
        assert.equal(lines.join(""), text, `${language} at ${columns}: nothing lost or added`);
        for (const line of lines.slice(1)) assert.doesNotMatch(line, CLOSING, `${language} at ${columns}: ${JSON.stringify(lines)}`);
        for (const line of lines.slice(1)) assert.doesNotMatch(line, /^[っゃゅょッャュョ]/, `${language}: small kana start no line`);
        for (const line of lines.slice(0, -1)) assert.doesNotMatch(line, /[「（“]$/, `${language}: opening punctuation ends no line`);
      }
    }
    assert.deepEqual(breakUnits("「こんにちは、世界！」", "ja"), ["「こんにちは、", "世界！」"]);
  });

  test("Thai breaks only between the words Intl.Segmenter finds", () => {
    const text = "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำและต้องใช้พจนานุกรมในการตัดคำ";
    const boundaries = new Set<number>([0]);
    for (const s of new Intl.Segmenter("th", { granularity: "word" }).segment(text)) boundaries.add(s.index + s.segment.length);
    for (const columns of [8, 12, 20]) {
      const lines = wrapText(text, columns, "th");
      assert.ok(lines.length > 1, `${columns} columns: ${JSON.stringify(lines)}`);
      assert.equal(lines.join(""), text);
      let at = 0;
      for (const line of lines) {
        at += line.length;
        assert.ok(boundaries.has(at), `a break inside a Thai word at ${at}: ${JSON.stringify(lines)}`);
      }
    }
  });

  test("spaced languages break at spaces, keep « » and ! with their words, and balance two lines", () => {
    assert.deepEqual(breakUnits("Bonjour ! « Ça va » ?", "fr"), ["Bonjour ! ", "« Ça ", "va » ?"]);
    const lines = layoutLines("Every language gets captions that read well on any screen", 16, "en");
    assert.deepEqual(lines, ["Every language gets captions", "that read well on any screen"]);
    for (const line of lines) assert.ok(drawnWidth(line) <= 16, `${line} fits`);
    // Korean: spaced, wide syllables (two columns each).
    assert.deepEqual(wrapText("모든 언어의 자막이 표시됩니다", 12, "ko"), ["모든 언어의", "자막이", "표시됩니다"]);
  });

  test("the width estimate: a CJK character takes as much as two Latin capitals or so, Arabic letters less", () => {
    assert.ok(Math.abs(drawnWidth("字") - 0.74) < 1e-9);
    assert.ok(drawnWidth("مرحبا") < drawnWidth("hello"), "Arabic letters are narrower");
    assert.equal(drawnWidth("e\u0301"), drawnWidth("e"), "a combining mark adds nothing");
  });
});

describe("ASS output per language", () => {
  const cue = (text: string, words?: string[]) => ({
    start: 0,
    end: 3,
    text,
    ...(words ? { words: words.map((w, i) => ({ text: w, start: i * 0.5, end: i * 0.5 + 0.5 })) } : {}),
  });

  test("each language gets its face; no line is left to libass to wrap", () => {
    const faces = { en: "Noto Sans", ru: "Noto Sans", ar: "Noto Sans Arabic", he: "Noto Sans Hebrew", hi: "Noto Sans Devanagari", th: "Noto Sans Thai" };
    for (const [language, face] of Object.entries({
      ...faces,
      zh: "Noto Sans CJK SC",
      "zh-Hant": "Noto Sans CJK TC",
      "zh-TW": "Noto Sans CJK TC",
      ja: "Noto Sans CJK JP",
      ko: "Noto Sans CJK KR",
    })) {
      const ass = buildAssFile([cue("x")], 1920, 1080, {}, [{ kind: "title", text: "t", start: 0, end: 1, animation: "none", from: 0, to: 1 }], language);
      assert.match(ass, new RegExp(`^Style: Caption,${face},`, "m"), language);
      assert.match(ass, new RegExp(`^Style: Title,${face},`, "m"), language);
      assert.match(ass, /^WrapStyle: 2$/m);
    }
    assert.match(buildAssFile([cue("x")], 1920, 1080, { font: "serif" }, [], "ja"), /^Style: Caption,Noto Serif CJK JP,/m);
    // The brand's font wins, for titles too.
    const branded = buildAssFile(
      [cue("x")],
      1920,
      1080,
      { fontKey: "k/f.ttf", fontFamily: "Geist" },
      [{ kind: "title", text: "t", start: 0, end: 1, from: 0, to: 1, animation: "none" }],
      "ar",
    );
    assert.match(branded, /^Style: Caption,Geist,/m);
    assert.match(branded, /^Style: Title,Geist,/m);
  });

  test("a long Chinese caption is broken into lines that fit, with explicit breaks", () => {
    const text = "每种语言的字幕都能在屏幕上清楚地显示出来，而且不会超出画面的边缘，也不会把标点符号放在行首。";
    const [event] = dialogues(buildAssFile([cue(text)], 1280, 720, {}, [], "zh"));
    const lines = textOf(event!).split("\\N");
    assert.ok(lines.length >= 2, JSON.stringify(lines));
    assert.equal(lines.join(""), text, "no space added between Chinese lines");
    const fontSize = Math.round(720 * 0.055);
    for (const line of lines) assert.ok(drawnWidth(line) * fontSize <= 1280 * 0.84, `${line} fits the caption box`);
    for (const line of lines.slice(1)) assert.doesNotMatch(line, CLOSING);
  });

  test("right-to-left: Encoding -1, every line starts with a right-to-left mark, the lower third mirrored to the bottom right", () => {
    const ass = buildAssFile(
      [cue("هذا نص عربي طويل بما يكفي ليقسم على سطرين في الشاشة الصغيرة مع الرقم 42 وكلمة Aura في الوسط")],
      640,
      360,
      { size: "large" },
      [{ kind: "lower-third", text: "מרים כהן", start: 0, end: 2, animation: "slide", from: 0, to: 2 }],
      "ar",
    );
    assert.match(ass, /^Style: Caption,.*,-1$/m);
    const [caption, lowerThird] = dialogues(ass);
    const lines = caption!.split(",,0,0,0,,")[1]!.split("\\N");
    assert.ok(lines.length >= 2, `two lines or more: ${JSON.stringify(lines)}`);
    for (const line of lines) assert.ok(line.startsWith("\u200f"), JSON.stringify(line));
    assert.match(lowerThird!, /\{\\an3\\fade\(255,0,255,0,400,1600,2000\)\\move\(896,225,615,225,0,400\)\}\u200f/);
    // Left-to-right languages: no marks, Encoding 1, the lower third bottom left.
    const en = buildAssFile([cue("hello")], 640, 360, {}, [{ kind: "lower-third", text: "Ada", start: 0, end: 2, animation: "none", from: 0, to: 2 }], "en");
    assert.doesNotMatch(en, /\u200f|\\an3/);
    assert.match(en, /^Style: Caption,.*,1$/m);
  });

  test("word highlight: words joined by a space or by nothing, the lines the same in every event, grapheme clusters whole", () => {
    const zh = dialogues(buildAssFile([cue("我们一起学习", ["我们", "一起", "学习"])], 1920, 1080, { highlightWords: true }, [], "zh"));
    assert.deepEqual(zh.map(textOf), ["我们一起学习", "我们一起学习", "我们一起学习"]);
    assert.match(zh[1]!, /我们\{\\c&H003FD2FF&\}一起\{\\r\}学习/);
    const en = dialogues(buildAssFile([cue("we learn together", ["we", "learn", "together"])], 1920, 1080, { highlightWords: true }, [], "en"));
    assert.match(en[2]!, /we learn \{\\c&H003FD2FF&\}together\{\\r\}$/);
    // A Hindi word whose vowel sign was timed apart joins the word before it: one cluster, one colour.
    const hi = dialogues(buildAssFile([cue("नमस्ते किताब", ["नमस्ते", "क", "\u093fताब"])], 1920, 1080, { highlightWords: true }, [], "hi"));
    assert.deepEqual(hi.map(textOf), ["नमस्ते किताब", "नमस्ते किताब"]);
    assert.match(hi[1]!, /नमस्ते \{\\c&H003FD2FF&\}किताब\{\\r\}$/);
    // A long highlighted caption keeps the same line breaks in every event.
    const words = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen".split(" ");
    const long = dialogues(buildAssFile([cue(words.join(" "), words)], 640, 360, { highlightWords: true }, [], "en")).map(textOf);
    assert.ok(long[0]!.includes("\\N"), `broken into lines: ${long[0]}`);
    assert.equal(new Set(long).size, 1, JSON.stringify(long));
  });

  test("hostile text: bidi controls go everywhere, combining marks and joiners stay, emoji are drawn nowhere but kept in sidecars, the file stays valid", () => {
    const cues = [
      { start: 0, end: 1, text: "\u202eevil\u202c \u2066isolated\u2069 end" },
      { start: 1, end: 2, text: "Cafe\u0301 می\u200cخواهم 👩\u200d💻 ok 👍🏽 ❤️ 🇫🇷 © 中文 عربي עברית" },
    ];
    const ass = buildAssFile(cues, 1280, 720, {}, [{ kind: "title", text: "\u202eTitle 🎬", start: 0, end: 2, animation: "none", from: 0, to: 2 }], "en");
    assert.doesNotMatch(ass, /[\u202a-\u202e\u2066-\u2069\u061c]/);
    assert.doesNotMatch(ass, /\p{Extended_Pictographic}(?<!©)|\ufe0f|[\u{1f1e6}-\u{1f1ff}]/u);
    const events = dialogues(ass);
    assert.equal(events.length, 3, "one event per cue and one for the title: no line of text became a line of the file");
    assert.equal(textOf(events[0]!), "evil isolated end");
    assert.equal(textOf(events[1]!).replaceAll("\\N", " "), "Cafe\u0301 می\u200cخواهم ok © 中文 عربي עברית");
    assert.equal(textOf(events[2]!), "Title");
    for (const sidecar of [buildSrt(cues), buildVtt(cues)]) {
      assert.doesNotMatch(sidecar, /[\u202a-\u202e\u2066-\u2069]/);
      assert.ok(sidecar.includes("👩\u200d💻") && sidecar.includes("👍🏽") && sidecar.includes("e\u0301"), "sidecars keep emoji and marks");
    }
    assert.equal(removeEmoji("a 👋🏽 b 1️⃣ c ☺ ™"), "a  b  c ☺ ™");
    // Right-to-left sidecar cues start with a right-to-left mark (a cue that begins with a
    // Latin word still reads right to left in players); others carry none.
    const arabic = [{ start: 0, end: 1, text: "Aura \u202eتعرض 42 صورة" }];
    assert.match(buildSrt(arabic, "ar"), /\n\u200fAura تعرض 42 صورة\n/);
    assert.match(buildVtt(arabic, "fa"), /\n\u200fAura تعرض 42 صورة\n/);
    assert.doesNotMatch(buildSrt(arabic, "en"), /\u200f/);
    // Only emoji: nothing to draw, no event.
    assert.equal(dialogues(buildAssFile([{ start: 0, end: 1, text: "🎉🎉" }], 640, 360)).length, 0);
  });
});
