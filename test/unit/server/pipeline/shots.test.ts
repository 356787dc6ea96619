import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { deriveShotQueries, groupPhrases, MAX_SHOTS, phrasesOf, planShotCount, shotsOf } from "../../../../server/pipeline/shots.ts";

const narration =
  "Coffee beans grow on small trees in warm hills, far from the cities that drink them. Farmers pick the red cherries by hand, one at a time; then the seeds are dried in the sun for two weeks. Roasters turn them brown.";

describe("shots of a scene", () => {
  test("a scene gets one shot below 6 s, then about one per 4.5 s, never one under 2.5 s", () => {
    assert.deepEqual([3, 5.9, 6, 9, 13.5, 18, 40].map(planShotCount), [1, 1, 1, 2, 3, 4, MAX_SHOTS]);
    for (const sec of [6, 7, 9, 12, 20, 33]) assert.ok(sec / planShotCount(sec) >= 2.5, String(sec));
  });

  test("phrases end at punctuation, in any script", () => {
    assert.deepEqual(phrasesOf("One, two. Three; four"), ["One,", "two.", "Three;", "four"]);
    assert.deepEqual(phrasesOf("咖啡豆生长在山上，农民采摘果实。然后晒干。"), ["咖啡豆生长在山上，", "农民采摘果实。", "然后晒干。"]);
  });

  test("phrases are gathered in order into runs of about equal words, none skipped", () => {
    const phrases = phrasesOf(narration);
    for (let count = 1; count <= phrases.length; count++) {
      const runs = groupPhrases(phrases, count);
      assert.equal(runs.length, count);
      assert.equal(runs.join(" "), phrases.join(" "), `order kept for ${count}`);
      assert.ok(runs.every(Boolean), `no empty run for ${count}`);
    }
    assert.deepEqual(groupPhrases(phrases, 3), [
      "Coffee beans grow on small trees in warm hills, far from the cities that drink them.",
      "Farmers pick the red cherries by hand, one at a time;",
      "then the seeds are dried in the sun for two weeks. Roasters turn them brown.",
    ]);
  });

  test("each shot's query comes from the words its part of the narration says, and no two are the same", () => {
    const queries = deriveShotQueries({ narration, keywords: ["coffee"], visualPrompt: "a coffee farm", title: "Where coffee grows" }, 3);
    assert.deepEqual(queries, ["coffee beans small", "farmers red hand", "seeds dried sun"]);
    const same = deriveShotQueries({ narration: "Tea. Tea. Tea. Tea.", keywords: ["tea", "leaves", "cup"], visualPrompt: "tea", title: "Tea" }, 4);
    assert.equal(new Set(same).size, 4, same.join(" | "));
  });

  test("the writer's shots are kept; a script without them gets derived ones", () => {
    const given = shotsOf({ narration, keywords: [], visualPrompt: "x", title: "T", shots: [{ query: "farmer picking coffee cherries" }] }, 160);
    assert.deepEqual(given, [{ query: "farmer picking coffee cherries" }]);
    const derived = shotsOf({ narration, keywords: ["coffee"], visualPrompt: "x", title: "T" }, 160);
    assert.equal(derived.length, planShotCount(0.3 + (40 / 160) * 60 + 0.8));
  });
});
