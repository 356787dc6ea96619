// Words in the plain form the illustration library compares: lower case, split on anything that
// is not a letter or digit, common words left out, and each word stemmed (Porter), so "cups",
// "riding" and "waves" meet a picture tagged "cup", "ride" and "wave".
import { stemmer } from "stemmer";
import { STOPWORDS } from "../../../text/keywords.ts";

/** Words too general to say what a picture shows (the collections' own filler tags). */
const FILLER = new Set("unsorted clipart clip svg image picture illustration icon media public domain remix openclipart".split(" "));

/** The stems of a text's words, in order, without repeats. */
export function stemsOf(text: string) {
  const stems: string[] = [];
  for (const word of text
    .toLowerCase()
    .normalize("NFKC")
    .match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (word.length < 3 || STOPWORDS.has(word) || FILLER.has(word) || /^\d+$/.test(word)) continue;
    const stem = stemmer(word);
    if (!stems.includes(stem)) stems.push(stem);
  }
  return stems;
}
