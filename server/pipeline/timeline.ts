// Builds the render spec from the script, the measured narrations and the visuals.
// Scene timing uses the render worker's own frame math, so captions land where scenes do.
import { computeTiming } from "../../render-worker/src/timeline.ts";
import type { RenderSpecInput, RenderSpec } from "../../render-worker/src/spec.ts";
import { DIMENSIONS, type Brief } from "../videos/brief.ts";
import { NARRATION_LEAD_SEC, TRANSITION_SEC, sceneDurationSec } from "./pacing.ts";
import type { Script } from "./script/types.ts";

export type SceneMedia = { narrationKey: string; narrationSec: number; imageKey: string };

const MOTIONS = ["zoom-in", "pan-right", "zoom-out", "pan-left"] as const;

/** Splits narration into caption cues of at most ~`maxChars`, at punctuation where possible,
 *  timed in proportion to their length across the narration. */
export function splitCaptions(text: string, startSec: number, durationSec: number, maxChars = 42, options: { words?: boolean } = {}) {
  const words = text.split(/\s+/).filter(Boolean);
  const chunks: string[] = [];
  let current = "";
  for (const word of words) {
    const next = current ? `${current} ${word}` : word;
    if (next.length > maxChars && current) {
      chunks.push(current);
      current = word;
    } else {
      current = next;
      if (/[.!?;:]$/.test(word) && current.length > maxChars * 0.5) {
        chunks.push(current);
        current = "";
      }
    }
  }
  if (current) chunks.push(current);
  const totalChars = chunks.reduce((a, c) => a + c.length, 0) || 1;
  // Rounded within the scene, not on the whole timeline: the same scene then has the same
  // cues wherever it moves, and the render worker can reuse its rendered segments.
  let t = 0;
  return chunks.map((chunk) => {
    const d = (chunk.length / totalChars) * durationSec;
    const cue = { start: startSec + round(t), end: startSec + round(t + d), text: chunk, ...(options.words ? { words: wordTimes(chunk, t, d, startSec) } : {}) };
    t += d;
    return cue;
  });
}

/** Each word's time within its cue, in proportion to its length (plus a space): an estimate
 *  across the measured narration, good enough to follow the voice word by word. */
function wordTimes(chunk: string, from: number, duration: number, startSec: number) {
  const words = chunk.split(" ");
  const total = words.reduce((a, w) => a + w.length + 1, 0);
  let t = from;
  return words.map((word) => {
    const d = ((word.length + 1) / total) * duration;
    const timed = { text: word, start: startSec + round(t), end: startSec + round(t + d) };
    t += d;
    return timed;
  });
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export function buildRenderSpec(input: {
  brief: Brief;
  script: Script;
  media: SceneMedia[];
  output: { video: string; poster: string; srt?: string; vtt?: string };
}): RenderSpecInput {
  const { brief, script, media } = input;
  if (media.length !== script.scenes.length) throw new Error("one narration and one visual per scene are required");
  const { width, height } = DIMENSIONS[brief.aspectRatio];
  const fps = 30;
  const scenes = media.map((m, i) => ({
    image: m.imageKey,
    narration: m.narrationKey,
    duration: sceneDurationSec(m.narrationSec),
    narrationOffset: NARRATION_LEAD_SEC,
    motion: { kind: MOTIONS[i % MOTIONS.length]!, strength: 0.12 },
    title: script.scenes[i]!.title,
  }));
  const transition = { kind: brief.transition, duration: TRANSITION_SEC };
  const timing = computeTiming({ fps, scenes: scenes as RenderSpec["scenes"], transition });
  const cues = brief.captions
    ? script.scenes.flatMap((scene, i) => splitCaptions(scene.narration, timing.scenes[i]!.startSec + NARRATION_LEAD_SEC, media[i]!.narrationSec, 42, { words: brief.captionHighlight }))
    : [];
  // Titles: the video's title over the first scene (until its transition), then each later
  // scene's name sliding in as a lower third for up to 3 s once the transition into it is over.
  const T = timing.transitionFrames / fps;
  type Overlay = NonNullable<RenderSpecInput["overlays"]>[number];
  const overlays: Overlay[] = brief.titles
    ? timing.scenes.flatMap((s, i): Overlay[] => {
        const bodyEnd = s.startSec + s.durationSec - (i < timing.scenes.length - 1 ? T : 0);
        if (i === 0) return [{ kind: "title" as const, text: script.title, start: round(0.2), end: round(Math.max(0.6, Math.min(4, bodyEnd - 0.2))), animation: "fade" as const }];
        const start = s.startSec + T + 0.2;
        const end = Math.min(start + 3, bodyEnd - 0.2);
        return end - start >= 1 ? [{ kind: "lower-third" as const, text: script.scenes[i]!.title, start: round(start), end: round(end), animation: "slide" as const }] : [];
      })
    : [];
  return {
    version: 1,
    width,
    height,
    fps,
    quality: brief.quality,
    format: brief.format,
    scenes,
    transition,
    captions: { enabled: brief.captions, cues, style: { size: brief.captionSize, position: brief.captionPosition, highlightWords: brief.captionHighlight } },
    music: brief.music === "none" ? null : { source: { kind: "generated", mood: brief.music }, volumeDb: -16, duck: true },
    watermark: brief.watermark ? { source: { kind: "text", text: brief.watermark.text }, position: brief.watermark.position, opacity: 0.6, margin: 0.04 } : null,
    overlays,
    chapters: true,
    loudness: { integratedLufs: -16, truePeakDb: -1.5 },
    output: input.output,
  };
}
