// Builds the render spec from the script, the measured narrations and the visuals.
// Scene timing uses the render contract's frame math (the worker's too), so captions land where scenes do.
import { computeTiming, type RenderSpecInput } from "@aura/render-contract";
import { videoSize, type Brief } from "../../videos/brief.ts";
import { NARRATION_LEAD_SEC, TRANSITION_SEC, sceneDurationSec } from "../pacing.ts";
import { shotStarts } from "./shot-cuts.ts";
import type { Script } from "../script/types.ts";

export { alignWords, type SpokenWord } from "./align.ts";
import { alignWords, type SpokenWord } from "./align.ts";
/** One shot's picture as the visuals stage stored it: a still or a video clip. */
export type ShotMedia = { kind: "image" | "clip"; key: string; width?: number; height?: number; durationSec?: number };
/** A scene's measured narration and its pictures: `imageKey` alone (one still for the whole
 *  scene), or its shots in order (`shots`, which then replace it). */
export type SceneMedia = { narrationKey: string; narrationSec: number; imageKey: string; shots?: ShotMedia[]; words?: SpokenWord[] };

const MOTIONS = ["zoom-in", "pan-right", "zoom-out", "pan-left"] as const;

/** A clip of the brand kit (intro or outro), already copied into the video's keys. */
export type BrandClip = { key: string; durationSec: number; width: number | null; height: number | null; hasAudio: boolean };
/** What the brand kit adds to a video, its files already in the video's keys. */
export type SpecBrand = {
  captionColor: string;
  captionHighlightColor: string;
  /** The logo in a corner of every frame. */
  watermark: { key: string; position: NonNullable<RenderSpecInput["watermark"]>["position"]; opacity: number } | null;
  /** The logo on the brand colour, a still before the first scene. */
  introCard: { key: string } | null;
  intro: BrandClip | null;
  outro: BrandClip | null;
  font: { key: string; family: string } | null;
  music: { key: string } | null;
};

/** How long the intro card shows on its own, before the transition into what follows. */
export const INTRO_CARD_SEC = 2;
/** The longest part of an intro or outro clip that plays. */
export const BRAND_CLIP_MAX_SEC = 30;

/** Splits narration into caption cues of at most ~`maxChars`, at punctuation where possible,
 *  timed in proportion to their length across the narration. */
