import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chapterList, computeTiming, renderSpecSchema } from "@aura/render-contract";
import { base } from "./fixtures.ts";

const spec = renderSpecSchema.parse(base);
describe("timeline timing", () => {
  test("rounds scenes to whole frames and overlaps them by the transition", () => {
    const t = computeTiming(spec);
    assert.deepEqual(
      t.scenes.map((s) => s.frames),
      [120, 105, 60],
    );
    assert.deepEqual(
      t.scenes.map((s) => s.startFrame),
      [0, 105, 195],
    );
    assert.equal(t.totalFrames, 255);
    assert.equal(t.totalSec, 8.5);
  });
});

describe("chapters of shots", () => {
  test("a shot that continues its scene has no chapter of its own", () => {
    const scenes = [
      { duration: 4, title: "One" },
      { duration: 3, continues: true },
      { duration: 5, title: "Two" },
      { duration: 2, continues: true },
    ];
    const timing = computeTiming({ fps: 30, scenes, transition: { duration: 0.5 } });
    assert.deepEqual(chapterList({ scenes }, timing), [
      { title: "One", startMs: 0, endMs: 6000 },
      { title: "Two", startMs: 6000, endMs: 12500 },
    ]);
  });
});
