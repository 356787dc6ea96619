// The installed fonts, as fontconfig lists them (one `fc-list` call per process): which
// characters they can draw, and which font files a card needs for its text (the language's
// Noto face, Noto Sans, and for any other character the first installed face that has it).
// Emoji are not drawn from fonts here (resvg draws no colour glyphs): they leave the text.
import { spawnSync } from "node:child_process";
import { FONT_FAMILIES, fontFamilyFor, graphemes, isEmojiGrapheme } from "@aura/render-contract";
import { log } from "../../lib/log.ts";

/** One installed face: its file, family and style, and the code points it draws, as sorted
 *  ranges. */
export type InstalledFace = { file: string; family: string; style: string; ranges: [number, number][] };

/** fontconfig's charset (`20 a0 800-82d`, hexadecimal) as code point ranges. */
export function parseCharset(charset: string): [number, number][] {
  return charset
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => {
      const [lo, hi] = part.split("-").map((h) => Number.parseInt(h, 16));
      return [lo!, hi ?? lo!] as [number, number];
    })
    .filter(([lo, hi]) => Number.isFinite(lo) && Number.isFinite(hi));
}

let FACES: InstalledFace[] | null | undefined;

/** Every installed face, read once per process; null when fontconfig is missing. */
export function installedFaces() {
  if (FACES !== undefined) return FACES;
  const run = spawnSync("fc-list", ["--format", "%{file}\t%{family[0]}\t%{style[0]}\t%{charset}\n"], { encoding: "utf8", maxBuffer: 64 << 20 });
  if (run.status !== 0 || run.error) {
    log.warn("fc-list (fontconfig) did not run: fonts cannot be checked, cards use resvg's own font search", {
      reason: run.error?.message ?? run.stderr,
    });
    FACES = null;
    return FACES;
  }
  FACES = run.stdout
    .split("\n")
    .map((line) => line.split("\t"))
    .filter((f) => f.length === 4 && f[0])
    .map(([file, family, style, charset]) => ({ file: file!, family: family!, style: style!, ranges: parseCharset(charset!) }))
    // Upright regular and bold faces first, Noto's before others: a fallback face is then
    // one a card would choose (Noto Sans Arabic for Arabic, not DejaVu Sans).
    .sort((a, b) => styleRank(a.style) - styleRank(b.style) || familyRank(a.family) - familyRank(b.family));
  return FACES;
}

const SCRIPT_FACES = new Set(Object.values(FONT_FAMILIES).map((f) => f.sans));
const familyRank = (family: string) => (SCRIPT_FACES.has(family) ? 0 : family.startsWith("Noto Sans") ? 1 : family.startsWith("Noto") ? 2 : 3);
const styleRank = (style: string) => (/^(Bold|Regular|Book)$/i.test(style) ? 0 : /italic|oblique/i.test(style) ? 2 : 1);

/** The union of some faces' ranges, merged: a code point is looked up by binary search. */
export type Coverage = { covers(codePoint: number): boolean };

export function coverageOf(ranges: [number, number][]): Coverage {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = merged.at(-1);
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  return {
    covers(cp) {
      let [a, b] = [0, merged.length - 1];
      while (a <= b) {
        const m = (a + b) >> 1;
        const [lo, hi] = merged[m]!;
        if (cp < lo) b = m - 1;
        else if (cp > hi) a = m + 1;
        else return true;
      }
      return false;
    },
  };
}

let INSTALLED: Coverage | null | undefined;

/** What the installed fonts together can draw; null when fontconfig is missing. */
export function installedCoverage() {
  if (INSTALLED === undefined) {
    const faces = installedFaces();
    INSTALLED = faces ? coverageOf(faces.flatMap((f) => f.ranges)) : null;
  }
  return INSTALLED;
}

/** An emoji: the render contract's test, the one the worker removes emoji by (a character
 *  followed by a selector is not an emoji unless it is pictographic). */
export const isEmoji = isEmojiGrapheme;

/** The text without its emoji (and without the space an emoji leaves doubled). */
export function withoutEmoji(text: string) {
  return graphemes(text)
    .filter((g) => !isEmoji(g))
    .join("")
    .replace(/ {2,}/g, " ")
    .trim();
}

/** Characters no font is asked to draw: whitespace, controls, format characters (joiners,
 *  bidi controls, soft hyphen) and variation selectors. */
const NOT_DRAWN = /^(?:[\s\p{Cc}\p{Cf}]|\p{Variation_Selector})$/u;

/** The characters of a text that `coverage` cannot draw, each once, in order. Emoji are left
 *  out (they are drawn in colour or removed, never as boxes). */
export function uncoveredCharacters(text: string, coverage: Coverage) {
  const missing = new Set<string>();
  for (const g of graphemes(text)) {
    if (isEmoji(g)) continue;
    for (const ch of g) if (!NOT_DRAWN.test(ch) && !coverage.covers(ch.codePointAt(0)!)) missing.add(ch);
  }
  return [...missing];
}

/** A character as a message shows it: itself, and its code point. */
export const describeCharacter = (ch: string) => `"${ch}" (U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")})`;

/** A family's bold face (cards set their words in bold), and its regular one where asked. */
const facesOf = (faces: InstalledFace[], family: string, regular = false) =>
  faces.filter((f) => f.family === family && (/^bold$/i.test(f.style) || (regular && /^(regular|book)$/i.test(f.style))));

/**
 * The font files that draw a text in a language: the language's Noto face (bold: a CJK face
 * is 20 MB, read for every card) and Noto Sans (bold and regular), and for each character
 * they lack the first installed face that has it.
 * Null when fontconfig is missing (resvg then searches the system fonts itself).
 */
export function fontFilesFor(text: string, language?: string | null) {
  const faces = installedFaces();
  if (!faces) return null;
  const chosen = [...facesOf(faces, fontFamilyFor(language)), ...facesOf(faces, "Noto Sans", true)];
  const coverage = coverageOf(chosen.flatMap((f) => f.ranges));
  for (const ch of uncoveredCharacters(text, coverage)) {
    const cp = ch.codePointAt(0)!;
    const face = faces.find((f) => coverageOf(f.ranges).covers(cp));
    if (face) chosen.push(face, ...facesOf(faces, face.family));
  }
  return [...new Set(chosen.map((f) => f.file))];
}

/** A title in quotes, shortened past 40 characters. */
function quoted(title: string) {
  const shown = graphemes(title.trim());
  return `"${shown.length > 40 ? `${shown.slice(0, 39).join("").trimEnd()}…` : shown.join("")}"`;
}

/** A scene as the job page names it: its number and its title. */
export const sceneName = (index: number, title: string) => `Scene ${index + 1} (${quoted(title)})`;

/** The video's title, named the same way. */
export const videoTitleName = (title: string) => `The video's title (${quoted(title)})`;

/** What a user reads when text cannot be drawn: where, which characters, and what to do. */
export const undrawableMessage = (where: string, missing: string[], fix: string) =>
  `${where}: no installed font can draw ${missing.map(describeCharacter).join(", ")}; ${fix}`;
