// The script's language: how a writer is told it, and whether an answer is in it. An answer
// passes when its narration is mostly letters of the language's writing system and language
// detection does not confidently name another language. The pacing functions take the
// language as their last argument, so that Chinese, Japanese and Thai count characters or
// syllables where other languages count words.
import { LANGUAGES, languageOrEnglish, type LanguageInfo, type Script as WritingSystem } from "@aura/render-contract";
import { detectLanguage } from "../../text/detect-language.ts";
import * as pacing from "../pacing.ts";

/** The pacing functions with their trailing language argument (older versions ignore it). */
export const countWordsIn = pacing.countWords as (text: string, language?: string) => number;
export const cutToWordsIn = pacing.cutToWords as (text: string, max: number, sentences: string[], language?: string) => string;
export const wordsPerSceneIn = pacing.wordsPerScene as (targetLengthSec: number, sceneCount: number, wpm?: number, language?: string) => number;

/** Letters of each writing system; Japanese and Korean text may hold Han characters too. */
const SCRIPT_LETTERS: Record<WritingSystem, RegExp> = {
  Latn: /\p{Script=Latin}/gu,
  Cyrl: /\p{Script=Cyrillic}/gu,
  Arab: /\p{Script=Arabic}/gu,
  Hebr: /\p{Script=Hebrew}/gu,
  Deva: /\p{Script=Devanagari}/gu,
  Beng: /\p{Script=Bengali}/gu,
  Thai: /\p{Script=Thai}/gu,
  Hans: /\p{Script=Han}/gu,
  Hant: /\p{Script=Han}/gu,
  Jpan: /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc]/gu,
  Kore: /[\p{Script=Hangul}\p{Script=Han}]/gu,
};

/** Below this share of letters in the language's own writing system, text is in another
 *  language (names and acronyms in Latin letters stay well under the rest). */
export const MIN_SCRIPT_SHARE = 0.6;

/** Languages that detection cannot tell apart reliably, each counted as the other. */
const SAME_LANGUAGE: Record<string, string[]> = { id: ["ms"], ms: ["id"] };

/** The share of a text's letters written in a writing system (1 for a text without letters). */
export function scriptShare(text: string, script: WritingSystem) {
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  if (!letters) return 1;
  return (text.match(SCRIPT_LETTERS[script]) ?? []).length / letters;
}

export type LanguageVerdict = { ok: true } | { ok: false; expected: LanguageInfo; found: string; problem: string };

/** Whether a text is in the language: its letters are mostly of the language's script, and
 *  detection does not confidently name another language. `found` names what it is instead. */
export function checkLanguage(text: string, language: string): LanguageVerdict {
  const expected = languageOrEnglish(language);
  const detected = detectLanguage(text);
  const share = scriptShare(text, expected.script);
  const foundName = detected ? (LANGUAGES.find((l) => l.code === detected.code)?.name ?? detected.name) : "no language";
  if (share < MIN_SCRIPT_SHARE)
    return {
      ok: false,
      expected,
      found: foundName,
      problem: `the narration is in ${foundName}, not ${expected.name}: ${Math.round(share * 100)}% of its letters are in ${expected.name}'s script (${expected.script})`,
    };
  if (detected?.confident && detected.code !== expected.code && !SAME_LANGUAGE[expected.code]?.includes(detected.code))
    return { ok: false, expected, found: foundName, problem: `the narration is in ${foundName}, not ${expected.name}` };
  return { ok: true };
}

/** The prompt line that names the language, in English and in itself ("Spanish (Español)"). */
export function languageLabel(language: string) {
  const info = languageOrEnglish(language);
  return info.nativeName === info.name ? info.name : `${info.name} (${info.nativeName})`;
}
