import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { shotStarts } from "../../../../../server/pipeline/timeline/shot-cuts.ts";

const narration = "Farmers pick the red cherries by hand, one at a time. Then the seeds dry in the sun for two weeks, and roasters turn them brown.";

describe("where shots are cut", () => {
  test("at the phrase boundary nearest an equal share, on whole frames", () => {
    const starts = shotStarts({ narration, sceneSec: 9.1, leadSec: 0.3, narrationSec: 8, wanted: 2, fps: 30 });
    assert.equal(starts.length, 2);
    assert.equal(starts[0], 0);
    // "Then" starts after 53 of the 127 characters: 0.3 + 8 × 53/127 ≈ 3.64 s; the equal share is 4.55 s.
    assert.ok(Math.abs(starts[1]! - 3.64) < 0.05, String(starts[1]));
    assert.equal(Math.round(starts[1]! * 30), starts[1]! * 30);
  });

  test("by the voice's own word times when it gave them", () => {
    const words = narration.split(" ").map((word, i) => ({ word, startSec: i < 11 ? i * 0.2 : 4 + (i - 11) * 0.3, endSec: 0 }));
    for (const [i, w] of words.entries()) w.endSec = words[i + 1]?.startSec ?? 8;
    const starts = shotStarts({ narration, sceneSec: 9.1, leadSec: 0.3, narrationSec: 8, words, wanted: 2, fps: 30 });
    // "Then" is word 11, said at 4.0 s: the cut is at 0.3 + 4.0.
    assert.equal(starts[1], 4.3);
  });

  test("no shot shorter than 2.5 s: a short scene gets fewer shots", () => {
    assert.deepEqual(shotStarts({ narration, sceneSec: 4, leadSec: 0.3, narrationSec: 3, wanted: 3, fps: 30 }), [0]);
    const starts = shotStarts({ narration: "no punctuation at all here just words", sceneSec: 7.6, leadSec: 0.3, narrationSec: 6.5, wanted: 4, fps: 30 });
    assert.equal(starts.length, 3);
    const ends = [...starts.slice(1), 7.6];
    for (const [k, s] of starts.entries()) assert.ok(ends[k]! - s >= 2.5 - 1e-9, `${s}..${ends[k]}`);
  });

  test("text without spaces is cut between its characters", () => {
    const zh = "咖啡豆生长在温暖的山上，远离喝咖啡的城市。农民用手采摘红色的果实，然后在阳光下晒干两个星期。";
    const starts = shotStarts({ narration: zh, sceneSec: 10, leadSec: 0.3, narrationSec: 9, wanted: 2, fps: 30 });
    // The second sentence starts at character 21 of 46: 0.3 + 9 × 21/46 ≈ 4.41 s.
    assert.ok(Math.abs(starts[1]! - 4.41) < 0.05, String(starts[1]));
  });
});
