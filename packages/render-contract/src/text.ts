// Text as it is drawn, in any script: user text made safe for layout (bidirectional controls
// removed), its width in display columns, and lines broken where the language allows. The app
// (caption chunks, cards) and the render worker (caption and title lines) share these.
import { languageOrEnglish } from "./languages.ts";

/** Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the
 *  Arabic letter mark: in user text they could reorder what follows them, beyond their own
 *  caption, so they go. Joiners (U+200C, U+200D) stay: Persian words and emoji need them. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u061c]/g;

export function stripBidiControls(text: string) {
  return text.replace(BIDI_CONTROLS, "");
}

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** User-perceived characters (a letter with its combining marks, an emoji with its joiners). */
export function graphemes(text: string) {
  return Array.from(graphemeSegmenter.segment(text), (s) => s.segment);
}

/** East Asian wide characters: Han, kana, Hangul, CJK punctuation, full-width forms. */
const WIDE =
  /^[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|^[\u{20000}-\u{3fffd}]/u;
const EMOJI = /\p{Extended_Pictographic}/u;

/** The width of one grapheme in columns: 2 for wide characters and emoji, 0 for a lone
 *  combining mark or a zero-width character, else 1. */
export function graphemeWidth(g: string) {
  if (WIDE.test(g) || EMOJI.test(g)) return 2;
  if (/^[\p{M}\u200b-\u200d\u2060\ufeff]+$/u.test(g)) return 0;
  return 1;
}

/** A text's width in display columns (a Latin letter is one, a Chinese character two). */
export function displayWidth(text: string) {
  let width = 0;
  for (const { segment } of graphemeSegmenter.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** Characters that never start a line (closing punctuation, in Latin and CJK typography). */
const NO_LINE_START = /^[\p{Pe}\p{Pf}!,.:;?%\u3001\u3002\uff01\uff0c\uff0e\uff1a\uff1b\uff1f\u30fc\u3005\u309d\u309e\u30fd\u30fe\u0e2f\u0e46]/u;

/**
 * The pieces a line may break between. Spaced languages break at spaces (each piece keeps
 * its trailing space); Chinese, Japanese and Thai break between the words Intl.Segmenter
 * finds (its dictionaries know Thai and Japanese words); punctuation stays with the word
 * before it.
 */
export function breakUnits(text: string, language?: string | null) {
  const info = languageOrEnglish(language);
  if (info.spaced) return text.match(/\S+\s*/g) ?? [];
  const units: string[] = [];
  for (const { segment } of new Intl.Segmenter(info.code, { granularity: "word" }).segment(text)) {
    const last = units.length - 1;
    if (last >= 0 && (NO_LINE_START.test(segment) || /^\s+$/.test(segment))) units[last] += segment;
    else units.push(segment);
  }
  return units;
}

/**
 * Lines of at most `maxColumns` display columns, broken only where `breakUnits` allows; a
 * piece wider than a whole line is cut between graphemes. Trailing spaces are trimmed.
 */
export function wrapText(text: string, maxColumns: number, language?: string | null) {
  const lines: string[] = [];
  let current = "";
  let width = 0;
  const push = () => {
    if (current.trim()) lines.push(current.trimEnd());
    current = "";
    width = 0;
  };
  for (const unit of breakUnits(text.trim(), language)) {
    const w = displayWidth(unit.trimEnd());
    if (width > 0 && width + w > maxColumns) push();
    if (w > maxColumns) {
      for (const g of graphemes(unit)) {
        const gw = graphemeWidth(g);
        if (width > 0 && width + gw > maxColumns) push();
        current += g;
        width += gw;
      }
      continue;
    }
    current += unit;
    width += displayWidth(unit);
  }
  push();
  return lines;
}
