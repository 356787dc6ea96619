// One policy for the text people send: at the edge, every string of a request is refused if
// it holds what can never be stored or drawn (a NUL, half of a UTF-16 surrogate pair), naming
// the field; free-text fields are normalised (NFC, one kind of line break, no other control
// characters) before their length is checked. Later stages cut text with `truncateText`,
// which never splits a character or an emoji. Imports nothing server-only (the brief form
// uses it in the browser).
import { z } from "zod";

/** Half of a surrogate pair, alone: no UTF-8 encoding exists for it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string can never be stored or drawn, or null when it can. */
export function unusableTextReason(value: string): string | null {
  if (value.includes("\u0000")) return "contains a NUL character";
  if (LONE_SURROGATE.test(value)) return "contains a broken character (half of a UTF-16 surrogate pair)";
  return null;
}

/**
 * The first string anywhere in a request's input (objects and arrays, however deep) that can
 * never be stored or drawn, with its path ("scenes.2.narration"), or null. Object keys count.
 * Walked with a stack, not recursion: no nesting is too deep for it.
 */
export function findUnusableText(value: unknown, path: (string | number)[] = []): { field: string; reason: string } | null {
  // Each item links to its parent: the path is built only for the string that is refused (a
  // copied path per item made a 200,000-deep nesting take minutes).
  type Item = { value: unknown; key: string | number | null; parent: Item | null };
  const pathOf = (item: Item | null, last?: string) => {
    const keys: (string | number)[] = last === undefined ? [] : [last];
    for (let at = item; at && at.key !== null; at = at.parent) keys.push(at.key);
    return [...path, ...keys.reverse()].join(".") || "input";
  };
  const stack: Item[] = [{ value, key: null, parent: null }];
  while (stack.length) {
    const item = stack.pop()!;
    if (typeof item.value === "string") {
      const reason = unusableTextReason(item.value);
      if (reason) return { field: pathOf(item), reason };
    } else if (Array.isArray(item.value)) {
      for (let i = item.value.length - 1; i >= 0; i--) stack.push({ value: item.value[i], key: i, parent: item });
    } else if (item.value && typeof item.value === "object") {
      const entries = Object.entries(item.value);
      for (const [key] of entries) {
        const reason = unusableTextReason(key);
        if (reason) return { field: pathOf(item, key), reason: `has a field name that ${reason}` };
      }
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], key: entries[i]![0], parent: item });
    }
  }
  return null;
}

/**
 * NFC; CRLF and CR become LF; tabs become spaces; other control characters (C0, DEL, C1) are
 * removed. A single-line field also turns line breaks into spaces. Trimmed.
 */
export function normaliseText(value: string, options: { multiline?: boolean } = {}) {
  let text = value
    .normalize("NFC")
    .replace(/\r\n?/g, "\n")
    .replace(/[\t\v\f]/g, (c) => (c === "\t" ? " " : "\n"));
  if (!options.multiline) text = text.replace(/\s*\n\s*/g, " ");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, "").trim();
}

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The number of characters a person sees (grapheme clusters): an emoji family is one. */
export function visibleLength(text: string) {
  let n = 0;
  for (const _ of segmenter.segment(text)) n++;
  return n;
}

/**
 * At most `max` UTF-16 units (what the schemas' `.max` counts), cut between grapheme clusters,
 * at a word boundary when one is near, and ending with `ellipsis` when anything was cut.
 */
export function truncateText(text: string, max: number, ellipsis = "…") {
  if (text.length <= max) return text;
  const room = max - ellipsis.length;
  let end = 0;
  for (const { index, segment } of segmenter.segment(text)) {
    if (index + segment.length > room) break;
    end = index + segment.length;
  }
  const space = text.lastIndexOf(" ", end);
  const cut = space > room * 0.6 ? space : end;
  return `${text.slice(0, cut).trimEnd()}${ellipsis}`;
}

/**
 * A free-text field of a form or request: refused (naming the field) when it holds what can
 * never be stored, normalised, then held to its length in characters as stored.
 */
export function textField(label: string, options: { min?: number; max: number; multiline?: boolean }) {
  const { min = 0, max, multiline } = options;
  return z
    .string({ error: `${label} is required` })
    .superRefine((value, ctx) => {
      const reason = unusableTextReason(value);
      if (reason) ctx.addIssue({ code: "custom", message: `${label} ${reason}`, abort: true });
    })
    .transform((value) => normaliseText(value, { multiline }))
    .pipe(
      z
        .string()
        .min(min, min <= 1 ? `${label} must not be empty` : `${label} must be at least ${min} characters`)
        .max(max, `${label} must be at most ${max} characters`),
    );
}

/** Something a voice can say: at least one letter or digit. */
export const hasSpeakableWords = (text: string) => /[\p{L}\p{N}]/u.test(text);