export function splitCaptions(text: string, startSec: number, durationSec: number, maxChars = 42, options: { words?: boolean; spoken?: SpokenWord[] } = {}) {
  // A run without spaces longer than a line (a long URL, unspaced CJK text) is cut into
  // line-sized pieces between characters, so that no cue outgrows the line or the spec.
  const words = text
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word) => (word.length > maxChars ? piecesOf(word, maxChars) : [word]));
  const aligned = options.spoken ? alignWords(words, options.spoken, durationSec) : null;
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
  if (aligned) {
    // The voice's timings: each cue from its first word to the next cue's first word.
    let next = 0;
    return chunks.map((chunk, c) => {
      const first = next;
      next += chunk.split(" ").length;
      const start = aligned[first]!.start;
      const end = c + 1 < chunks.length ? aligned[next]!.start : Math.max(aligned.at(-1)!.end, start);
      const timed = chunk
        .split(" ")
        .map((word, k) => ({ text: word, start: startSec + round(aligned[first + k]!.start), end: startSec + round(aligned[first + k]!.end) }));
      return { start: startSec + round(start), end: startSec + round(end), text: chunk, ...(options.words ? { words: timed } : {}) };
    });
  }
  const totalChars = chunks.reduce((a, c) => a + c.length, 0) || 1;
  // Rounded within the scene, not on the whole timeline: the same scene then has the same
  // cues wherever it moves, and the render worker can reuse its rendered segments.
  let t = 0;
  return chunks.map((chunk) => {
    const d = (chunk.length / totalChars) * durationSec;
    const cue = {
      start: startSec + round(t),
      end: startSec + round(t + d),
      text: chunk,
      ...(options.words ? { words: wordTimes(chunk, t, d, startSec) } : {}),
    };
    t += d;
    return cue;
  });
}

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** A long run of text in pieces of at most `max` UTF-16 units, never inside a character. */
function piecesOf(word: string, max: number) {
  const pieces = [""];
  for (const { segment } of graphemes.segment(word)) {
    if (pieces.at(-1)!.length + segment.length > max) pieces.push("");
    pieces[pieces.length - 1] += segment;
  }
  return pieces;
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

/** A scene's picture-in-picture: the first still of the scene it names, in the corner it
 *  names (none when that scene is gone or shows only clips); size and frame are the render
 *  spec's defaults. */
function insetOf(script: Script, media: SceneMedia[], index: number) {
  const inset = script.scenes[index]!.inset;
  const source = inset ? script.scenes.findIndex((s) => s.id === inset.sceneId) : -1;
  if (!inset || source < 0 || source === index) return null;
  const still = shotsOfMedia(media[source]!).find((shot) => shot.kind === "image");
  return still ? { image: still.key, position: inset.position } : null;
}

const shotsOfMedia = (m: SceneMedia): ShotMedia[] => (m.shots?.length ? m.shots : [{ kind: "image", key: m.imageKey }]);

/** A clip fills the frame by cropping when its shape is near the video's, else it is shown
 *  whole over a blurred copy of itself. */
function clipFit(shot: ShotMedia, width: number, height: number) {
  if (!shot.width || !shot.height) return "crop" as const;
  const ratio = shot.width / shot.height / (width / height);
  return ratio > 1.5 || ratio < 1 / 1.5 ? ("blur" as const) : ("crop" as const);
}

export function buildRenderSpec(input: {
  brief: Brief;
  script: Script;
  media: SceneMedia[];
  output: { video: string; poster: string; srt?: string; vtt?: string };
  brand?: SpecBrand | null;
  /** Picks the piece the worker composes for generated music: the video's id, so that every
   *  render of one video plays the same music (and reuses the worker's cached bed). */
  musicSeed?: string;
}): RenderSpecInput {
  const { brief, script, media } = input;
  const brand = input.brand ?? null;
  if (media.length !== script.scenes.length) throw new Error("one narration and one visual per scene are required");
  const { width, height } = videoSize(brief);
  const fps = 30;
  const T = TRANSITION_SEC;
  // Each scene's shots, cut at phrase boundaries of its measured narration. A shot lasts until
  // the next one starts plus the transition into it; the scene's last shot ends where the
  // scene would, so scenes start where they would as one shot.
  const firstShot: number[] = [];
  const scenes: RenderSpecInput["scenes"] = [];
  // The brand kit's intro card and intro clip come first: shots without narration, each its own chapter.
  const still = { kind: "none" as const, strength: 0 };
  const brandClip = (clip: BrandClip, title: string) => ({
    clip: {
      key: clip.key,
      start: 0,
      volumeDb: clip.hasAudio ? 0 : null,
      fit: clipFit({ kind: "clip", key: clip.key, width: clip.width ?? undefined, height: clip.height ?? undefined }, width, height),
    },
    narration: null,
    duration: Math.min(clip.durationSec, BRAND_CLIP_MAX_SEC),
    motion: still,
    title,
    inset: null,
  });
  if (brand?.introCard) scenes.push({ image: brand.introCard.key, narration: null, duration: INTRO_CARD_SEC + T, motion: still, title: "Intro", inset: null });
  if (brand?.intro) scenes.push(brandClip(brand.intro, "Intro"));
  const lead = scenes.length;
  media.forEach((m, i) => {
    const scene = script.scenes[i]!;
    const sceneSec = sceneDurationSec(m.narrationSec);
    const shots = shotsOfMedia(m);
    const starts = shotStarts({
      narration: scene.narration,
      sceneSec,
      leadSec: NARRATION_LEAD_SEC,
      narrationSec: m.narrationSec,
      ...(m.words ? { words: m.words } : {}),
      wanted: shots.length,
      fps,
    });
    const inset = insetOf(script, media, i);
    firstShot.push(scenes.length);
    starts.forEach((start, k) => {
      const shot = shots[k]!;
      const end = starts[k + 1];
      const first = k === 0;
      scenes.push({
        ...(shot.kind === "clip" ? { clip: { key: shot.key, start: 0, fit: clipFit(shot, width, height) } } : { image: shot.key }),
        ...(first ? {} : { continues: true }),
        narration: first ? m.narrationKey : null,
        duration: end === undefined ? sceneSec - start : end - start + T,
        narrationOffset: first ? NARRATION_LEAD_SEC : 0,
        motion: shot.kind === "clip" ? { kind: "none", strength: 0 } : { kind: MOTIONS[scenes.length % MOTIONS.length]!, strength: 0.12 },
        ...(first ? { title: scene.title } : {}),
        inset,
      });
    });
  });
  const narratedEnd = scenes.length;
  if (brand?.outro) scenes.push(brandClip(brand.outro, "Outro"));
  const transition = { kind: brief.transition, duration: TRANSITION_SEC };
  const shotTiming = computeTiming({ fps, scenes, transition });
  // Each scene's span on the timeline: from its first shot's start to its last shot's end.
  const timing = {
    scenes: firstShot.map((f, i) => {
      const last = shotTiming.scenes[(firstShot[i + 1] ?? narratedEnd) - 1]!;
      const startSec = shotTiming.scenes[f]!.startSec;
      return { startSec, durationSec: last.startSec + last.durationSec - startSec };
    }),
  };
  const cues = brief.captions
    ? script.scenes.flatMap((scene, i) =>
        splitCaptions(scene.narration, timing.scenes[i]!.startSec + NARRATION_LEAD_SEC, media[i]!.narrationSec, 42, {
          words: brief.captionHighlight,
          ...(media[i]!.words ? { spoken: media[i]!.words } : {}),
        }),
      )
    : [];
  // Titles: the video's title over the first scene (until its transition), then each later
  // scene's name sliding in as a lower third for up to 3 s once the transition into it is over.
  const sound = brief.transitionSound;
  type Overlay = NonNullable<RenderSpecInput["overlays"]>[number];
  const overlays: Overlay[] = brief.titles
    ? timing.scenes.flatMap((s, i): Overlay[] => {
        const bodyEnd = s.startSec + s.durationSec - (i < timing.scenes.length - 1 || brand?.outro ? T : 0);
        // After the brand's intro, the title waits for the transition into the first scene.
        const from = lead ? s.startSec + T : 0;
        if (i === 0)
          return [
            {
              kind: "title" as const,
              text: script.title,
              start: round(from + 0.2),
              end: round(Math.max(from + 0.6, Math.min(from + 4, bodyEnd - 0.2))),
              animation: "fade" as const,
            },
          ];
        const start = s.startSec + T + 0.2;
        const end = Math.min(start + 3, bodyEnd - 0.2);
        return end - start >= 1
          ? [{ kind: "lower-third" as const, text: script.scenes[i]!.title, start: round(start), end: round(end), animation: "slide" as const }]
          : [];
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
    captions: {
      enabled: brief.captions,
      cues,
      style: {
        size: brief.captionSize,
        position: brief.captionPosition,
        highlightWords: brief.captionHighlight,
        ...(brand ? { color: brand.captionColor, highlightColor: brand.captionHighlightColor } : {}),
        ...(brand?.font ? { fontKey: brand.font.key, fontFamily: brand.font.family } : {}),
      },
    },
    music: brand?.music
      ? { source: { kind: "asset", key: brand.music.key }, volumeDb: -16, duck: true }
      : brief.music === "none"
        ? null
        : { source: { kind: "generated", mood: brief.music, ...(input.musicSeed ? { seed: input.musicSeed } : {}) }, volumeDb: -16, duck: true },
    // The transition sound starts a little before each cut, so it peaks as the pictures change.
    effects:
      sound === "none"
        ? []
        : timing.scenes.slice(1).map((s) => ({ sound: { kind: "generated" as const, name: sound }, at: round(Math.max(0, s.startSec - 0.1)), volumeDb: -10 })),
    // The brand's logo takes the corner; without it, the brief's own text watermark.
    watermark: brand?.watermark
      ? { source: { kind: "image", key: brand.watermark.key }, position: brand.watermark.position, opacity: brand.watermark.opacity, margin: 0.04 }
      : brief.watermark
        ? { source: { kind: "text", text: brief.watermark.text }, position: brief.watermark.position, opacity: 0.6, margin: 0.04 }
        : null,
    overlays,
    chapters: true,
    loudness: { integratedLufs: -16, truePeakDb: -1.5 },
    output: input.output,
  };
}
