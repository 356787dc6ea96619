import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  countWords,
  cutToWords,
  NARRATION_LEAD_SEC,
  NARRATION_TAIL_SEC,
  planSceneCount,
  sceneDurationSec,
  wordsPerScene,
} from "../../../../server/pipeline/pacing.ts";

describe("pacing", () => {
  test("scene length is narration plus lead and tail", () => {
    assert.equal(sceneDurationSec(4), NARRATION_LEAD_SEC + 4 + NARRATION_TAIL_SEC);
    assert.equal(planSceneCount(15), 3);
    assert.equal(planSceneCount(180), 16);
    assert.ok(wordsPerScene(120, 13) > wordsPerScene(30, 3) * 0.9);
    assert.equal(countWords("Hello, world — 42 times!"), 4);
  });

  test("cutting to a number of words keeps whole sentences when they keep enough, else cuts inside the next", () => {
    const long = `${Array.from({ length: 50 }, (_, i) => `word${i}`).join(" ")}.`;
    const cut = cutToWords(`Yes. ${long}`, 43, ["Yes.", long]);
    assert.equal(countWords(cut), 43);
    assert.match(cut, /^Yes\. word0 .* word41\.$/);
    assert.equal(cutToWords("One two three. Four five six seven.", 5, ["One two three.", "Four five six seven."]), "One two three.");
  });
});
