import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { computeTiming, renderSpecSchema } from "@aura/render-contract";
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
