// Pacing: how many scenes a target length needs, how many words each scene should say,
// and how long a scene lasts once its narration is measured.
import { NORMAL_WPM } from "../providers/tts/rate.ts";

/** The speaking rate in words per minute that the narration stage plans for: the voices' normal rate. */
export const NARRATION_WPM = NORMAL_WPM;
/** Silence before a scene's narration starts. */
export const NARRATION_LEAD_SEC = 0.3;
/** Silence after a scene's narration, longer than the crossfade so voices never overlap. */
export const NARRATION_TAIL_SEC = 0.8;
export const TRANSITION_SEC = 0.5;

const wordSegmenter = new Intl.Segmenter(undefined, { granularity: "word" });

/** Words as a reader says them. Segmented by Unicode's word rules with ICU's dictionaries,
 *  so that Chinese, Japanese or Thai, written without spaces, count their words too (a run
 *  of 300 Chinese characters is about 150 words, not one). */
export function countWords(text: string) {
  let n = 0;
  for (const segment of wordSegmenter.segment(text)) if (segment.isWordLike) n++;
  return n;
}

/**
 * At most `max` words of a text: whole sentences while they fit, else the first sentence's
 * first `max` words, ended as a sentence.
 */
export function cutToWords(text: string, max: number, sentences: string[]) {
  let out = "";
  let words = 0;
  for (const sentence of sentences) {
    const n = countWords(sentence);
    if (words + n > max) break;
    out = out ? `${out} ${sentence}` : sentence;
    words += n;
  }
  // Whole sentences when they keep at least half of what is allowed; else the next sentence
  // is cut too, so that cutting never leaves a scene with a word or two.
  if (out && words >= max / 2) return out;
  let end = 0;
  let count = 0;
  for (const segment of wordSegmenter.segment(text)) {
    if (segment.isWordLike && ++count > max) break;
    end = segment.index + segment.segment.length;
  }
  const kept = text.slice(0, end).replace(/[\s,;:\u2013\u2014\u3001\uff0c-]+$/, "");
  return `${kept}${/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u.test(kept) ? "\u3002" : "."}`;
}

export function estimateSpeechSec(text: string, wpm = NARRATION_WPM) {
  return (countWords(text) / wpm) * 60;
}

/** Scenes for a target length: roughly one every 9 seconds, at least 3 (hook, body, close). */
export function planSceneCount(targetLengthSec: number) {
  return Math.min(16, Math.max(3, Math.round(targetLengthSec / 9)));
}

/** The words each scene should hold so that the whole video lands near its target length. */
export function wordsPerScene(targetLengthSec: number, sceneCount: number, wpm = NARRATION_WPM) {
  const overheadSec = sceneCount * (NARRATION_LEAD_SEC + NARRATION_TAIL_SEC) - (sceneCount - 1) * TRANSITION_SEC;
  const speechSec = Math.max(targetLengthSec - overheadSec, sceneCount * 2);
  return Math.max(6, Math.round(((speechSec / sceneCount) * wpm) / 60));
}

/** A scene lasts as long as its narration plus a short pause before and after. */
export function sceneDurationSec(narrationSec: number) {
  return NARRATION_LEAD_SEC + narrationSec + NARRATION_TAIL_SEC;
}
