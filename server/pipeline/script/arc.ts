// Narrative arc and pacing checks for any script, with automatic repair: a hook first, one
// idea per middle scene, a conclusion last; no repeated scene; no scene far too short or far
// too long for its share of the target length; the whole near the target. What can be fixed
// mechanically is (split, merge, trim, roles), and what cannot is reported.
import type { Brief } from "../../videos/brief.ts";
import * as pacing from "../pacing.ts";
import { sceneDurationSec, TRANSITION_SEC } from "../pacing.ts";
import { truncateText } from "../../text/policy.ts";
import type { Script, ScriptScene } from "./types.ts";

export type ArcIssue = { code: "too-few-scenes" | "duplicate" | "too-short" | "too-long" | "total-long" | "total-short"; sceneId?: string; message: string };
/** `language`: the script's, so that words are counted as its pacing counts them. */
type Target = { targetLengthSec: Brief["targetLengthSec"]; wpm: number; language?: string };

const MAX_SCENES = 16;
/** A script (or an edit of one) may run this much over its target length, and no more. */
export const MAX_LENGTH_RATIO = 1.25;
/** Cutting for length never leaves a scene with fewer words than this. */
const MIN_SCENE_WORDS = 4;
const sentencesOf = (text: string) =>
  text
    .match(
      /[^.!?\u3002\uff01\uff1f\u0964\u061f\u06d4]+[.!?\u3002\uff01\uff1f\u0964\u061f\u06d4]+["')\]\u201d\u300d]*|[^.!?\u3002\uff01\uff1f\u0964\u061f\u06d4]+$/g,
    )
    ?.map((s) => s.trim())
    .filter(Boolean) ?? [text];
const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

export function estimatedLengthSec(scenes: Pick<ScriptScene, "narration">[], wpm: number, language?: string) {
  // Each language at its own measured rate, scaled by the script's pace (pacing.ts).
  const total = scenes.reduce((a, s) => a + sceneDurationSec(pacing.estimateSpeechSec(s.narration, wpm, language)), 0);
  return total - TRANSITION_SEC * Math.max(0, scenes.length - 1);
}

function limits(scenes: ScriptScene[], target: Target) {
  const words = pacing.wordsPerScene(target.targetLengthSec, scenes.length, target.wpm, target.language);
  return { words, min: Math.max(5, Math.round(words * 0.35)), max: Math.round(words * 2.2) };
}

export function validateArc(script: Pick<Script, "scenes">, target: Target): ArcIssue[] {
  const countWords = (text: string) => pacing.countWords(text, target.language);
  const issues: ArcIssue[] = [];
  const { scenes } = script;
  if (scenes.length < 3)
    issues.push({ code: "too-few-scenes", message: `${scenes.length} scenes: an arc needs a hook, at least one middle scene and a conclusion` });
  const seen = new Map<string, string>();
  const { min, max } = limits(scenes, target);
  scenes.forEach((s, i) => {
    const key = normalise(s.narration);
    if (seen.has(key)) issues.push({ code: "duplicate", sceneId: s.id, message: `scene ${i + 1} repeats ${seen.get(key)}` });
    else seen.set(key, `scene ${i + 1}`);
    const words = countWords(s.narration);
    // A hook or a close may be short; a middle scene that says almost nothing is not an idea.
    if (words < (s.role === "body" ? min : 4))
      issues.push({ code: "too-short", sceneId: s.id, message: `scene ${i + 1} has ${words} words (at least ${min} expected)` });
    if (words > max) issues.push({ code: "too-long", sceneId: s.id, message: `scene ${i + 1} has ${words} words (at most ${max} expected)` });
  });
  const total = estimatedLengthSec(scenes, target.wpm, target.language);
  if (total > target.targetLengthSec * MAX_LENGTH_RATIO)
    issues.push({ code: "total-long", message: `about ${Math.round(total)} s for a ${target.targetLengthSec} s target` });
  if (total < target.targetLengthSec * 0.7)
    issues.push({ code: "total-short", message: `about ${Math.round(total)} s for a ${target.targetLengthSec} s target` });
  return issues;
}

function withRoles(scenes: ScriptScene[]): ScriptScene[] {
  const last = scenes.length - 1;
  return scenes.map((s, i) => ({ ...s, id: `scene-${i + 1}`, role: i === 0 ? "hook" : i === last ? "close" : "body" }));
}

/** Splits a scene's narration at the sentence boundary nearest its middle (by words). */
function splitScene(scene: ScriptScene, countWords: (text: string) => number): [ScriptScene, ScriptScene] | null {
  const sentences = sentencesOf(scene.narration);
  if (sentences.length < 2) return null;
  const total = countWords(scene.narration);
  let best = 1;
  let acc = 0;
  let bestGap = Infinity;
  sentences.forEach((s, i) => {
    acc += countWords(s);
    const gap = Math.abs(acc - total / 2);
    if (i < sentences.length - 1 && gap < bestGap) [bestGap, best] = [gap, i + 1];
  });
  const title = scene.title.replace(/\s*\((continued)\)$/, "");
  return [
    { ...scene, narration: sentences.slice(0, best).join(" ") },
    { ...scene, title: `${truncateText(title, 120 - " (continued)".length)} (continued)`, narration: sentences.slice(best).join(" ") },
  ];
}

export function repairArc(script: Script, target: Target): { script: Script; repairs: string[]; issues: ArcIssue[] } {
  const countWords = (text: string) => pacing.countWords(text, target.language);
  const cutToWords = (text: string, max: number, sentences: string[]) => pacing.cutToWords(text, max, sentences, target.language);
  const repairs: string[] = [];
  let scenes = withRoles(script.scenes);

  // Repeated scenes go (never below three).
  const seen = new Set<string>();
  let kept = scenes.length;
  scenes = scenes.filter((s, i) => {
    const key = normalise(s.narration);
    if (seen.has(key) && kept > 3) {
      kept--;
      repairs.push(`removed scene ${i + 1}, which repeated an earlier scene`);
      return false;
    }
    seen.add(key);
    return true;
  });
  scenes = withRoles(scenes);

  // A middle scene far too short joins its shorter neighbour in the middle.
  for (let guard = 0; guard < MAX_SCENES && scenes.length > 3; guard++) {
    const { min } = limits(scenes, target);
    const i = scenes.findIndex((s) => s.role === "body" && countWords(s.narration) < min);
    if (i < 0) break;
    const prev = scenes[i - 1]?.role === "body" ? i - 1 : -1;
    const next = scenes[i + 1]?.role === "body" ? i + 1 : -1;
    const into = prev >= 0 && (next < 0 || countWords(scenes[prev]!.narration) <= countWords(scenes[next]!.narration)) ? prev : next;
    if (into < 0) break;
    const [a, b] = into < i ? [scenes[into]!, scenes[i]!] : [scenes[i]!, scenes[into]!];
    const merged: ScriptScene = { ...a, narration: `${a.narration} ${b.narration}`, keywords: [...new Set([...a.keywords, ...b.keywords])].slice(0, 12) };
    repairs.push(`merged scene ${i + 1} (${countWords(scenes[i]!.narration)} words) into scene ${into + 1}`);
    scenes = withRoles(scenes.flatMap((s, k) => (k === Math.min(i, into) ? [merged] : k === Math.max(i, into) ? [] : [s])));
  }

  // Too long overall: the longest middle scenes lose their last sentences.
  for (let guard = 0; guard < 200 && estimatedLengthSec(scenes, target.wpm, target.language) > target.targetLengthSec * 1.2; guard++) {
    const candidates = scenes
      .map((s, i) => ({ i, words: countWords(s.narration), sentences: sentencesOf(s.narration) }))
      .filter((c) => c.sentences.length > 1 && scenes[c.i]!.role !== "hook");
    if (!candidates.length) break;
    const longest = candidates.sort((a, b) => b.words - a.words)[0]!;
    scenes[longest.i] = { ...scenes[longest.i]!, narration: longest.sentences.slice(0, -1).join(" ") };
    repairs.push(`shortened scene ${longest.i + 1} by its last sentence`);
  }

  // Scenes far too long are split, while there is room for more scenes.
  // The limit is fixed before splitting: more scenes would lower it and split again.
  const { max } = limits(scenes, target);
  for (let guard = 0; guard < MAX_SCENES; guard++) {
    const i = scenes.findIndex((s) => countWords(s.narration) > max);
    if (i < 0 || scenes.length >= MAX_SCENES) break;
    const parts = splitScene(scenes[i]!, countWords);
    if (!parts) break;
    repairs.push(`split scene ${i + 1} (${countWords(scenes[i]!.narration)} words) in two`);
    scenes = withRoles([...scenes.slice(0, i), ...parts, ...scenes.slice(i + 1)]);
  }

  // What whole sentences could not fix is cut: a scene that could not be split (one long
  // sentence, or the script has its most scenes) says at most its limit, and the whole stays
  // within its bound of the target. The length a brief orders is the length it gets.
  scenes = scenes.map((s, i) => {
    const words = countWords(s.narration);
    if (words <= max) return s;
    repairs.push(`cut scene ${i + 1} from ${words} to ${max} words`);
    return { ...s, narration: cutToWords(s.narration, max, sentencesOf(s.narration)) };
  });
  for (let guard = 0; guard < 100 && estimatedLengthSec(scenes, target.wpm, target.language) > target.targetLengthSec * MAX_LENGTH_RATIO; guard++) {
    const longest = scenes.map((s, i) => ({ i, words: countWords(s.narration) })).sort((a, b) => b.words - a.words)[0]!;
    const keep = Math.max(MIN_SCENE_WORDS, Math.floor(longest.words * 0.85));
    if (keep >= longest.words) break;
    const scene = scenes[longest.i]!;
    scenes[longest.i] = { ...scene, narration: cutToWords(scene.narration, keep, sentencesOf(scene.narration)) };
    repairs.push(`shortened scene ${longest.i + 1} to fit the target length`);
  }

  const repaired = { ...script, scenes };
  return { script: repaired, repairs: collapse(repairs), issues: validateArc(repaired, target) };
}

/** "shortened scene 3 by its last sentence" ×3 → one line with a count. */
function collapse(lines: string[]) {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([l, n]) => (n > 1 ? `${l} (×${n})` : l));
}
