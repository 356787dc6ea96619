// What the offline writer has to say: the sentences of the brief and of the workspace's
// passages, and their noun phrases. Sentences are cut by Unicode's sentence rules
// (Intl.Segmenter), not by full stops, so other languages can build on it; noun phrases come
// from the `compromise` tagger, which reads English only.
import nlp from "compromise";
import { STOPWORDS } from "../../text/keywords.ts";
import { markdownToPlainText } from "../../text/markdown.ts";
import { countWords } from "../pacing.ts";

const sentenceSegmenter = new Intl.Segmenter("en", { granularity: "sentence" });
/** A list item's marker: "- ", "* ", "• ", "1. ", "2) ". */
const BULLET = /^\s*(?:[-*•\u2013\u2014]|\d+[.)])\s+/;
const END = /[.!?\u3002\uff01\uff1f]["')\]\u201d\u300d]*$/;

/** The sentences of a text, in order: each line (a list item is one) cut at sentence
 *  boundaries, without list markers or any other Markdown mark (a passage of a document stored
 *  before extraction removed them), each ended by a full stop when it had no end mark. */
export function splitSentences(text: string, minWords = 2) {
  const out: string[] = [];
  for (const line of markdownToPlainText(text.replace(/\r/g, "")).split(/\n+/)) {
    for (const { segment } of sentenceSegmenter.segment(line.replace(BULLET, ""))) {
      const s = segment.replace(BULLET, "").replace(/\s+/g, " ").trim();
      if (countWords(s) < minWords) continue;
      out.push(END.test(s) ? s.charAt(0).toUpperCase() + s.slice(1) : `${s.charAt(0).toUpperCase()}${s.slice(1).replace(/[,;:\s]+$/, "")}.`);
    }
  }
  return out;
}

/** A sentence as compared for repeats: case, punctuation and spacing do not count. */
export const normaliseSentence = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

const PRONOUNS = /^(?:i|me|you|he|him|she|her|it|we|us|they|them|this|that|these|those|one|someone|something|everything|everyone)$/i;

/** A noun phrase as the text says it, and whether it reads as an action ("reduce waste"). */
export type Phrase = { text: string; verb: boolean };

/** The noun phrases of a text, first mention first, each once (compared normalised), at most
 *  `maxWords` words. A list item that starts with a verb ("Reduce waste at home") is a phrase
 *  too, marked as a verb phrase: the templates that take it need no article or agreement. */
export function nounPhrases(text: string, maxWords = 6): Phrase[] {
  const seen = new Set<string>();
  const out: Phrase[] = [];
  const add = (phrase: string, verb: boolean) => {
    const clean = phrase
      .replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "")
      .replace(/\s+/g, " ")
      .trim();
    const key = normaliseSentence(clean);
    const words = countWords(clean);
    if (!key || key.split(" ").every((w) => STOPWORDS.has(w))) return;
    if (seen.has(key) || words < 1 || words > maxWords || PRONOUNS.test(clean) || (words === 1 && clean.length < 3 && !/^\p{Lu}{2}$/u.test(clean))) return;
    seen.add(key);
    out.push({ text: clean, verb });
  };
  for (const line of text.replace(/\r/g, "").split(/\n+/)) {
    // A short list item that is an instruction ("Reduce waste at home") is a phrase as a whole.
    const item = line.replace(BULLET, "").trim();
    if (BULLET.test(line) && countWords(item) <= maxWords && nlp(item).terms().first().has("#Verb")) add(lowerFirst(item), true);
    // Tagged a sentence at a time, so that no phrase runs across two ("Harbour A. Ships rest").
    const nouns = [...sentenceSegmenter.segment(item)].flatMap(({ segment }) => nlp(segment).nouns().json() as { terms: { text: string; tags: string[] }[] }[]);
    for (const noun of nouns) {
      // A noun phrase's trailing verb is the tagger's usual slip ("the history of coffee spread").
      const terms = noun.terms.filter((t) => t.text);
      while (terms.length > 1 && terms.at(-1)!.tags.includes("Verb")) terms.pop();
      const proper = terms[0]?.tags.some((t) => t === "ProperNoun" || t === "Acronym");
      const phrase = terms.map((t) => t.text).join(" ");
      add(proper ? phrase : lowerFirst(phrase), false);
    }
  }
  return out;
}

/** "Photons" at the start of a sentence → "photons"; "NASA" and "DNA" stay as written. */
function lowerFirst(s: string) {
  return /^\p{Lu}\p{Ll}/u.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

/** The noun phrase a statement is about: "The history of coffee begins in Ethiopia" → "The
 *  history of coffee"; null for a phrase that is no statement ("Facts about the Moon", "How
 *  tides work"). The statement's verb follows its noun directly, and no "that" or "which"
 *  comes before it ("The ways that engineers built roads" is a phrase, not a statement). */
export function statementSubject(text: string) {
  if (/^(how|why|what|when|where|who|which|whether)\b/i.test(text)) return null;
  const terms = (nlp(text).terms().json() as { text: string; terms: { text: string; tags: string[] }[] }[]).map((t) => t.terms[0]!);
  const k = terms.findIndex(
    (t, i) => i > 0 && t.tags.includes("Verb") && !t.tags.includes("Gerund") && t.tags.some((g) => g === "PresentTense" || g === "PastTense" || g === "Copula"),
  );
  if (k < 1 || k >= terms.length - 1 || !terms[k - 1]!.tags.includes("Noun")) return null;
  if (terms.slice(0, k).some((t) => /^(that|which|who)$/i.test(t.text))) return null;
  // Up to the verb as the text writes it (the tagger splits "lithium-ion" in two).
  let end = 0;
  for (const t of terms.slice(0, k)) end = text.indexOf(t.text, end) + t.text.length;
  return text.slice(0, end).trim();
}
