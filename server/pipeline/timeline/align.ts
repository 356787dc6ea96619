// The written words of a narration, in any script, and the voice's own word timings matched
// to them. Words are the render contract's break units (spaces in spaced languages,
// Intl.Segmenter words in Chinese, Japanese and Thai), measured in display columns, so that
// text written without spaces still has words to time and to highlight.
import { breakUnits, displayWidth, languageOrEnglish } from "@aura/render-contract";

/** When the voice said each word (seconds into its narration), from providers that say so. */
export type SpokenWord = { word: string; startSec: number; endSec: number };

/** A written word: its text (punctuation attached, no surrounding space) and where it starts
 *  in the text (UTF-16 offset). */
export type WrittenWord = { text: string; at: number };

/** The words of a text as captions show and highlight them, in order. */
export function writtenWords(text: string, language?: string | null): WrittenWord[] {
  const words: WrittenWord[] = [];
  let from = 0;
  for (const unit of breakUnits(text, language)) {
    const at = text.indexOf(unit, from);
    from = at + unit.length;
    const lead = unit.length - unit.trimStart().length;
    const word = unit.trim();
    if (word) words.push({ text: word, at: at + lead });
  }
  return words;
}

/** How much of the spoken line a word takes: its display width, and the space after it in a
 *  language that writes one. */
export function wordWeight(word: string, language?: string | null) {
  return displayWidth(word) + (languageOrEnglish(language).spaced ? 1 : 0);
}

/** The same without punctuation, which is not said: where a voice timed each character of a
 *  Chinese sentence, a written "喝。" is one character long, not two. */
const spokenWeight = (word: string, language?: string | null) => Math.max(1, wordWeight(word.replace(/\p{P}/gu, ""), language));

/**
 * Times for the written words from the voice's own word timings. The voice read the speakable
 * text (numbers spelled out, symbols said), so its words need not match the written ones:
 * with the same count they pair one to one; otherwise each written word takes the time at
 * the same place in the text (by display width, punctuation aside) on the voice's timeline.
 */
export function alignWords(written: string[], spoken: SpokenWord[], durationSec: number, language?: string | null) {
  if (!spoken.length) return null;
  const starts =
    written.length === spoken.length
      ? spoken.map((w) => w.startSec)
      : (() => {
          const at = (words: string[]) => {
            const weights = words.map((w) => spokenWeight(w, language));
            const total = weights.reduce((a, w) => a + w, 0) || 1;
            let c = 0;
            return weights.map((w) => {
              const start = c;
              c += w;
              return start / total;
            });
          };
          const points = at(spoken.map((w) => w.word)).map((p, k) => [p, spoken[k]!.startSec] as const);
          points.push([1, spoken.at(-1)!.endSec]);
          return at(written).map((q) => {
            const k = Math.max(
              0,
              points.findIndex((_p, j) => j + 1 < points.length && q < points[j + 1]![0]),
            );
            const [[p0, t0], [p1, t1]] = [points[k]!, points[k + 1] ?? points[k]!];
            return p1 > p0 ? t0 + ((q - p0) / (p1 - p0)) * (t1 - t0) : t0;
          });
        })();
  const end = Math.min(durationSec, Math.max(spoken.at(-1)!.endSec, starts.at(-1)!));
  return starts.map((start, i) => ({ start: Math.min(start, end), end: Math.min(end, Math.max(start, starts[i + 1] ?? end)) }));
}
