// The render spec the contract's and the worker's unit tests start from: three scenes (zoom, pan,
// still), a crossfade, a caption with characters that need escaping, a generated music bed.
import type { RenderSpecInput } from "@aura/render-contract";

export const base: RenderSpecInput = {
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
