// Where a scene's shots change: at phrase boundaries of its narration, timed from the measured
// audio (the voice's own word timings when it gave them, else the words spread over the
// measured length by their display width), as near as they can be to equal shots. Words are
// the language's own (Intl.Segmenter words where text has no spaces).
import { displayWidth } from "@aura/render-contract";
import { MIN_SHOT_SEC, phrasesOf } from "../shots.ts";
import { alignWords, type SpokenWord, writtenWords } from "./align.ts";

/** Seconds into the narration at which each character offset of the text is spoken. */
function speechClock(text: string, narrationSec: number, spoken?: SpokenWord[], language?: string) {
  const words = writtenWords(text, language);
  const aligned = spoken?.length
    ? alignWords(
        words.map((w) => w.text),
        spoken,
        narrationSec,
        language,
      )
    : null;
  const columns = displayWidth(text) || 1;
  const at = (offset: number) => (displayWidth(text.slice(0, offset)) / columns) * narrationSec;
  const times = words.map((w, i) => aligned?.[i] ?? { start: at(w.at), end: at(w.at + w.text.length) });
  return (offset: number) => {
    const i = words.findLastIndex((w) => w.at <= offset);
    if (i < 0) return 0;
    const w = words[i]!;
    const t = times[i]!;
    // Inside a word (a long run without spaces): in proportion to its display width.
    const into = Math.min(1, displayWidth(text.slice(w.at, offset)) / (displayWidth(w.text) || 1));
    return t.start + into * (t.end - t.start);
  };
}

/** Character offsets where each phrase after the first begins. */
function phraseStarts(text: string) {
  const starts: number[] = [];
  let from = 0;
  for (const phrase of phrasesOf(text)) {
    const at = text.indexOf(phrase, from);
    if (at > 0) starts.push(at);
    from = at + phrase.length;
  }
  return starts;
}

/**
 * When each shot of a scene starts, in seconds from the scene's start (the first at 0), for
 * `wanted` shots over `sceneSec`. Fewer shots when the scene is too short for them all to
 * last MIN_SHOT_SEC. Cuts go to the phrase boundary nearest an equal share, else to the
 * equal share itself; all on whole frames.
 */
export function shotStarts(input: {
  narration: string;
  sceneSec: number;
  /** When the narration starts in the scene, and how long it lasts. */
  leadSec: number;
  narrationSec: number;
  words?: SpokenWord[];
  /** The narration's language (BCP 47): where its words are. */
  language?: string;
  wanted: number;
  fps: number;
}) {
  const { sceneSec, fps } = input;
  const count = Math.max(1, Math.min(input.wanted, Math.floor(sceneSec / MIN_SHOT_SEC)));
  if (count === 1) return [0];
  const clock = speechClock(input.narration, input.narrationSec, input.words, input.language);
  const candidates = phraseStarts(input.narration).map((offset) => input.leadSec + clock(offset));
  const frame = (t: number) => Math.round(t * fps) / fps;
  const starts = [0];
  for (let k = 1; k < count; k++) {
    const earliest = starts.at(-1)! + MIN_SHOT_SEC;
    const latest = sceneSec - (count - k) * MIN_SHOT_SEC;
    const ideal = Math.min(latest, Math.max(earliest, starts.at(-1)! + (sceneSec - starts.at(-1)!) / (count - k + 1)));
    // A phrase boundary within 40 % of a shot's length of the ideal cut, the nearest one.
    const near = candidates
      .filter((c) => c >= earliest && c <= latest && Math.abs(c - ideal) <= 0.4 * (sceneSec / count))
      .sort((a, b) => Math.abs(a - ideal) - Math.abs(b - ideal))[0];
    starts.push(frame(near ?? ideal));
  }
  return starts;
}
