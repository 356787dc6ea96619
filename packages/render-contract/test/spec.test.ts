import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderSpecSchema, type RenderSpecInput } from "@aura/render-contract";

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

describe("spec validation", () => {
  test("refuses storage keys that leave storage or look like URLs", () => {
    for (const key of ["../etc/passwd", "/etc/passwd", "a/../../b", "http://evil/x.png", "a//b"]) {
      const r = renderSpecSchema.safeParse({ ...base, scenes: [{ ...base.scenes[0], image: key }] });
      assert.equal(r.success, false, key);
      assert.deepEqual(r.error!.issues[0]!.path, ["scenes", 0, "image"]);
    }
  });
  test("a scene must outlast the transition", () => {
    const r = renderSpecSchema.safeParse({ ...base, scenes: [{ ...base.scenes[0], duration: 0.4 }, base.scenes[1]] });
    assert.equal(r.success, false);
    assert.deepEqual(r.error!.issues[0]!.path, ["scenes", 0, "duration"]);
  });
});
