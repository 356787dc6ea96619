// Text as it is drawn, in any script: user text made safe for layout (bidirectional controls
// removed, emoji removed where a renderer cannot draw them in colour), its width in display
// columns, and lines broken where the language allows. The app (caption chunks, cards) and the
// render worker (caption and title lines) share these.
import { languageOrEnglish } from "./languages.ts";

/** Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the
 *  Arabic letter mark: in user text they could reorder what follows them, beyond their own
 *  caption, so they go. Joiners (U+200C, U+200D) stay: Persian words and emoji need them. */
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u061c]/g;

export function stripBidiControls(text: string) {
  return text.replace(BIDI_CONTROLS, "");
}

/** Emoji as a renderer without colour glyphs would draw them (as boxes): a pictograph in emoji
 *  presentation (by default, with VS16, a skin-tone modifier or in a ZWJ sequence), a flag
 *  (regional indicators, tag sequences) or a keycap. Text-style symbols (©, ™, ☺ without VS16)
 *  are ordinary characters that text fonts draw, and stay. */
const EMOJI_GRAPHEME = /\p{Emoji_Presentation}|\p{Extended_Pictographic}[\ufe0f\u{1f3fb}-\u{1f3ff}\u200d]|\u20e3|[\u{1f1e6}-\u{1f1ff}]|^[\u{1f000}-\u{1faff}]/u;

/** Whether a grapheme cluster is an emoji (the same test wherever text is drawn or checked). */
export const isEmojiGrapheme = (grapheme: string) => EMOJI_GRAPHEME.test(grapheme);

/** The text without its emoji (whole grapheme clusters: modifiers, joiners and selectors go
 *  with them). For text drawn by libass, which has no colour glyphs; sidecars keep emoji. */
export function removeEmoji(text: string) {
  return graphemes(text)
    .filter((g) => !EMOJI_GRAPHEME.test(g))
    .join("");
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

/** Characters that never start a line (closing punctuation, in Latin and CJK typography; the
 *  small kana, as Japanese line breaking rules say). */
const NO_LINE_START =
  /^[\p{Pe}\p{Pf}!,.:;?%\u3001\u3002\uff01\uff0c\uff0e\uff1a\uff1b\uff1f\u30fc\u3005\u309d\u309e\u30fd\u30fe\u0e2f\u0e46ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ]/u;

/** Opening punctuation, which never ends a line: it stays with the word after it. */
const OPENING = /^[\p{Ps}\p{Pi}]+$/u;

/**
 * The pieces a line may break between. Spaced languages break at spaces (each piece keeps
 * its trailing space); Chinese, Japanese and Thai break between the words Intl.Segmenter
 * finds (its dictionaries know Thai and Japanese words). Closing punctuation stays with the
 * word before it (also after a space, as in French "Bonjour !"), opening punctuation with the
 * word after it.
 */
export function breakUnits(text: string, language?: string | null) {
  const info = languageOrEnglish(language);
  // Balancing lines wraps one text many times: its pieces are found once (Intl.Segmenter is
  // slow next to the rest).
  if (lastBreak?.text === text && lastBreak.code === info.code) return [...lastBreak.units];
  const pieces = info.spaced
    ? (text.match(/\S+\s*/g) ?? [])
    : Array.from(new Intl.Segmenter(info.code, { granularity: "word" }).segment(text), (s) => s.segment);
  const units: string[] = [];
  for (const piece of pieces) {
    const last = units.length - 1;
    if (last >= 0 && (NO_LINE_START.test(piece) || /^\s+$/.test(piece) || OPENING.test(units[last]!.trim()))) units[last] += piece;
    else units.push(piece);
  }
  lastBreak = { text, code: info.code, units };
  return [...units];
}

let lastBreak: { text: string; code: string; units: string[] } | null = null;

/**
 * Lines of at most `maxColumns` display columns, broken only where `breakUnits` allows; a
 * piece wider than a whole line is cut between graphemes (closing punctuation may then hang
 * one character past the end). Trailing spaces are trimmed.
 * `measure` gives a text's width in the unit of `maxColumns` (display columns by default; the
 * render worker passes its estimate of drawn width per script).
 */
export function wrapText(text: string, maxColumns: number, language?: string | null, measure: (text: string) => number = displayWidth) {
  const lines: string[] = [];
  let current = "";
  let width = 0;
  const push = () => {
    if (current.trim()) lines.push(current.trimEnd());
    current = "";
    width = 0;
  };
  for (const unit of breakUnits(text.trim(), language)) {
    const w = measure(unit.trimEnd());
    if (width > 0 && width + w > maxColumns) push();
    if (w > maxColumns) {
      for (const g of graphemes(unit)) {
        const gw = measure(g);
        // Closing punctuation hangs past the end rather than start a line.
        if (width > 0 && width + gw > maxColumns && !NO_LINE_START.test(g)) push();
        current += g;
        width += gw;
      }
      continue;
    }
    current += unit;
    width += measure(unit);
  }
  push();
  return lines;
}
