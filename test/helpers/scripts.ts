// Narration and scenes of a given length for the script stage's unit tests.
import type { ScriptScene } from "../../server/pipeline/script/types.ts";

export const sentence = (n: number, topic = "honey") => `Bees turn nectar into ${topic} in sentence number ${n} of this scene.`;
export const words = (count: number, start = 0) => Array.from({ length: Math.ceil(count / 11) }, (_, i) => sentence(start + i)).join(" ");
export const scene = (narration: string, title = "A scene"): ScriptScene => ({
  id: "x",
  role: "body",
  title,
  narration,
  visualPrompt: "bees on a honeycomb",
  keywords: ["bees"],
});
