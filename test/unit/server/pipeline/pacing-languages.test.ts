// Pacing per language: languages written without spaces are counted in characters, cut by
// characters, and their estimated speech length lands within 15% of what espeak-ng (the voice
// every language has) really takes to say a passage, measured here by synthesising it (zh,
// ja, th, es); spaced
// languages keep words at their own measured rate; English stays as it was.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { countWords, cutToWords, estimateSpeechSec, NARRATION_WPM, pacedByCharacters, wordsPerScene } from "../../../../server/pipeline/pacing.ts";
import { kanaForSpeech } from "../../../../server/pipeline/narration/japanese-reading.ts";
import { synthesizeEspeak } from "../../../../server/providers/tts/espeak.ts";

/** Passages other than the two the rates were measured on (bench/voices.ts --pace). */
const PASSAGES: Record<string, { voice: string; text: string }> = {
  zh: {
    voice: "zh-female",
    text: "干净的水是一座城市能给人们的最重要的东西之一。管道把水从湖泊和水井送到每一户人家，水厂在途中除去泥土和细菌。系统运转良好的时候没有人注意到它，可是一台坏掉的水泵就能让成千上万的家庭喝不上水。",
  },
  es: {
    voice: "es-male",
    text: "El agua limpia es una de las cosas más importantes que una ciudad puede dar a su gente. Las tuberías la llevan desde lagos y pozos hasta cada casa, y las plantas quitan la suciedad y los gérmenes por el camino. Cuando el sistema funciona bien nadie lo nota, pero una sola bomba rota puede dejar sin agua a miles de familias.",
  },
  ja: {
    voice: "ja-female",
    text: "きれいな水は、町が人々に与えられる最も大切なものの一つです。水道管が湖や井戸から各家庭へ水を運び、浄水場が途中で泥や細菌を取り除きます。",
  },
  th: {
    voice: "th-male",
    text: "น้ำสะอาดเป็นสิ่งสำคัญที่สุดอย่างหนึ่งที่เมืองมอบให้ผู้คน ท่อส่งน้ำจากทะเลสาบและบ่อไปยังทุกบ้าน และโรงกรองก็กำจัดสิ่งสกปรกและเชื้อโรคระหว่างทาง",
  },
};

describe("pacing per language", () => {
  test("Chinese, Japanese and Thai count characters; spaced languages and no language count words", () => {
    assert.equal(countWords("这个小镇坐落在河边。", "zh"), 9);
    assert.equal(countWords("這個小鎮。", "zh-TW"), 4);
    assert.equal(countWords("小さな町です。", "ja"), 6);
    // Grapheme clusters: a consonant with its vowel and tone marks is one (มื, ล็).
    assert.equal(countWords("เมืองเล็กๆ", "th"), 8);
    assert.equal(countWords("El pequeño pueblo, 42 veces.", "es"), 5);
    assert.equal(countWords("Hello, world — 42 times!", "en"), 4);
    // No language: segmenter words, as before.
    assert.equal(countWords("这个小镇坐落在河边。"), countWords("这个小镇坐落在河边。", "en"));
    assert.ok(pacedByCharacters("zh-Hant") && pacedByCharacters("th") && !pacedByCharacters("ko") && !pacedByCharacters(undefined));
  });

  test("cutting Chinese keeps whole sentences joined without spaces, else cuts by characters", () => {
    const sentences = ["这个小镇很安静。", "河水流过田野。", "面包师每天早上开门，新鲜面包的香味飘满了整条街道。"];
    const text = sentences.join("");
    assert.equal(cutToWords(text, 14, sentences, "zh"), "这个小镇很安静。河水流过田野。");
    const cut = cutToWords(text, 5, sentences, "zh");
    assert.equal(cut, "这个小镇很。");
    assert.equal(countWords(cut, "zh"), 5);
  });

  test("English estimates and scene sizes are unchanged", () => {
    const text = "One two three four five six seven eight nine ten eleven.";
    assert.equal(estimateSpeechSec(text), (11 / NARRATION_WPM) * 60);
    assert.equal(estimateSpeechSec(text, 150, "en"), (11 / 150) * 60);
    assert.equal(wordsPerScene(60, 6), wordsPerScene(60, 6, NARRATION_WPM, "en"));
    assert.equal(wordsPerScene(60, 6, 150), Math.max(6, Math.round(((60 - 6 * 1.1 + 5 * 0.5) / 6) * (150 / 60))));
  });

  test("a scene of Chinese holds characters, more than its words", () => {
    const chars = wordsPerScene(60, 6, NARRATION_WPM, "zh");
    const seconds = (60 - 6 * 1.1 + 5 * 0.5) / 6;
    assert.equal(chars, Math.round(seconds * 3.48));
    // A slower script pace asks for fewer characters.
    assert.ok(wordsPerScene(60, 6, NARRATION_WPM * 0.8, "zh") < chars);
  });

  for (const [language, { voice, text }] of Object.entries(PASSAGES)) {
    test(`${language}: the estimate is within 15% of espeak-ng's measured speech`, async () => {
      // Japanese is spoken as the narration stage speaks it, kanji as their kana.
      const said = language === "ja" ? await kanaForSpeech(text) : text;
      const speech = await synthesizeEspeak(said, voice, { binary: "espeak-ng" });
      const estimate = estimateSpeechSec(text, NARRATION_WPM, language);
      const error = Math.abs(estimate - speech.durationSec) / speech.durationSec;
      assert.ok(error < 0.15, `${countWords(text, language)} units: estimated ${estimate.toFixed(2)} s, spoken ${speech.durationSec.toFixed(2)} s`);
    });
  }
});
