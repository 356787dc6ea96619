// Pacing: how many scenes a target length needs, how many words each scene should say,
// and how long a scene lasts once its narration is measured. Languages written without
// spaces (Chinese, Japanese, Thai) are paced by characters instead of words, each language
// at the rate espeak-ng, the voice every language has, was measured to speak it.
import { languageInfo } from "@aura/render-contract";
import { NORMAL_WPM } from "../providers/tts/rate.ts";

/** The speaking rate in words per minute that the narration stage plans for: the voices' normal rate. */
export const NARRATION_WPM = NORMAL_WPM;
/** Silence before a scene's narration starts. */
export const NARRATION_LEAD_SEC = 0.3;
/** Silence after a scene's narration, longer than the crossfade so voices never overlap. */
export const NARRATION_TAIL_SEC = 0.8;
export const TRANSITION_SEC = 0.5;

/**
 * What one language says at the normal rate (rate 1, espeak-ng `-s 165`), measured by
 * `npm run bench:voices -- --pace` on two passages per language (about 35 and 50 words; the
 * two differ by up to 25% in Portuguese and Spanish, under 10% in most): words a minute for
 * languages written with spaces, characters (grapheme clusters holding a letter or digit) a
 * second for those without. English keeps NARRATION_WPM, the pace every English voice is
 * tuned to. Japanese is measured as the narration stage speaks it (kanji as their kana) but
 * counted as written. A script's own pace (wpm) scales these by wpm / NARRATION_WPM.
 */
export const SPEECH_RATES: Record<string, { wordsPerMinute: number } | { charactersPerSecond: number }> = {
  en: { wordsPerMinute: NARRATION_WPM },
  es: { wordsPerMinute: 172 },
  fr: { wordsPerMinute: 215 },
  de: { wordsPerMinute: 164 },
  it: { wordsPerMinute: 162 },
  pt: { wordsPerMinute: 169 },
  nl: { wordsPerMinute: 167 },
  pl: { wordsPerMinute: 126 },
  ru: { wordsPerMinute: 150 },
  uk: { wordsPerMinute: 155 },
  tr: { wordsPerMinute: 116 },
  ar: { wordsPerMinute: 107 },
  he: { wordsPerMinute: 138 },
  fa: { wordsPerMinute: 140 },
  hi: { wordsPerMinute: 170 },
  bn: { wordsPerMinute: 135 },
  vi: { wordsPerMinute: 238 },
  id: { wordsPerMinute: 128 },
  ko: { wordsPerMinute: 107 },
  th: { charactersPerSecond: 6.87 },
  zh: { charactersPerSecond: 3.48 },
  "zh-Hant": { charactersPerSecond: 3.48 },
  ja: { charactersPerSecond: 5.5 },
};

const wordSegmenter = new Intl.Segmenter(undefined, { granularity: "word" });
const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const SPOKEN_CHARACTER = /[\p{L}\p{N}]/u;

/** True when the language is paced by characters (it is written without spaces). */
export const pacedByCharacters = (language?: string) => {
  const info = language ? languageInfo(language) : undefined;
  return info ? "charactersPerSecond" in (SPEECH_RATES[info.code] ?? {}) : false;
};

/** The units a text is paced by, with where each ends: words, or for languages written
 *  without spaces, characters. */
function* units(text: string, language?: string) {
  if (pacedByCharacters(language)) {
    for (const g of graphemeSegmenter.segment(text)) if (SPOKEN_CHARACTER.test(g.segment)) yield g.index + g.segment.length;
    return;
  }
  for (const segment of wordSegmenter.segment(text)) if (segment.isWordLike) yield segment.index + segment.segment.length;
}

/** Words as a reader says them. Segmented by Unicode's word rules with ICU's dictionaries,
 *  so that text without spaces still counts its words when no language is given (a run of
 *  300 Chinese characters is about 150 words, not one). With a language written without
 *  spaces (zh, zh-Hant, ja, th), the count is of characters, the unit its rate is in. */
export function countWords(text: string, language?: string) {
  let n = 0;
  for (const _ of units(text, language)) n++;
  return n;
}

/**
 * At most `max` words (characters, for a language written without spaces) of a text: whole
 * sentences while they fit, else the first sentence's first `max` words, ended as a sentence.
 */
export function cutToWords(text: string, max: number, sentences: string[], language?: string) {
  let out = "";
  let words = 0;
  const joiner = pacedByCharacters(language) ? "" : " ";
  for (const sentence of sentences) {
    const n = countWords(sentence, language);
    if (words + n > max) break;
    out = out ? `${out}${joiner}${sentence}` : sentence;
    words += n;
  }
  // Whole sentences when they keep at least half of what is allowed; else the next sentence
  // is cut too, so that cutting never leaves a scene with a word or two.
  if (out && words >= max / 2) return out;
  let end = 0;
  let count = 0;
  for (const unitEnd of units(text, language)) {
    if (++count > max) break;
    end = unitEnd;
  }
  const kept = text.slice(0, end).replace(/[\s,;:\u2013\u2014\u3001\uff0c-]+$/, "");
  return `${kept}${/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u.test(kept) ? "\u3002" : "."}`;
}

/** Units (words, or characters) a second for a language at a script's pace. */
/** Words (or, where text is paced by characters, characters) spoken per second at `wpm`. */
export function unitsPerSecond(wpm: number, language?: string) {
  const info = language ? languageInfo(language) : undefined;
  const rate = (info && SPEECH_RATES[info.code]) || SPEECH_RATES.en!;
  const base = "charactersPerSecond" in rate ? rate.charactersPerSecond : rate.wordsPerMinute / 60;
  return (base * wpm) / NARRATION_WPM;
}

export function estimateSpeechSec(text: string, wpm = NARRATION_WPM, language?: string) {
  return countWords(text, language) / unitsPerSecond(wpm, language);
}

/** Scenes for a target length: roughly one every 9 seconds, at least 3 (hook, body, close). */
export function planSceneCount(targetLengthSec: number) {
  return Math.min(16, Math.max(3, Math.round(targetLengthSec / 9)));
}

/** The words (characters, for a language written without spaces) each scene should hold so
 *  that the whole video lands near its target length. */
export function wordsPerScene(targetLengthSec: number, sceneCount: number, wpm = NARRATION_WPM, language?: string) {
  const overheadSec = sceneCount * (NARRATION_LEAD_SEC + NARRATION_TAIL_SEC) - (sceneCount - 1) * TRANSITION_SEC;
  const speechSec = Math.max(targetLengthSec - overheadSec, sceneCount * 2);
  return Math.max(6, Math.round((speechSec / sceneCount) * unitsPerSecond(wpm, language)));
}

/** A scene lasts as long as its narration plus a short pause before and after. */
export function sceneDurationSec(narrationSec: number) {
  return NARRATION_LEAD_SEC + narrationSec + NARRATION_TAIL_SEC;
}
