// Reading drawn text back with Tesseract OCR, and how far the reading is from the text meant:
// the character error rate (edit distance over user-perceived characters, whitespace ignored,
// so that a language without spaces and one with them are scored alike).
import { spawnSync } from "node:child_process";

/** Tesseract's language data per BCP 47 language (Debian's tesseract-ocr-<lang> packages). */
export const TESSERACT_LANGUAGE: Record<string, string> = {
  en: "eng",
  es: "spa",
  fr: "fra",
  de: "deu",
  ru: "rus",
  ar: "ara",
  he: "heb",
  hi: "hin",
  th: "tha",
  zh: "chi_sim",
  "zh-Hant": "chi_tra",
  ja: "jpn",
  ko: "kor",
};

/**
 * The text Tesseract reads in an image (PNG or any format it takes). `psm` is its page
 * segmentation mode: 6 for a block of text (the default here), 7 for a single line.
 */
export function ocr(image: string, language: string, options: { psm?: number } = {}) {
  const lang = TESSERACT_LANGUAGE[language] ?? language;
  const run = spawnSync("tesseract", [image, "-", "-l", lang, "--psm", String(options.psm ?? 6)], { encoding: "utf8" });
  if (run.status !== 0) throw new Error(`tesseract -l ${lang} failed (scripts/setup.sh installs it with AURA_WITH_TEST_TOOLS=1): ${run.stderr}`);
  return run.stdout.trim();
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const characters = (text: string) =>
  Array.from(segmenter.segment(text.normalize("NFC")), (s) => s.segment).filter((g) => !/^[\s\u200b-\u200f\u2060]+$/u.test(g));

/** Edit distance between what was meant and what was read, divided by the meant length. */
export function characterErrorRate(expected: string, actual: string) {
  const a = characters(expected);
  const b = characters(actual);
  if (!a.length) return b.length ? 1 : 0;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]! / a.length;
}
