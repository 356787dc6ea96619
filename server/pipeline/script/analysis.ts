// Script analysis: how hard the content is to follow (a Flesch–Kincaid grade), the speaking
// rate that suits it and its audience, and per scene the key points, a mood and visual
// keywords. The rate goes to every voice; the mood goes into every picture prompt.
import type { Brief } from "../../videos/brief.ts";
import { NARRATION_WPM } from "../pacing.ts";
import { extractKeywords, wordsOf } from "../../text/keywords.ts";
import { truncateText } from "../../text/policy.ts";
import { shotsOf } from "../shots.ts";
import type { Script, ScriptScene } from "./types.ts";

/** Syllables in an English word, by vowel groups (the usual heuristic; exact enough for a grade). */
export function syllables(word: string) {
  const w = word.toLowerCase().replace(/[^a-z]/g, "");
  if (!w) return 0;
  if (w.length <= 3) return 1;
  const trimmed = w.replace(/(?:[^laeiouy]es|[^laeiouy]ed|[^laeiouy]e)$/, "").replace(/^y/, "");
  return Math.max(1, trimmed.match(/[aeiouy]{1,2}/g)?.length ?? 1);
}

/** Flesch–Kincaid grade level of a text (0 for text without words). */
export function readingGrade(text: string) {
  const sentences = Math.max(1, (text.match(/[.!?]+(\s|$)/g) ?? []).length);
  const words = text.match(/[A-Za-z][A-Za-z'-]*/g) ?? [];
  if (!words.length) return 0;
  const syl = words.reduce((a, w) => a + syllables(w), 0);
  const grade = 0.39 * (words.length / sentences) + 11.8 * (syl / words.length) - 15.59;
  return Math.round(Math.max(0, grade) * 10) / 10;
}

const YOUNG = /\b(kids?|child(ren)?|pupils?|beginners?|newcomers?|school|students?|elderly|seniors?|learners?)\b/i;
const EXPERT = /\b(experts?|professionals?|engineers?|developers?|researchers?|specialists?|executives?|advanced)\b/i;

/** Words per minute for a reading grade and an audience: harder text and younger or newer
 *  listeners get a slower voice. 165 wpm is a voice's normal rate. */
export function speakingWpm(grade: number, audience: string) {
  let wpm = grade <= 6 ? 165 : grade <= 9 ? 158 : grade <= 12 ? 150 : 142;
  if (YOUNG.test(audience)) wpm -= 12;
  else if (EXPERT.test(audience)) wpm += 8;
  return Math.min(180, Math.max(130, wpm));
}

/** The grade taken when it cannot be measured: too little text, or another language than
 *  English (the Flesch–Kincaid formula and its syllable count are English only). */
const NEUTRAL_GRADE = 8;

/** Before the script exists: the rate from the brief (its topic's grade and its audience). */
export function plannedWpm(brief: Pick<Brief, "topic" | "audience"> & { language?: string }) {
  const english = !brief.language || brief.language === "en";
  const grade = english && brief.topic.split(/\s+/).length >= 12 ? readingGrade(brief.topic) : NEUTRAL_GRADE;
  return speakingWpm(grade, brief.audience);
}

/** A voice's speed relative to its normal rate (1 = 165 wpm). */
export const speechRate = (wpm: number) => Math.round((wpm / NARRATION_WPM) * 100) / 100;

const MOOD_BY_TONE: Record<Brief["tone"], string> = { informative: "clear", friendly: "warm", inspiring: "uplifting", serious: "serious", playful: "playful" };
const MOOD_WORDS: [RegExp, string][] = [
  [/\b(danger|risk|threat|crisis|warning|fail(ure|s)?|loss|fear|war|disaster|dark)\b/i, "tense"],
  [/\b(amazing|incredible|wow|exciting|fast|explod\w*|record|breakthrough)\b/i, "energetic"],
  [/\b(calm|quiet|peace(ful)?|gentle|slow|rest|relax\w*|breathe)\b/i, "calm"],
  [/\b(sad|grief|mourn\w*|lonely|tragic)\b/i, "somber"],
  [/\b(hope|dream|future|imagine|possible|inspire\w*)\b/i, "hopeful"],
];

export function sceneMood(scene: Pick<ScriptScene, "narration" | "role">, tone: Brief["tone"]) {
  for (const [pattern, mood] of MOOD_WORDS) if (pattern.test(scene.narration)) return mood;
  if (scene.role === "hook" && tone === "informative") return "curious";
  return MOOD_BY_TONE[tone];
}

/** The one or two sentences of a scene that carry most of its key words. Another language than
 *  English is cut into sentences and words by Intl.Segmenter (Chinese has no spaces). */
export function keyPoints(narration: string, limit = 2, language = "en") {
  const english = language === "en";
  const sentences = english
    ? (narration
        .match(/[^.!?]+[.!?]*/g)
        ?.map((s) => s.trim())
        .filter((s) => s.split(/\s+/).length >= 3) ?? [])
    : Array.from(new Intl.Segmenter(language, { granularity: "sentence" }).segment(narration), (s) => s.segment.trim()).filter(
        (s) => wordsOf(s, language).length >= 3,
      );
  const keywords = new Set(extractKeywords(narration, 6, english ? undefined : language));
  const score = (s: string) => (english ? (s.toLowerCase().match(/[\p{L}\p{N}'-]+/gu) ?? []) : wordsOf(s, language)).filter((w) => keywords.has(w)).length;
  return sentences
    .map((s, i) => ({ s, i, score: score(s) }))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, limit)
    .sort((a, b) => a.i - b.i)
    .map(({ s }) => truncateText(s, 140));
}

/** Words of a picture prompt that say how, not what: no use as search words for a photo. */
const NOT_VISUAL = new Set([
  "style",
  "illustration",
  "photo",
  "photograph",
  "image",
  "picture",
  "scene",
  "shot",
  "showing",
  "shows",
  "depicting",
  "modern",
  "warm",
  "minimal",
  "bold",
  "midnight",
  "clean",
  "soft",
  "light",
  "bright",
]);

/** Adds the pace and each scene's key points, mood, visual keywords and shots to a script. */
export function analyseScript(script: Script, brief: Pick<Brief, "audience" | "tone"> & { language?: string }): Script {
  const english = !brief.language || brief.language === "en";
  const grade = english ? readingGrade(script.scenes.map((s) => s.narration).join(" ")) : NEUTRAL_GRADE;
  const wpm = speakingWpm(grade, brief.audience);
  return {
    ...script,
    pace: { readingGrade: grade, wpm },
    scenes: script.scenes.map((scene) => {
      const visual = extractKeywords(scene.visualPrompt, 8)
        .filter((w) => !NOT_VISUAL.has(w))
        .slice(0, 4);
      const keywords = [...new Set([...scene.keywords, ...visual])].slice(0, 8);
      return {
        ...scene,
        keyPoints: keyPoints(scene.narration, 2, brief.language),
        mood: sceneMood(scene, brief.tone),
        keywords,
        // The writer's shots, or ones derived from the words for the scene's length.
        shots: shotsOf({ ...scene, keywords }, wpm),
      };
    }),
  };
}
