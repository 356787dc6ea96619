// The script's language: how a writer is told it, and whether an answer is in it. An answer
// passes when its narration is mostly letters of the language's writing system, language
// detection does not confidently name another language, and among the languages Aura writes
// in that script, franc-min's trigrams do not clearly prefer another.
import { LANGUAGES, languageOrEnglish, type LanguageInfo, type Script as WritingSystem } from "@aura/render-contract";
import { francAll } from "franc-min";
import { detectLanguage } from "../../text/detect-language.ts";

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

/** franc-min's codes of the languages Aura writes that share a writing system with another. */
const FRANC_CODES: Record<string, string> = {
  en: "eng",
  es: "spa",
  fr: "fra",
  de: "deu",
  it: "ita",
  pt: "por",
  nl: "nld",
  pl: "pol",
  tr: "tur",
  vi: "vie",
  id: "ind",
  ru: "rus",
  uk: "ukr",
  ar: "arb",
  fa: "pes",
};
/** franc scores its best guess 1 and, on real prose, the next language of the same script
 *  0.93 or less (measured on Spanish, French, Portuguese and Italian): the language asked for
 *  scoring below this, under another, is not the text's. */
const FRANC_MARGIN = 0.98;
/** Fewer letters than this are too few for trigrams alone to tell languages of one script
 *  apart (lists of English terms read as French or Italian under about 150 letters); shorter
 *  answers are judged by detection's function words only. */
const MIN_LETTERS = 160;

/** Among the languages Aura writes in the same script, the one franc-min finds the text in when
 *  it is clearly not `expected` (its score under FRANC_MARGIN of the best); else null. Ranking
 *  only Aura's languages keeps franc from taking Russian for Bulgarian or English for Scots. */
function neighbourLanguage(text: string, expected: LanguageInfo) {
  const own = FRANC_CODES[expected.code];
  if (!own || (text.match(/\p{L}/gu) ?? []).length < MIN_LETTERS) return null;
  const only = LANGUAGES.filter((l) => l.script === expected.script && FRANC_CODES[l.code]).map((l) => FRANC_CODES[l.code]!);
  const ranked = francAll(text, { only, minLength: 3 });
  const best = ranked[0];
  if (!best || best[0] === own || best[0] === "und") return null;
  const score = ranked.find(([code]) => code === own)?.[1] ?? 0;
  if (score >= FRANC_MARGIN) return null;
  return LANGUAGES.find((l) => FRANC_CODES[l.code] === best[0]) ?? null;
}

/** The share of a text's letters written in a writing system (1 for a text without letters). */
export function scriptShare(text: string, script: WritingSystem) {
  const letters = (text.match(/\p{L}/gu) ?? []).length;
  if (!letters) return 1;
  return (text.match(SCRIPT_LETTERS[script]) ?? []).length / letters;
}

export type LanguageVerdict = { ok: true } | { ok: false; expected: LanguageInfo; found: string; problem: string };

/** Simplified and Traditional Chinese are told apart by a sample of characters only one of
 *  them uses: a text without any reads as Simplified, so the check takes both as Chinese. */
const primary = (code: string) => code.split("-")[0]!;

/** Whether a text is in the language: its letters are mostly of the language's script, and
 *  detection does not confidently name another language that Aura writes. A language Aura does
 *  not write (Bulgarian, Kazakh, Malay) is franc-min mistaking a close neighbour (Russian,
 *  Indonesian) on a short text, not a model answering in it. `found` names what it is instead. */
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
  if (detected?.confident && detected.info && primary(detected.info.code) !== primary(expected.code))
    return { ok: false, expected, found: foundName, problem: `the narration is in ${foundName}, not ${expected.name}` };
  // Letters only the expected language has (ё in Russian, ї in Ukrainian…) settle it.
  if (detected?.confident && detected.info?.code === expected.code) return { ok: true };
  // Trigrams alone overrule the expected language only where detection leans the same way
  // (a list of English terms reads as French to franc, but has no French function word).
  const neighbour = neighbourLanguage(text, expected);
  if (neighbour && detected?.code === neighbour.code)
    return { ok: false, expected, found: neighbour.name, problem: `the narration is in ${neighbour.name}, not ${expected.name}` };
  return { ok: true };
}

/** The prompt line that names the language, in English and in itself ("Spanish (Español)"). */
export function languageLabel(language: string) {
  const info = languageOrEnglish(language);
  return info.nativeName === info.name ? info.name : `${info.name} (${info.nativeName})`;
}
