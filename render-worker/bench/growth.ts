// The growth bench's videos (render.ts --growth): the bench video's stills, narrations and
// captions (bench-video.ts) stretched to any length, scene count and size, so that render
// time per second of content can be compared across them (issue 23 point 3).
import { computeTiming, renderSpecSchema, type RenderSpec, type RenderSpecInput } from "@aura/render-contract";
import { benchLook, SENTENCES } from "./bench-video.ts";

const MOTIONS = ["zoom-in", "pan-right", "zoom-out", "pan-left"] as const;

/** `scenes` scenes over `seconds` in all (0.5 s crossfades), at `width`×`height`, 30 fps, with
 *  captions, titles and ducked music; the stills and narrations of bench-video.ts in turn. */
export function growthSpec(o: { scenes: number; seconds: number; width: number; height: number; quality: "draft" | "standard"; tag: string }): RenderSpec {
  const duration = (o.seconds + (o.scenes - 1) * 0.5) / o.scenes;
  const input: RenderSpecInput = {
    version: 1,
    width: o.width,
    height: o.height,
    fps: 30,
    quality: o.quality,
    scenes: Array.from({ length: o.scenes }, (_, i) => ({
      image: `in/scene-${i % SENTENCES.length}.png`,
      narration: `in/voice-${i % SENTENCES.length}.wav`,
      duration,
      narrationOffset: 0.3,
      motion: { kind: MOTIONS[i % 4]!, strength: 0.12 },
      title: `Scene ${i + 1}`,
    })),
    ...benchLook(o.tag),
  };
  const timing = computeTiming(renderSpecSchema.parse(input));
  input.captions.cues = input.scenes.map((_, i) => ({
    start: timing.scenes[i]!.startSec + 0.3,
    end: timing.scenes[i]!.startSec + duration - 0.3,
    text: SENTENCES[i % SENTENCES.length]!,
  }));
  return renderSpecSchema.parse(input);
}
