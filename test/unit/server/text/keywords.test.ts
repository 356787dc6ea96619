import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { writeOfflineScript } from "../../../../server/pipeline/script/offline-writer.ts";
import { extractKeywords } from "../../../../server/text/keywords.ts";
import { coffeeBrief as brief } from "../../../helpers/briefs.ts";

describe("key words", () => {
  test("things rank before actions", () => {
    const words = extractKeywords("How coffee spread around the world. It began in Ethiopia. Traders carried it to Yemen. Coffee houses spread across Europe.");
    assert.equal(words[0], "coffee");
    assert.ok(words.indexOf("spread") === -1 || words.indexOf("spread") > words.indexOf("europe"));
    assert.ok(!words.includes("across"));
  });

  test("the close names the brief's key phrases, and repeats none of its sentences", () => {
    const script = writeOfflineScript(
      brief({
        topic: "How coffee spread. It began in Ethiopia. Traders carried it to Yemen. Coffee houses spread across Europe.",
        tone: "informative",
        targetLengthSec: 45,
      }),
    );
    const close = script.scenes.at(-1)!.narration;
    assert.match(close, /Worth remembering: Ethiopia and \w+/);
    assert.doesNotMatch(close, /began in Ethiopia|carried it to Yemen|spread across Europe/);
  });
});
