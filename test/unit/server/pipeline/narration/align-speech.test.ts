// The forced aligner's pure parts: which words go into the grammar (only plain dictionary
// words), reading pocketsphinx's timed output, and placing every written word in time, with
// the words the dictionary lacks interpolated between their aligned neighbours.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  alignTokens,
  buildGrammar,
  canAlign,
  dictionaryKeys,
  parseRecognition,
  placeWords,
  timesRunForwards,
} from "../../../../../server/pipeline/narration/align-speech.ts";
import { alignWords } from "../../../../../server/pipeline/timeline/align.ts";

const DICT = new Set(["the", "river", "is", "well", "known", "don't", "it", "runs", "far"]);

describe("grammar words", () => {
  test("are lowercased, stripped of punctuation and split at hyphens and slashes", () => {
    assert.deepEqual(dictionaryKeys("Well-known,"), ["well", "known"]);
    assert.deepEqual(dictionaryKeys("Don’t"), ["don't"]);
    assert.deepEqual(dictionaryKeys('"(River)";'), ["river"]);
    assert.deepEqual(dictionaryKeys("v2.0"), []);
  });

  test("only dictionary words reach the grammar; the others keep their place with no keys", () => {
    const tokens = alignTokens("The Xylophonz river is well-known; <public> = evil;", DICT);
    assert.deepEqual(
      tokens.map((t) => t.keys),
      [["the"], [], ["river"], ["is"], ["well", "known"], [], [], []],
    );
    assert.equal(buildGrammar(tokens.flatMap((t) => t.keys)), "#JSGF V1.0;\ngrammar narration;\npublic <narration> = the river is well known;\n");
  });

  test("a word that is not plain is refused rather than written into the grammar", () => {
    assert.throws(() => buildGrammar(["the", "evil;"]), /not a plain dictionary word/);
    assert.throws(() => buildGrammar([]), /at least one word/);
  });

  test("English can be aligned, other languages not yet", () => {
    assert.equal(canAlign("en-us"), true);
    assert.equal(canAlign("en-GB"), true);
    assert.equal(canAlign("en"), true);
    assert.equal(canAlign("fr-fr"), false);
    assert.equal(canAlign("eng"), false);
  });
});

describe("pocketsphinx output", () => {
  test("keeps timed words, drops silences, noises and pronunciation variants' suffixes", () => {
    const stdout = [
      "the river is",
      "<s> 0.000 0.090 1.000000",
      "the 0.090 0.260 1.000000",
      "<sil> 0.270 0.400 1.000000",
      "[NOISE] 0.4 0.5 0.9",
      "river(2) 0.410 0.800 0.998",
      "</s> 0.8 0.9 1",
      "",
    ].join("\n");
    assert.deepEqual(parseRecognition(stdout), [
      { word: "the", startSec: 0.09, endSec: 0.26 },
      { word: "river", startSec: 0.41, endSec: 0.8 },
    ]);
  });
});

