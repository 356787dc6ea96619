// Japanese for espeak-ng: kanji become their katakana pronunciation, so espeak-ng's Japanese
// voice reads every word instead of saying "Chinese letter" (it switches to English for
// those, which its phonemes show as "(en)").
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, test } from "node:test";
import { kanaForSpeech } from "../../../../../server/pipeline/narration/japanese-reading.ts";

const phonemes = (text: string) => execFileSync("espeak-ng", ["-v", "ja", "-q", "--ipa"], { input: text }).toString();

describe("Japanese readings for espeak-ng", () => {
  test("kanji are replaced by their pronunciation; kana, Latin letters and digits stay", async () => {
    const out = await kanaForSpeech("小さな町は静かな川のそばにあります。ABC と 42。");
    assert.doesNotMatch(out, /\p{Script=Han}/u);
    assert.match(out, /マチは/);
    assert.match(out, /カワのそばにあります。ABC と 42。$/);
  });

  test("espeak-ng reads the result as Japanese, not as English letters", async () => {
    const text = "毎朝、パン屋は日の出前に店を開けます。";
    assert.match(phonemes(text), /\(en\)/, "espeak-ng reads kanji as English words");
    assert.doesNotMatch(phonemes(await kanaForSpeech(text)), /\(en\)/);
  });

  test("text without kanji is returned as it is", async () => {
    assert.equal(await kanaForSpeech("ひらがな と カタカナ"), "ひらがな と カタカナ");
  });
});
