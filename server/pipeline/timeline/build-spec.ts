// Builds the render spec from the script, the measured narrations and the visuals.
// Scene timing uses the render contract's frame math (the worker's too), so captions land where scenes do.
import {
  type CaptionSize,
  captionFontSize,
  captionMarginH,
  computeTiming,
  displayWidth,
  graphemes,
  graphemeWidth,
  languageOrEnglish,
  type RenderSpecInput,
  stripBidiControls,
} from "@aura/render-contract";
import { captionsDelivery, videoSize, type Brief } from "../../videos/brief.ts";
import { NARRATION_LEAD_SEC, TRANSITION_SEC, sceneDurationSec } from "../pacing.ts";
import { shotStarts } from "./shot-cuts.ts";
import type { Script } from "../script/types.ts";

export { alignWords, type SpokenWord } from "./align.ts";
import { alignWords, type SpokenWord, wordWeight, writtenWords } from "./align.ts";
/** A card's title as the visuals stage left it to the render: its words, its box (shares of
 *  the frame) and colour (visuals/card.ts CardTitle). */
export type CardTitleMedia = { text: string; box: { x: number; y: number; width: number; height: number }; color: string };
/** One shot's picture as the visuals stage stored it: a still (a card drawn without its title
 *  has `cardTitle`) or a video clip. */
export type ShotMedia = { kind: "image" | "clip"; key: string; width?: number; height?: number; durationSec?: number; cardTitle?: CardTitleMedia };
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

/** The most display columns a caption cue holds however wide the frame: about what a viewer
 *  reads at a glance (a Latin line of subtitles, 21 Chinese characters). */
export const CAPTION_READ_COLUMNS = 42;

/** Display columns in one caption line as the render worker draws it (captions.ts: the font
 *  size from the frame's short side and the caption size, 8 % margins each side), at a
 *  cautious 0.55 em a column (a Latin letter of Noto Sans; a CJK character is 2 columns, 1 em). */
export function captionLineColumns(width: number, height: number, size: CaptionSize) {
  return Math.max(8, Math.floor((width - 2 * captionMarginH(width)) / (captionFontSize(width, height, size) * 0.55)));
}

/** A cue's widest text: two caption lines of the frame, and no more than a glance's read. */
export const captionColumns = (width: number, height: number, size: CaptionSize) => Math.min(CAPTION_READ_COLUMNS, 2 * captionLineColumns(width, height, size));

/** Punctuation that ends a sentence or clause (Latin, Arabic, Devanagari, CJK): a cue ends
 *  there once it is half full. */