describe("placing words", () => {
  const tokens = alignTokens("The Xylophonz river runs far.", DICT);
  const heard = [
    { word: "the", startSec: 0.1, endSec: 0.3 },
    { word: "river", startSec: 1.0, endSec: 1.4 },
    { word: "runs", startSec: 1.5, endSec: 1.8 },
    { word: "far", startSec: 1.9, endSec: 2.2 },
  ];

  test("one time per written word; a word the dictionary lacks fills the gap between its neighbours", () => {
    const placed = placeWords(tokens, heard, 2.5)!;
    assert.deepEqual(
      placed.map((w) => w.word),
      ["The", "Xylophonz", "river", "runs", "far."],
    );
    assert.deepEqual(placed[1], { word: "Xylophonz", startSec: 0.3, endSec: 1 });
    assert.deepEqual(placed[4], { word: "far.", startSec: 1.9, endSec: 2.2 });
  });

  test("a hyphenated word spans its parts; an extra recognised word costs only itself", () => {
    const placed = placeWords(
      alignTokens("It is well-known", DICT),
      [
        { word: "it", startSec: 0, endSec: 0.2 },
        { word: "the", startSec: 0.2, endSec: 0.3 },
        { word: "is", startSec: 0.3, endSec: 0.5 },
        { word: "well", startSec: 0.5, endSec: 0.8 },
        { word: "known", startSec: 0.8, endSec: 1.2 },
      ],
      1.5,
    )!;
    assert.deepEqual(placed, [
      { word: "It", startSec: 0, endSec: 0.2 },
      { word: "is", startSec: 0.3, endSec: 0.5 },
      { word: "well-known", startSec: 0.5, endSec: 1.2 },
    ]);
  });

  test("unaligned words at the end share the time up to the audio's end", () => {
    const placed = placeWords(alignTokens("the river Zzyx Qqqq", DICT), heard.slice(0, 2), 3)!;
    assert.deepEqual(placed.slice(2), [
      { word: "Zzyx", startSec: 1.4, endSec: 2.2 },
      { word: "Qqqq", startSec: 2.2, endSec: 3 },
    ]);
  });

  test("starts never go backwards", () => {
    const placed = placeWords(tokens, heard, 2.5)!;
    for (let i = 1; i < placed.length; i++) assert.ok(placed[i]!.startSec >= placed[i - 1]!.startSec);
  });

  /** Each start at or after the previous end, each end at or after its start, all inside the audio. */
  const assertMonotoneInside = (placed: { startSec: number; endSec: number }[], durationSec: number) => {
    for (const [i, w] of placed.entries()) {
      assert.ok(w.startSec >= (placed[i - 1]?.endSec ?? 0), JSON.stringify(placed));
      assert.ok(w.endSec >= w.startSec && w.endSec <= durationSec, JSON.stringify(placed));
    }
  };

  test("times are always monotone and inside the audio", () => {
    // The words pocketsphinx heard past the audio's end (a longer file than the one measured).
    const placed = placeWords(tokens, heard, 1.6)!;
    assert.deepEqual(placed, [
      { word: "The", startSec: 0.1, endSec: 0.3 },
      { word: "Xylophonz", startSec: 0.3, endSec: 1 },
      { word: "river", startSec: 1, endSec: 1.4 },
      { word: "runs", startSec: 1.5, endSec: 1.6 },
      { word: "far.", startSec: 1.6, endSec: 1.6 },
    ]);
    assertMonotoneInside(placed, 1.6);
    // Rounding to milliseconds never steps past an end that is not a whole millisecond.
    const odd = placeWords(tokens, heard, 2.1996)!;
    assertMonotoneInside(odd, 2.1996);
    assert.deepEqual(odd.at(-1), { word: "far.", startSec: 1.9, endSec: 2.199 });
  });

  test("words heard past the audio's end start no earlier than the word before and end with the audio", () => {
    const unaligned = placeWords(
      alignTokens("Qqqq the river", DICT),
      [
        { word: "the", startSec: 3, endSec: 3.2 },
        { word: "river", startSec: 3.3, endSec: 3.6 },
      ],
      2.5,
    )!;
    // Heard past the end: every word is squeezed in at the end, none outside the audio.
    assertMonotoneInside(unaligned, 2.5);
    assert.deepEqual(unaligned, [
      { word: "Qqqq", startSec: 0, endSec: 2.5 },
      { word: "the", startSec: 2.5, endSec: 2.5 },
      { word: "river", startSec: 2.5, endSec: 2.5 },
    ]);
  });

  test("recognised times that go backwards are no alignment (the times are estimated instead)", () => {
    // Pocketsphinx started a new utterance and its clock again at 0.
    const restarted = [heard[0]!, heard[1]!, { word: "runs", startSec: 0.05, endSec: 0.3 }, { word: "far", startSec: 0.4, endSec: 0.7 }];
    assert.equal(timesRunForwards(restarted), false);
    assert.equal(placeWords(tokens, restarted, 2.5), null);
    const reversed = [heard[0]!, { word: "river", startSec: 1.4, endSec: 1.0 }, heard[2]!, heard[3]!];
    assert.equal(timesRunForwards(reversed), false);
    assert.equal(placeWords(tokens, reversed, 2.5), null);
    assert.equal(timesRunForwards(heard), true);
    assert.equal(timesRunForwards([]), true);
  });

  test("too few words found is no alignment at all", () => {
    assert.equal(placeWords(tokens, heard.slice(0, 2), 2.5), null);
    assert.equal(placeWords(tokens, [], 2.5), null);
    assert.equal(placeWords([], heard, 2.5), null);
  });

  test("captions pair the aligned speakable words with the written ones, though their counts differ", () => {
    // Written "In 2024, costs fell 35%." was spoken as the speakable text below: 7 words for 5.
    const dict = new Set(["in", "twenty", "four", "costs", "fell", "thirty", "five", "percent"]);
    const spoken = "In twenty twenty-four, costs fell thirty-five percent.";
    const placed = placeWords(
      alignTokens(spoken, dict),
      [
        { word: "in", startSec: 0.1, endSec: 0.2 },
        { word: "twenty", startSec: 0.2, endSec: 0.5 },
        { word: "twenty", startSec: 0.5, endSec: 0.8 },
        { word: "four", startSec: 0.8, endSec: 1.0 },
        { word: "costs", startSec: 1.2, endSec: 1.6 },
        { word: "fell", startSec: 1.6, endSec: 1.9 },
        { word: "thirty", startSec: 1.9, endSec: 2.2 },
        { word: "five", startSec: 2.2, endSec: 2.4 },
        { word: "percent", startSec: 2.4, endSec: 2.9 },
      ],
      3,
    )!;
    assert.equal(placed.length, 7);
    const times = alignWords(["In", "2024,", "costs", "fell", "35%."], placed, 3)!;
    assert.equal(times.length, 5);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]!.start >= times[i - 1]!.start);
    assert.ok(times[2]!.start > 0.9 && times[2]!.start < 1.5, `"costs" lands near where it was said (1.2 s): ${times[2]!.start}`);
  });
});
