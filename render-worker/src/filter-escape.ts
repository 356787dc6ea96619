// Values placed inside an FFmpeg filter graph: numbers written as the graph takes them, and
// text escaped. A text value passes two parsers: the filter's option parser (special: \ ' :)
// and then the graph parser (special: \ ' [ ] , ;). We quote at both levels, so no character
// of the value can end the option or the filter.

/** A number as filter graphs take it: at most 6 decimals, no trailing zeros. */
export const fmt = (n: number) => Number(n.toFixed(6)).toString();

/** Quotes a value for one level: wrap in '...' and write each ' as '\'' . */
function quoteLevel(value: string) {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

export function escapeFilterValue(value: string) {
  if (/[\0\n\r]/.test(value)) throw new Error("filter values must not contain NUL or line breaks");
  return quoteLevel(quoteLevel(value));
}
