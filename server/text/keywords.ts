// Key words of a text: the content words that say what it is about, most frequent first.
// Shared by the script stage (scene key words, visual queries) and knowledge search. English
// keeps its own tokens and stop words; other languages are cut into words by Intl.Segmenter
// (so Chinese, Japanese and Thai, written without spaces, have words too), folded to one case
// by their own rules (Turkish dotted and dotless i, Greek final sigma), and lose the stop
// words of the stopwords-iso collection where it has the language.
import stopwordsIso from "stopwords-iso";
import { languageInfo } from "@aura/render-contract";

export const STOPWORDS = new Set(
  (
    "a an the and or but if then so of to in on at by for with about from into over under as is are was were be been being " +
    "it its this that these those there here their them they we our you your he she his her i me my what which who whom whose " +
    "how why when where do does did done can could should would will shall may might must not no yes very more most less much many " +
    "make makes made video short explain explains explaining tell show shows about topic create want need using use way ways " +
    "have has had across around through between among within without onto upon also just like"
  ).split(" "),
);

const ISO_STOPWORDS = stopwordsIso as Record<string, string[] | undefined>;
const stopwordSets = new Map<string, ReadonlySet<string>>();

/** The stop words of a language (English: STOPWORDS; a language the collection lacks: none),
 *  folded as `foldCase` folds the words they are compared with. */
export function stopwordsFor(language: string): ReadonlySet<string> {
  const code = languageInfo(language)?.code ?? language;
  if (code === "en") return STOPWORDS;
  let set = stopwordSets.get(code);
  if (!set) {
    // Traditional Chinese shares the collection's Chinese list, which has both forms of the commonest words.
    set = new Set((ISO_STOPWORDS[code.split("-")[0]!] ?? []).map((w) => foldCase(w, code)));
    stopwordSets.set(code, set);
  }
  return set;
}

/** A word folded for comparison: composed (NFC), without zero-width spaces and word joiners
 *  (the joiners ZWJ and ZWNJ stay: Persian words need them), full-width Latin letters and digits as
 *  plain ones, lower case by the language's rules (Turkish "İ" → "i", "I" → "ı"), Greek final
 *  sigma and German ß as their plain forms. NFKC would do more, but it splits Thai's sara am. */
export function foldCase(word: string, language = "en") {
  return word
    .normalize("NFC")
    .replace(/[\u200b\u2060\ufeff]/g, "")
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .toLocaleLowerCase(language)
    .replace(/ς/g, "σ")
    .replace(/ß/g, "ss");
}

const wordSegmenters = new Map<string, Intl.Segmenter>();

/** The words of a text in a language, folded, in order: Intl.Segmenter's word-like segments. */
export function wordsOf(text: string, language: string) {
  let segmenter = wordSegmenters.get(language);
  if (!segmenter) {
    segmenter = new Intl.Segmenter(language, { granularity: "word" });
    wordSegmenters.set(language, segmenter);
  }
  const out: string[] = [];
  for (const s of segmenter.segment(text)) if (s.isWordLike) out.push(foldCase(s.segment, language));
  return out;
}

/** Languages written without spaces, whose words are often one or two characters long. */
const SHORT_WORDS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

const SUBJECT_PRONOUNS = new Set(["i", "you", "he", "she", "it", "we", "they"]);
const OBJECT_STARTERS = new Set(
  "the a an it them him her us me this that these those its their our his my your some many across around through into onto over under in on at to from with by for about".split(
    " ",
  ),
);

/** Content words of the prompt, most frequent first. A word that reads like a verb (after a
 *  subject pronoun, or between a content word and an object: "coffee spread around the") is
 *  ranked after the others, so that key words are mostly things, not actions. `language`:
 *  the text's (BCP 47); without it, English rules, and words by the segmenter when the text is
 *  written without spaces. */
export function extractKeywords(text: string, limit = 8, language?: string) {
  if ((language && languageInfo(language)?.code !== "en") || (!language && SHORT_WORDS.test(text))) return keywordsIn(text, limit, language ?? "und");
  const stats = new Map<string, { count: number; verbLike: number }>();
  for (const sentence of text.toLowerCase().split(/[.!?;:\n]+/)) {
    const tokens = (sentence.match(/[\p{L}\p{N}][\p{L}\p{N}'-]*/gu) ?? []).map((t) => t.replace(/'s$/, ""));
    tokens.forEach((w, i) => {
      if (w.length < 3 || STOPWORDS.has(w)) return;
      const prev = tokens[i - 1];
      const next = tokens[i + 1];
      const afterContent = prev !== undefined && !STOPWORDS.has(prev) && !SUBJECT_PRONOUNS.has(prev);
      const verbLike = (prev !== undefined && SUBJECT_PRONOUNS.has(prev)) || (afterContent && next !== undefined && OBJECT_STARTERS.has(next));
      const s = stats.get(w) ?? { count: 0, verbLike: 0 };
      s.count++;
      if (verbLike) s.verbLike++;
      stats.set(w, s);
    });
  }
  const rank = (s: { count: number; verbLike: number }) => s.count - (s.verbLike * 2 >= s.count ? 100 : 0);
  // Ties keep the order of first appearance (Map keeps insertion order; sort is stable).
  return [...stats.entries()]
    .sort((a, b) => rank(b[1]) - rank(a[1]))
    .slice(0, limit)
    .map(([w]) => w);
}

/** Key words of a text in another language than English: its most frequent content words
 *  (ties in order of first appearance), without its stop words. */
function keywordsIn(text: string, limit: number, language: string) {
  const stop = stopwordsFor(language);
  const counts = new Map<string, number>();
  for (const w of wordsOf(text, language)) {
    const short = SHORT_WORDS.test(w);
    if (stop.has(w) || /^\p{N}+$/u.test(w) || w.length < (short ? 2 : 3)) continue;
    // Japanese content words are written with kanji or katakana; a word of hiragana alone is
    // a particle, an ending or a function word ("どう", "って").
    if (/^[\p{Script=Hiragana}\u30fc]+$/u.test(w)) continue;
    counts.set(w, (counts.get(w) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([w]) => w);
}