const SENTENCE_END = /[.!?;:\u2026\u061b\u061f\u0964\u0965\u3002\uff01\uff1f\uff1b\uff1a]["'\u201d\u2019)\]\u300d\u300f\uff09]*$/u;
/** Punctuation between phrases: where a full cue is cut rather than mid-phrase. */
const PHRASE_END = /[,\u060c\u3001\uff0c]["'\u201d\u2019)\]\u300d\u300f\uff09]*$/u;

/** English words that begin a phrase (conjunctions, prepositions, relative words): a full cue
 *  without a comma in its second half is cut before the last of them there, so that "in the
 *  sun" is not torn across two cues. */
const PHRASE_START =
  /^(?:and|but|or|nor|so|yet|because|although|though|while|when|where|which|who|whom|whose|that|if|unless|until|since|after|before|as|than|in|on|at|from|by|with|without|for|of|to|into|onto|over|under|through|across|about|between|during|like)$/i;
/** English words a cue should not end on: they lean on the word after them. */
const LEANS_ON_NEXT = /^(?:a|an|the|my|your|its|their|our|his|her|this|these|those|every|each|some|no)$/i;

/** A caption word and whether a space follows it where it was written. */
type CaptionWord = { text: string; space: boolean };

/** The render spec's limits on a cue's text and a cue word's, in UTF-16 units: a run of
 *  family emoji or stacked combining marks is narrow on screen but long in the spec. */
const MAX_CUE_CHARS = 500;
const MAX_WORD_CHARS = 100;

/** A word in pieces of at most `maxColumns` columns and MAX_WORD_CHARS units, cut between
 *  graphemes (between code points only inside a grapheme longer than a piece). */
function piecesOf(word: string, maxColumns: number) {
  const pieces = [""];
  let width = 0;
  for (const g of graphemes(word)) {
    const parts = g.length > MAX_WORD_CHARS ? Array.from(g) : [g];
    for (const part of parts) {
      const w = graphemeWidth(part);
      if (pieces.at(-1)! && (width + w > maxColumns || pieces.at(-1)!.length + part.length > MAX_WORD_CHARS)) {
        pieces.push("");
        width = 0;
      }
      pieces[pieces.length - 1] += part;
      width += w;
    }
  }
  return pieces;
}

/**
 * Splits narration into caption cues of at most `maxColumns` display columns, ending at
 * sentence punctuation (or a Thai space) once half full, and a full cue at its last phrase
 * boundary when one lies in its second half; timed by the voice's own word timings when
 * given, else in proportion to their width across the narration. A cue's text is as written
 * (no spaces added in Chinese, Japanese or Thai); its words joined with a space (spaced
 * languages) or nothing give it back, whitespace aside.
 */
export function splitCaptions(
  text: string,
  startSec: number,
  durationSec: number,
  maxColumns = CAPTION_READ_COLUMNS,
  options: { words?: boolean; spoken?: SpokenWord[]; language?: string } = {},
) {
  const { language } = options;
  const spaced = languageOrEnglish(language).spaced;
  const clean = stripBidiControls(text);
  // A word wider than a cue (a long URL, a long run the segmenter could not split) is cut into
  // cue-sized pieces between graphemes, so that no cue outgrows its lines or the spec.
  const words: CaptionWord[] = writtenWords(clean, language).flatMap((w) => {
    const space = spaced || /^\s/.test(clean.slice(w.at + w.text.length));
    if (displayWidth(w.text) <= maxColumns && w.text.length <= MAX_WORD_CHARS) return [{ text: w.text, space }];
    const pieces = piecesOf(w.text, maxColumns);
    return pieces.map((piece, k) => ({ text: piece, space: space && k === pieces.length - 1 }));
  });
  const textOf = (run: CaptionWord[]) => run.map((w, k) => w.text + (w.space && k < run.length - 1 ? " " : "")).join("");
  const tooLong = (run: CaptionWord[]) => {
    const cue = textOf(run);
    return displayWidth(cue) > maxColumns || cue.length > MAX_CUE_CHARS;
  };
  const english = languageOrEnglish(language).code === "en";
  /** Where a full run is cut (the index of its last word): after its last comma in its second
   *  half; else (English) before its last word that starts a phrase past its first third, or
   *  before the words that lean on the next one; else before the word that did not fit (-1). */
  const cutOf = (run: CaptionWord[]) => {
    const share = (k: number, part: number) => displayWidth(textOf(run.slice(0, k + 1))) >= maxColumns * part;
    const half = (k: number) => share(k, 1 / 2);
    const comma = run.findLastIndex((w, k) => k < run.length - 1 && PHRASE_END.test(w.text) && half(k));
    if (comma >= 0 || !english) return comma;
    const bare = (k: number) => run[k]!.text.replace(/[^\p{L}']/gu, "");
    // A phrase may start in the second third: a short first cue reads better than a torn phrase.
    const phrase = run.findLastIndex((_, k) => k < run.length - 1 && PHRASE_START.test(bare(k + 1)) && !LEANS_ON_NEXT.test(bare(k)) && share(k, 1 / 3));
    if (phrase >= 0) return phrase;
    let end = run.length - 1;
    while (end > 0 && LEANS_ON_NEXT.test(bare(end)) && half(end - 1)) end--;
    return end < run.length - 1 ? end : -1;
  };
  const chunks: CaptionWord[][] = [];
  let current: CaptionWord[] = [];
  for (const word of words) {
    while (current.length && tooLong([...current, word])) {
      // Full: cut at the last phrase boundary in its second half, else before this word.
      const run = current;
      const cut = cutOf(run);
      chunks.push(cut >= 0 ? run.slice(0, cut + 1) : run);
      current = cut >= 0 ? run.slice(cut + 1) : [];
    }
    current.push(word);
    const sentenceEnd = SENTENCE_END.test(word.text) || (!spaced && word.space);
    if (sentenceEnd && displayWidth(textOf(current)) > maxColumns * 0.5) {
      chunks.push(current);
      current = [];
    }
  }
  if (current.length) chunks.push(current);
  const aligned = options.spoken
    ? alignWords(
        words.map((w) => w.text),
        options.spoken,
        durationSec,
        language,
      )
    : null;
  if (aligned) {
    // The voice's timings: each cue from its first word to the next cue's first word.
    let next = 0;
    return chunks.map((chunk, c) => {
      const first = next;
      next += chunk.length;
      const start = aligned[first]!.start;
      const end = c + 1 < chunks.length ? aligned[next]!.start : Math.max(aligned.at(-1)!.end, start);
      const timed = chunk.map((word, k) => ({
        text: word.text,
        start: startSec + round(aligned[first + k]!.start),
        end: startSec + round(aligned[first + k]!.end),
        space: word.space && k < chunk.length - 1,
      }));
      return { start: startSec + round(start), end: startSec + round(end), text: textOf(chunk), ...(options.words ? { words: timed } : {}) };
    });
  }
  const totalColumns = chunks.reduce((a, c) => a + displayWidth(textOf(c)), 0) || 1;
  // Rounded within the scene, not on the whole timeline: the same scene then has the same
  // cues wherever it moves, and the render worker can reuse its rendered segments.
  let t = 0;
  return chunks.map((chunk) => {
    const cueText = textOf(chunk);
    const d = (displayWidth(cueText) / totalColumns) * durationSec;
    const cue = {
      start: startSec + round(t),
      end: startSec + round(t + d),
      text: cueText,
      ...(options.words ? { words: wordTimes(chunk, t, d, startSec, language) } : {}),
    };
    t += d;
    return cue;
  });
}

/** Each word's time within its cue, in proportion to its width (plus a space where the
 *  language writes one): an estimate across the measured narration, good enough to follow
 *  the voice word by word. */
function wordTimes(words: CaptionWord[], from: number, duration: number, startSec: number, language?: string) {
  const weights = words.map((w) => Math.max(1, wordWeight(w.text, language)));
  const total = weights.reduce((a, w) => a + w, 0);
  let t = from;
  return words.map((word, k) => {
    const d = (weights[k]! / total) * duration;
    const timed = { text: word.text, start: startSec + round(t), end: startSec + round(t + d), space: word.space && k < words.length - 1 };
    t += d;
    return timed;
  });
}

const round = (n: number) => Math.round(n * 1000) / 1000;
/** A time on a scene's or shot's own clock: rounded as an offset from its start (a whole number
 *  of frames), not as an absolute time, so that a scene moved by an edit elsewhere keeps the
 *  same times within its segment, and the worker's cached segment is used again (rounding the
 *  absolute time moved a card's end by a millisecond within the segment, and missed it). */
const at = (base: number, sec: number) => base + round(sec - base);

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
  // The title each shot's card leaves to the render, by the shot's place in `scenes`.
  const cardTitles = new Map<number, CardTitleMedia>();
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
      language: brief.language,
      wanted: shots.length,
      fps,
    });
    const inset = insetOf(script, media, i);
    firstShot.push(scenes.length);
    starts.forEach((start, k) => {
      const shot = shots[k]!;
      if (shot.cardTitle) cardTitles.set(scenes.length, shot.cardTitle);
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
        splitCaptions(
          scene.narration,
          timing.scenes[i]!.startSec + NARRATION_LEAD_SEC,
          media[i]!.narrationSec,
          captionColumns(width, height, brief.captionSize),
          {
            words: brief.captionHighlight,
            language: brief.language,
            ...(media[i]!.words ? { spoken: media[i]!.words } : {}),
          },
        ),
      )
    : [];
  // Titles: the video's title over the first scene (until its transition), then each later
  // scene's name sliding in as a lower third for up to 3 s once the transition into it is over;
  // a scene whose card shows its name already has no lower third (it would repeat it).
  const sound = brief.transitionSound;
  type Overlay = NonNullable<RenderSpecInput["overlays"]>[number];
  const titles: Overlay[] = brief.titles
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
        if (cardTitles.has(firstShot[i]!)) return [];
        const start = s.startSec + T + 0.2;
        const end = Math.min(start + 3, bodyEnd - 0.2);
        return end - start >= 1
          ? [
              {
                kind: "lower-third" as const,
                text: script.scenes[i]!.title,
                start: at(s.startSec, start),
                end: at(s.startSec, end),
                animation: "slide" as const,
              },
            ]
          : [];
      })
    : [];
  // Each card's title over its shot, fading in after the transition into the shot and out
  // before the one after it, so that a transition never shows two titles; on the first scene,
  // only once the video's title has gone. A shot too short to read it in shows none.
  const titleEnd = titles.find((o) => o.kind === "title")?.end ?? 0;
  const cards: Overlay[] = [...cardTitles].flatMap(([j, card]): Overlay[] => {
    const shot = shotTiming.scenes[j]!;
    const from = Math.max(shot.startSec + (j > 0 ? T : 0) + 0.1, j < firstShot[1]! || firstShot.length === 1 ? titleEnd + 0.2 : 0);
    const to = shot.startSec + shot.durationSec - (j < scenes.length - 1 ? T : 0) - 0.1;
    return to - from >= 1.2
      ? [{ kind: "card", text: card.text, box: card.box, color: card.color, start: at(shot.startSec, from), end: at(shot.startSec, to), animation: "fade" }]
      : [];
  });
  const overlays = [...titles, ...cards];
  return {
    version: 1,
    width,
    height,
    fps,
    quality: brief.quality,
    format: brief.format,
    language: brief.language,
    scenes,
    transition,
    captions: {
      // Drawn into the picture only when the brief burns them in; the cues still make the
      // sidecar track.
      enabled: captionsDelivery(brief).burned,
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
