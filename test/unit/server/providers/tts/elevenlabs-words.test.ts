// ElevenLabs' per-character alignment made into words: runs between spaces (as before), and in
// Chinese, Japanese or Thai, where no spaces separate words, the segmenter's words of each run.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { wordsFromAlignment } from "../../../../../server/providers/tts/elevenlabs.ts";

/** An alignment of a text, one character each 0.1 s. */
const aligned = (text: string) => {
  const characters = [...text];
  return {
    characters,
    character_start_times_seconds: characters.map((_, i) => i / 10),
    character_end_times_seconds: characters.map((_, i) => (i + 1) / 10),
  };
};

describe("ElevenLabs word timings", () => {
  test("spaced text: words between spaces, punctuation kept", () => {
    const words = wordsFromAlignment(aligned("Hello, big world."));
    assert.deepEqual(
      words.map((w) => w.word),
      ["Hello,", "big", "world."],
    );
    assert.deepEqual([words[1]!.startSec, words[1]!.endSec], [0.7, 1]);
  });

  test("Chinese: the segmenter's words, each with its characters' times", () => {
    const words = wordsFromAlignment(aligned("河流塑造了山谷。"));
    assert.ok(words.length >= 3, words.map((w) => w.word).join("|"));
    assert.equal(words.map((w) => w.word).join(""), "河流塑造了山谷。");
    assert.equal(words[0]!.word, "河流");
    assert.deepEqual([words[0]!.startSec, words[0]!.endSec], [0, 0.2]);
    assert.ok(words.at(-1)!.word.endsWith("。"), "the full stop stays with the last word");
    for (let i = 1; i < words.length; i++) assert.ok(words[i]!.startSec >= words[i - 1]!.endSec - 1e-9);
  });

  test("Thai: split into words", () => {
    const words = wordsFromAlignment(aligned("แม่น้ำสร้างหุบเขา"));
    assert.ok(words.length >= 3, words.map((w) => w.word).join("|"));
  });
});
