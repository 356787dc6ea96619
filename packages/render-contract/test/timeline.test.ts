import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { computeTiming, renderSpecSchema, type RenderSpecInput } from "@aura/render-contract";

const base: RenderSpecInput = {
  version: 1,
  width: 1920,
  height: 1080,
  fps: 30,
  scenes: [
    { image: "a.png", narration: "a.wav", duration: 4.01, narrationOffset: 0.3, motion: { kind: "zoom-in", strength: 0.1 } },
    { image: "b.png", narration: "b.wav", duration: 3.5, narrationOffset: 0.3, motion: { kind: "pan-left", strength: 0.1 } },
    { image: "c.png", narration: null, duration: 2, narrationOffset: 0, motion: { kind: "none", strength: 0 } },
  ],
  transition: { kind: "crossfade", duration: 0.5 },
  captions: { enabled: true, cues: [{ start: 0.3, end: 2, text: "Secret caption; [x], 'quoted': 100%" }] },
  music: { source: { kind: "generated", mood: "calm" }, volumeDb: -16, duck: true },
  loudness: { integratedLufs: -16, truePeakDb: -1.5 },
  output: { video: "o/v.mp4", poster: "o/p.jpg" },
};
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
