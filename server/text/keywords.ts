// Key words of a text: the content words that say what it is about, most frequent first.
// Shared by the script stage (scene key words, visual queries) and knowledge search.

export const STOPWORDS = new Set(
  (
    "a an the and or but if then so of to in on at by for with about from into over under as is are was were be been being " +
    "it its this that these those there here their them they we our you your he she his her i me my what which who whom whose " +
    "how why when where do does did done can could should would will shall may might must not no yes very more most less much many " +
    "make makes made video short explain explains explaining tell show shows about topic create want need using use way ways " +
    "have has had across around through between among within without onto upon also just like"
  ).split(" "),
);

const SUBJECT_PRONOUNS = new Set(["i", "you", "he", "she", "it", "we", "they"]);
const OBJECT_STARTERS = new Set(
  "the a an it them him her us me this that these those its their our his my your some many across around through into onto over under in on at to from with by for about".split(
    " ",
  ),
);

/** Content words of the prompt, most frequent first. A word that reads like a verb (after a
 *  subject pronoun, or between a content word and an object: "coffee spread around the") is
 *  ranked after the others, so that key words are mostly things, not actions. */
export function extractKeywords(text: string, limit = 8) {
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
