// Frame-exact timing of a render spec. Scene lengths are rounded to whole frames once,
// here, so that xfade offsets, audio delays and the final duration all agree.

/** What the timing depends on: the frame rate, each scene's length and the transition's. */
export type TimingInput = { fps: number; scenes: readonly { duration: number }[]; transition: { duration: number } };

export type SceneTiming = { frames: number; startFrame: number; startSec: number; durationSec: number };
export type TimelineTiming = { fps: number; transitionFrames: number; scenes: SceneTiming[]; totalFrames: number; totalSec: number };

export function computeTiming(spec: TimingInput): TimelineTiming {
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

export type Segment = {
  kind: "body" | "transition";
  /** Scenes it shows: one for a body, two (from, to) for a transition. */
  scenes: number[];
  /** Frames of each scene it starts from. */
  offsets: number[];
  frames: number;
  /** Its first frame in the whole video. */
  startFrame: number;
};

/**
 * The segments of a timeline, in order, or null when it cannot be cut into them (a scene
 * shorter than its two transitions: they would overlap).
 */
export function planSegments(timing: TimelineTiming): Segment[] | null {
  const T = timing.transitionFrames;
  const n = timing.scenes.length;
  const out: Segment[] = [];
  for (let i = 0; i < n; i++) {
    const s = timing.scenes[i]!;
    const from = i > 0 ? T : 0;
    const to = i < n - 1 ? s.frames - T : s.frames;
    if (to - from < 1) return null;
    out.push({ kind: "body", scenes: [i], offsets: [from], frames: to - from, startFrame: s.startFrame + from });
    if (i < n - 1 && T > 0)
      out.push({ kind: "transition", scenes: [i, i + 1], offsets: [s.frames - T, 0], frames: T, startFrame: timing.scenes[i + 1]!.startFrame });
  }
  return out;
}
