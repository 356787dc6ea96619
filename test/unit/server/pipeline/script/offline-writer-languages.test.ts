// The offline writer on briefs in eight languages of six writing systems: it says the brief's
// own sentences in its language, cut by Intl.Segmenter, and never an English word of its
// templates; its titles and visual queries are the sentences' own words.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { AUDIENCE_LINE, CLOSES, HOOKS, NOUN_FRAMES, REMEMBER_LINE, TRANSITIONS, VERB_FRAMES } from "../../../../../server/pipeline/script/offline-templates.ts";
import { writeOfflineScript } from "../../../../../server/pipeline/script/offline-writer.ts";
import { checkLanguage } from "../../../../../server/pipeline/script/language.ts";
import { leadingWords, sentencesIn, titleWords } from "../../../../../server/pipeline/script/own-words-writer.ts";
import { detectLanguage } from "../../../../../server/text/detect-language.ts";
import { LANGUAGE_TOPICS, languageBrief } from "../../../../helpers/writer-briefs.ts";

/** Every word the English templates say of their own, whatever they are given. */
const TEMPLATE_WORDS = (() => {
  const c = { subject: "\u0000", audience: "\u0000", phrase: "\u0000", other: "\u0000" };
  const all = [
    ...Object.values(HOOKS),
    ...Object.values(TRANSITIONS),
    ...Object.values(CLOSES),
    NOUN_FRAMES,
    VERB_FRAMES,
    [AUDIENCE_LINE, REMEMBER_LINE],
  ].flat();
  return new Set(
    all.flatMap(
      (t) =>
        t(c)
          .toLowerCase()
          .match(/[a-z']{3,}/g) ?? [],
    ),
  );
})();

describe("offline writer in other languages", () => {
  for (const language of Object.keys(LANGUAGE_TOPICS)) {
    test(`${language}: the brief's own sentences, in ${language}, with no English template word`, () => {
      const brief = languageBrief(language);
      assert.equal(brief.language, language);
      const script = writeOfflineScript(brief);
      const own = sentencesIn(brief.topic, language, 1);
      assert.ok(own.length >= 4, `${own.length} sentences`);
      assert.deepEqual(
        script.scenes.map((s) => s.role),
        ["hook", ...script.scenes.slice(2).map(() => "body" as const), "close"].slice(0, script.scenes.length),
      );
      // Said in order, each once, nothing added: the narrations together are the brief's sentences.
      const said = script.scenes.flatMap((s) => sentencesIn(s.narration, language, 1));
      assert.deepEqual(said, own);
      // The whole narration is detected as the language, and each scene passes the writers' own
      // check. franc-min reads this Russian as Bulgarian (a short sentence even as Kazakh):
      // the writers' check takes a language Aura does not write as that mistake.
      const whole = script.scenes.map((s) => s.narration).join(" ");
      if (language === "ru") assert.deepEqual(checkLanguage(whole, language), { ok: true });
      else assert.equal(detectLanguage(whole)?.code, language);
      for (const scene of script.scenes) {
        assert.deepEqual(checkLanguage(scene.narration, language), { ok: true }, scene.narration);
        const text = [scene.title, scene.narration, scene.visualPrompt, ...scene.keywords, ...(scene.shots ?? []).map((s) => s.query)].join(" ");
        const english = (text.toLowerCase().match(/[a-z']{3,}/g) ?? []).filter((w) => TEMPLATE_WORDS.has(w));
        assert.deepEqual(english, [], `English template words in ${language}: ${english.join(", ")}`);
        // Titles and visual queries are the scene's own words.
        const words = (q: string) => q.split(/[\s,…]+/).filter(Boolean);
        for (const word of [...words(scene.title), ...scene.keywords, ...(scene.shots ?? []).flatMap((s) => words(s.query))])
          assert.ok(scene.narration.toLocaleLowerCase(language).includes(word.toLocaleLowerCase(language)), `"${word}" is not in "${scene.narration}"`);
      }
      assert.ok(script.title.length > 0 && brief.topic.startsWith(script.title.replace(/…$/, "")), script.title);
      if (language !== "es") assert.doesNotMatch(JSON.stringify(script.scenes.map((s) => [s.title, s.narration, s.keywords])), /[A-Za-z]/);
    });
  }

  test("Chinese, Japanese and Thai are cut into sentences by the segmenter, not by spaces or full stops alone", () => {
    assert.deepEqual(sentencesIn(LANGUAGE_TOPICS.zh!, "zh"), [
      "蜜蜂怎样酿造蜂蜜。",
      "蜜蜂整天从花朵里采集花蜜。",
      "在蜂巢里，工蜂把花蜜一只传给另一只。",
      "它们用翅膀扇风，让花蜜变得浓稠。",
    ]);
    assert.deepEqual(sentencesIn("ミツバチは一日中、花から蜜を集めます！巣の中で蜜を渡します", "ja"), [
      "ミツバチは一日中、花から蜜を集めます！",
      "巣の中で蜜を渡します。",
    ]);
    // Thai ends a sentence with a space, and its words have none: each sentence is many words.
    const thai = sentencesIn(LANGUAGE_TOPICS.th!, "th");
    assert.deepEqual(thai, ["ผึ้งทำน้ำผึ้งอย่างไร", "ผึ้งเก็บน้ำหวานจากดอกไม้ทั้งวัน", "ในรังผึ้งงานส่งน้ำหวานต่อกัน", "ผึ้งใช้ปีกพัดให้น้ำหวานข้นขึ้น"]);
    // Titles are whole words: the segmenter's, not characters cut in the middle of one.
    assert.equal(leadingWords("ผึ้งเก็บน้ำหวานจากดอกไม้ทั้งวัน", "th", 4), "ผึ้งเก็บน้ำหวาน…");
    assert.equal(leadingWords("Las abejas recogen el néctar.", "es", 3), "Las abejas recogen…");
    // A scene's title is never cut with "…", nor left on a little word or a comma.
    assert.equal(titleWords("Одни собирают нектар с цветов, а другие строят соты.", "ru", 6), "Одни собирают нектар с цветов");
    assert.equal(titleWords("Las abejas recogen el néctar de las flores.", "es", 4), "Las abejas recogen");
    assert.equal(titleWords("ผึ้งเก็บน้ำหวานจากดอกไม้ทั้งวัน", "th", 4), "ผึ้งเก็บน้ำหวาน");
    // A Hindi sentence without its end mark gets the danda, not a Latin full stop.
    assert.deepEqual(sentencesIn("मधुमक्खियाँ शहद बनाती हैं", "hi"), ["मधुमक्खियाँ शहद बनाती हैं।"]);
  });

  test("a one-sentence brief still makes three scenes, cut between words, and says it is shorter", () => {
    const script = writeOfflineScript(languageBrief("zh", { topic: "蜜蜂整天从花朵里采集花蜜然后把蜂蜜存进巢房", targetLengthSec: 60 }));
    assert.equal(script.scenes.length, 3);
    assert.equal(script.scenes.map((s) => s.narration.replace(/。$/, "")).join(""), "蜜蜂整天从花朵里采集花蜜然后把蜂蜜存进巢房");
    assert.ok(script.shortened, "too little material for 60 s");
  });

  test("the workspace's passages in the language join the brief's sentences", () => {
    const script = writeOfflineScript(languageBrief("es", { targetLengthSec: 60 }), {
      passages: ["Una colmena fuerte tiene una reina y miles de obreras. Los zánganos viven solo en verano."],
    });
    const narration = script.scenes.map((s) => s.narration).join(" ");
    assert.match(narration, /Una colmena fuerte tiene una reina y miles de obreras\. Los zánganos viven solo en verano\./);
  });
});
