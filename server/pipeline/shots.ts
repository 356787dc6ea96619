// Shots: a scene longer than a few seconds is cut into shots of about 3–6 s, each with its own
// visual query. The writer gives the queries (an LLM writes concrete, filmable ones; for the
// offline writer and older scripts they come from the key words of the part of the narration
// each shot covers). The cuts themselves are placed later, from the measured narration
// (timeline/shot-cuts.ts), at phrase boundaries.
import { extractKeywords } from "../text/keywords.ts";
import { truncateText } from "../text/policy.ts";
import { estimateSpeechSec, NARRATION_LEAD_SEC, NARRATION_TAIL_SEC } from "./pacing.ts";
import type { ScriptScene, ScriptShot } from "./script/types.ts";

/** The length a shot aims at, and the shortest one a cut may leave. */
export const SHOT_TARGET_SEC = 4.5;
export const MIN_SHOT_SEC = 2.5;
export const MAX_SHOTS = 8;

/** How many shots a scene of this length gets: one below 6 s, else one per ~4.5 s. */
export function planShotCount(sceneSec: number) {
  if (!(sceneSec >= 6)) return 1;
  return Math.min(MAX_SHOTS, Math.max(1, Math.round(sceneSec / SHOT_TARGET_SEC)), Math.floor(sceneSec / MIN_SHOT_SEC));
}

/** A scene's length as planned from its words, before any voice has read it. */
export const plannedSceneSec = (narration: string, wpm: number) => NARRATION_LEAD_SEC + estimateSpeechSec(narration, wpm) + NARRATION_TAIL_SEC;

const wordSegmenter = new Intl.Segmenter(undefined, { granularity: "word" });
const PHRASE_END = /[,.;:!?\u2026\u2013\u2014\u3001\u3002\uff0c\uff01\uff1f]/;

/** The narration's phrases: runs of words ended by punctuation, in order. */
export function phrasesOf(text: string) {
  const phrases: string[] = [];
  let start = 0;
  let words = 0;
  for (const { segment, index, isWordLike } of wordSegmenter.segment(text)) {
    if (isWordLike) words++;
    else if (words && PHRASE_END.test(segment)) {
      phrases.push(text.slice(start, index + segment.length).trim());
      start = index + segment.length;
      words = 0;
    }
  }
  const rest = text.slice(start).trim();
  if (rest) phrases.push(rest);
  return phrases.filter(Boolean);
}

/** Phrases gathered into `count` runs of about equal words, in order: no run is skipped, and
 *  each later run keeps a phrase while there are enough (with fewer phrases than runs, the
 *  last runs are empty). */
export function groupPhrases(phrases: string[], count: number) {
  const words = phrases.map((p) => [...wordSegmenter.segment(p)].filter((s) => s.isWordLike).length);
  const total = words.reduce((a, b) => a + b, 0) || 1;
  const groups: string[][] = Array.from({ length: count }, () => []);
  let seen = 0;
  let last = 0;
  phrases.forEach((phrase, i) => {
    // The run its middle falls in, not before the last one used, late enough to leave a phrase
    // for each run after it, and never skipping a run.
    let g = Math.floor(((seen + words[i]! / 2) / total) * count);
    g = Math.max(g, last, count - (phrases.length - i));
    g = Math.min(g, i === 0 ? 0 : last + 1, count - 1);
    groups[g]!.push(phrase);
    last = g;
    seen += words[i]!;
  });
  return groups.map((g) => g.join(" "));
}

/** Queries for `count` shots of a scene: the key words of the part of its narration each
 *  shot covers, topped up from the scene's own key words, never two the same. */
export function deriveShotQueries(scene: Pick<ScriptScene, "narration" | "keywords" | "visualPrompt" | "title">, count: number) {
  const parts = groupPhrases(phrasesOf(scene.narration), count);
  const sceneWords = [...scene.keywords, ...extractKeywords(`${scene.visualPrompt}. ${scene.title}`, 6)];
  const used = new Set<string>();
  return parts.map((part, k) => {
    const own = extractKeywords(part, 3);
    const words = [...own];
    for (const w of sceneWords) if (words.length < 3 && !words.includes(w)) words.push(w);
    let query = words.slice(0, 3).join(" ");
    // Two parts about the same thing: the next scene word keeps their queries apart.
    for (let extra = k; used.has(query) && extra < k + sceneWords.length; extra++) query = `${query} ${sceneWords[extra % sceneWords.length]}`;
    used.add(query);
    return truncateText(query || scene.title, 200);
  });
}

export type Shot = ScriptShot;

/** A scene's shots: the ones the writer gave (at most MAX_SHOTS), else derived from its words
 *  for its planned length. */
export function shotsOf(scene: Pick<ScriptScene, "narration" | "keywords" | "visualPrompt" | "title" | "shots">, wpm: number): Shot[] {
  if (scene.shots?.length) return scene.shots.slice(0, MAX_SHOTS);
  return deriveShotQueries(scene, planShotCount(plannedSceneSec(scene.narration, wpm))).map((query) => ({ query }));
}
