// Knowledge search's words in other languages than English: words found by Intl.Segmenter
// (Chinese, Japanese and Thai have no spaces), folded by the language's case rules, without
// the language's stop words; and long passages cut at the sentence ends of every script.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chunkText } from "../../../../server/knowledge/chunk.ts";
import { extractKeywords, foldCase, STOPWORDS, stopwordsFor, wordsOf } from "../../../../server/text/keywords.ts";

describe("search words per language", () => {
  test("text without spaces has words", () => {
    assert.deepEqual(wordsOf("蜜蜂整天从花朵里采集花蜜。", "zh"), ["蜜蜂", "整天", "从", "花朵", "里", "采集", "花蜜"]);
    assert.ok(wordsOf("ผึ้งเก็บน้ำหวานจากดอกไม้", "th").includes("ดอกไม้"));
    assert.ok(wordsOf("ミツバチは花から蜜を集めます", "ja").includes("ミツバチ"));
    assert.deepEqual(extractKeywords("蜜蜂整天从花朵里采集花蜜。工蜂把花蜜传给另一只蜜蜂。", 3, "zh"), ["蜜蜂", "花蜜", "整天"]);
  });

  test("case folds by the language's rules", () => {
    // Turkish: capital dotted İ is i, capital I is dotless ı; elsewhere I is i.
    assert.equal(foldCase("İSTANBUL", "tr"), "istanbul");
    assert.equal(foldCase("IRMAK", "tr"), "ırmak");
    assert.equal(foldCase("IRMAK", "en"), "irmak");
    // Greek final sigma matches the medial one; Cyrillic and German fold too; full-width Latin is Latin.
    assert.equal(foldCase("ΟΔΟΣ", "el"), foldCase("οδοσ", "el"));
    assert.equal(foldCase("ПЧЁЛЫ", "ru"), "пчёлы");
    assert.equal(foldCase("STRASSE", "de"), foldCase("Straße", "de"));
    assert.equal(foldCase("ＡＩ", "zh"), "ai");
  });

  test("stop words come per language, English keeps its own list", () => {
    assert.equal(stopwordsFor("en"), STOPWORDS);
    assert.ok(stopwordsFor("es").has("las") && stopwordsFor("es").has("de"));
    assert.ok(stopwordsFor("zh").has("的"));
    assert.ok(stopwordsFor("zh-Hant").has("的"));
    assert.ok(stopwordsFor("ru").has("и"));
    assert.deepEqual(extractKeywords("Las abejas recogen el néctar de las flores. Las abejas guardan la miel.", 3, "es"), ["abejas", "recogen", "néctar"]);
  });

  test("a long Chinese paragraph is cut between sentences, not in the middle of one", () => {
    const sentence = "蜜蜂整天从花朵里采集花蜜，然后回到蜂巢把花蜜交给工蜂。";
    const chunks = chunkText(sentence.repeat(80));
    assert.ok(chunks.length > 1);
    for (const chunk of chunks) assert.ok(chunk.endsWith("。"), chunk.slice(-10));
  });
});
