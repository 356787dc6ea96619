// Frame-exact timing of a render spec. Scene lengths are rounded to whole frames once,
// here, so that xfade offsets, audio delays and the final duration all agree.
import type { RenderSpec } from "./spec.ts";

export type SceneTiming = { frames: number; startFrame: number; startSec: number; durationSec: number };
export type TimelineTiming = { fps: number; transitionFrames: number; scenes: SceneTiming[]; totalFrames: number; totalSec: number };

export function computeTiming(spec: Pick<RenderSpec, "fps" | "scenes" | "transition">): TimelineTiming {
  const { fps } = spec;
  const transitionFrames = spec.scenes.length > 1 ? Math.round(spec.transition.duration * fps) : 0;
  let startFrame = 0;
  const scenes = spec.scenes.map((scene) => {
    const frames = Math.max(Math.round(scene.duration * fps), transitionFrames + 1);
    const timing = { frames, startFrame, startSec: startFrame / fps, durationSec: frames / fps };
    startFrame += frames - transitionFrames;
    return timing;
  });
  const last = scenes[scenes.length - 1]!;
  const totalFrames = last.startFrame + last.frames;
  return { fps, transitionFrames, scenes, totalFrames, totalSec: totalFrames / fps };
}
