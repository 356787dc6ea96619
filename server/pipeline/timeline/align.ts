// The voice's own word timings, matched to the written words.

/** When the voice said each word (seconds into its narration), from providers that say so. */
export type SpokenWord = { word: string; startSec: number; endSec: number };

/**
 * Times for the written words from the voice's own word timings. The voice read the speakable
 * text (numbers spelled out, symbols said), so its words need not match the written ones:
 * with the same count they pair one to one; otherwise each written word takes the time at
 * the same place in the text (by characters) on the voice's timeline.
 */
export function alignWords(written: string[], spoken: SpokenWord[], durationSec: number) {
  if (!spoken.length) return null;
  const starts =
    written.length === spoken.length
      ? spoken.map((w) => w.startSec)
      : (() => {
          const at = (words: string[]) => {
            const total = words.reduce((a, w) => a + w.length + 1, 0) || 1;
            let c = 0;
            return words.map((w) => {
              const start = c;
              c += w.length + 1;
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
