// Builds the render spec from the script, the measured narrations and the visuals.
// Scene timing uses the render contract's frame math (the worker's too), so captions land where scenes do.
import { computeTiming, type RenderSpec, type RenderSpecInput } from "@aura/render-contract";
import { videoSize, type Brief } from "../../videos/brief.ts";
import { NARRATION_LEAD_SEC, TRANSITION_SEC, sceneDurationSec } from "../pacing.ts";
import type { Script } from "../script/types.ts";

/** When the voice said each word (seconds into its narration), from providers that say so. */
export type SpokenWord = { word: string; startSec: number; endSec: number };
export type SceneMedia = { narrationKey: string; narrationSec: number; imageKey: string; words?: SpokenWord[] };

/**
 * Times for the written words from the voice's own word timings. The voice read the speakable
 * text (numbers spelled out, symbols said), so its words need not match the written ones:
 * with the same count they pair one to one; otherwise each written word takes the time at
 * the same place in the text (by characters) on the voice's timeline.
 */
export function alignWords(written: string[], spoken: SpokenWord[], durationSec: number) {
  if (!spoken.length) return null;
  const starts =
    written.length === spoken.length
      ? spoken.map((w) => w.startSec)
      : (() => {
          const at = (words: string[]) => {
            const total = words.reduce((a, w) => a + w.length + 1, 0) || 1;
            let c = 0;
            return words.map((w) => {
              const start = c;
              c += w.length + 1;
              return start / total;
            });
          };
          const points = at(spoken.map((w) => w.word)).map((p, k) => [p, spoken[k]!.startSec] as const);
          points.push([1, spoken.at(-1)!.endSec]);
          return at(written).map((q) => {
            const k = Math.max(
              0,
              points.findIndex((_p, j) => j + 1 < points.length && q < points[j + 1]![0]),
            );
            const [[p0, t0], [p1, t1]] = [points[k]!, points[k + 1] ?? points[k]!];
            return p1 > p0 ? t0 + ((q - p0) / (p1 - p0)) * (t1 - t0) : t0;
          });
        })();
  const end = Math.min(durationSec, Math.max(spoken.at(-1)!.endSec, starts.at(-1)!));
  return starts.map((start, i) => ({ start: Math.min(start, end), end: Math.min(end, Math.max(start, starts[i + 1] ?? end)) }));
}

const MOTIONS = ["zoom-in", "pan-right", "zoom-out", "pan-left"] as const;

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

/** A scene's picture-in-picture: the picture of the scene it names, in the corner it names
 *  (none when that scene is gone); size and frame are the render spec's defaults. */
function insetOf(script: Script, media: SceneMedia[], index: number) {
  const inset = script.scenes[index]!.inset;
  const source = inset ? script.scenes.findIndex((s) => s.id === inset.sceneId) : -1;
  return inset && source >= 0 && source !== index ? { image: media[source]!.imageKey, position: inset.position } : null;
}

export function buildRenderSpec(input: {
  brief: Brief;
  script: Script;
  media: SceneMedia[];
  output: { video: string; poster: string; srt?: string; vtt?: string };
}): RenderSpecInput {
  const { brief, script, media } = input;
  if (media.length !== script.scenes.length) throw new Error("one narration and one visual per scene are required");
  const { width, height } = videoSize(brief);
  const fps = 30;
  const scenes = media.map((m, i) => ({
    image: m.imageKey,
    narration: m.narrationKey,
    duration: sceneDurationSec(m.narrationSec),
    narrationOffset: NARRATION_LEAD_SEC,
    motion: { kind: MOTIONS[i % MOTIONS.length]!, strength: 0.12 },
    title: script.scenes[i]!.title,
    inset: insetOf(script, media, i),
  }));
  const transition = { kind: brief.transition, duration: TRANSITION_SEC };
  const timing = computeTiming({ fps, scenes: scenes as RenderSpec["scenes"], transition });
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
  const T = timing.transitionFrames / fps;
  const sound = brief.transitionSound;
  type Overlay = NonNullable<RenderSpecInput["overlays"]>[number];
  const overlays: Overlay[] = brief.titles
    ? timing.scenes.flatMap((s, i): Overlay[] => {
        const bodyEnd = s.startSec + s.durationSec - (i < timing.scenes.length - 1 ? T : 0);
        if (i === 0)
          return [
            {
              kind: "title" as const,
              text: script.title,
              start: round(0.2),
              end: round(Math.max(0.6, Math.min(4, bodyEnd - 0.2))),
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
    captions: { enabled: brief.captions, cues, style: { size: brief.captionSize, position: brief.captionPosition, highlightWords: brief.captionHighlight } },
    music: brief.music === "none" ? null : { source: { kind: "generated", mood: brief.music }, volumeDb: -16, duck: true },
    // The transition sound starts a little before each cut, so it peaks as the pictures change.
    effects:
      sound === "none"
        ? []
        : timing.scenes.slice(1).map((s) => ({ sound: { kind: "generated" as const, name: sound }, at: round(Math.max(0, s.startSec - 0.1)), volumeDb: -10 })),
    watermark: brief.watermark
      ? { source: { kind: "text", text: brief.watermark.text }, position: brief.watermark.position, opacity: 0.6, margin: 0.04 }
      : null,
    overlays,
    chapters: true,
    loudness: { integratedLufs: -16, truePeakDb: -1.5 },
    output: input.output,
  };
}
