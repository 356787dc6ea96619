// The visual-match check: does the asset a shot got say anything of what the shot asked for?
// Words are compared in a plain form (lower case, a plural "s" or "es" taken off), so
// "farmers picking cherries" matches a clip tagged "farmer, cherry, harvest".

const plain = (word: string) =>
  word
    .toLowerCase()
    .normalize("NFKC")
    .replace(/(?:ies)$/, "y")
    .replace(/(?:ses|xes|ches|shes)$/, (m) => m.slice(0, -2))
    .replace(/(?<=[^s])s$/, "");

const wordsOf = (text: string) => (text.match(/[\p{L}\p{N}]+/gu) ?? []).filter((w) => w.length > 2).map(plain);

/** True when the asset's own words share a word with the query (or when the query has no
 *  word to share, which cannot be judged). */
export function queryMatches(query: string, assetWords: string[]) {
  const wanted = new Set(wordsOf(query));
  if (!wanted.size) return true;
  return assetWords.flatMap(wordsOf).some((w) => wanted.has(w));
}
