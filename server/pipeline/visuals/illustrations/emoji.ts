// Fluent Emoji (Microsoft, MIT) as illustrations: 3,174 colourful pictures in one iconify JSON
// file of ~100 MB. Their key words are the icon's name ("hot-beverage") and emojilib's words
// for the same emoji (found by emojilib's first word, which is the emoji's name in snake case).
// A skin-tone variant ("artist-medium-dark") is left out when its plain one exists, so one
// emoji is never offered as several pictures.
// Parsing the file takes ~2 s and ~280 MB, so the index (names, words, and where each body lies
// in the file) is written once to a cache file named by both packages' versions; a pick reads
// only its picture's bytes.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { emojilibDir, fluentEmojiDir, packageVersion } from "./packages.ts";
import { stemsOf } from "./words.ts";

export type EmojiEntry = {
  name: string;
  /** The emoji's words, as a person reads them. */
  words: string[];
  /** Where the body's JSON string lies in icons.json (bytes). */
  offset: number;
  length: number;
  width: number;
  height: number;
};

const TONE = /-(light|medium-light|medium|medium-dark|dark)$/;

type IconSet = { icons: Record<string, { body: string; width?: number; height?: number }>; width?: number; height?: number };

/** Builds the index from the packages' files (the slow path, once per version). */
export function buildEmojiIndex(iconsFile: string, emojilibFile: string): EmojiEntry[] {
  const raw = readFileSync(/*turbopackIgnore: true*/ iconsFile);
  const set = JSON.parse(raw.toString("utf8")) as IconSet;
  const keywords = new Map<string, string[]>();
  for (const words of Object.values(JSON.parse(readFileSync(/*turbopackIgnore: true*/ emojilibFile, "utf8")) as Record<string, string[]>)) {
    const [name, ...rest] = words;
    if (name) keywords.set(name.replace(/_/g, "-"), rest);
  }
  const entries: EmojiEntry[] = [];
  let cursor = 0;
  for (const [name, icon] of Object.entries(set.icons)) {
    // Bodies are in the file in order: each is found after the one before.
    const literal = Buffer.from(JSON.stringify(icon.body));
    const at = raw.indexOf(literal, cursor);
    if (at < 0) continue;
    cursor = at + literal.length;
    if (TONE.test(name) && set.icons[name.replace(TONE, "")]) continue;
    const extra = (keywords.get(name) ?? []).map((w) => w.replace(/_/g, " ")).filter((w) => /\p{L}/u.test(w) && stemsOf(w).length);
    const words = [name.replace(/-/g, " "), ...extra];
    entries.push({ name, words, offset: at, length: literal.length, width: icon.width ?? set.width ?? 16, height: icon.height ?? set.height ?? 16 });
  }
  return entries;
}

const iconsFileOf = () => path.join(/*turbopackIgnore: true*/ fluentEmojiDir(), "icons.json");

/** The index, from the cache file when one was written for these versions, else built and
 *  written there (a failed write only costs the next process the build). */
export function loadEmojiIndex(cacheDir = path.join(tmpdir(), "aura-illustrations")) {
  const emojilib = emojilibDir();
  const cacheFile = path.join(/*turbopackIgnore: true*/ cacheDir, `fluent-emoji-${packageVersion(fluentEmojiDir())}-emojilib-${packageVersion(emojilib)}.json`);
  if (existsSync(/*turbopackIgnore: true*/ cacheFile)) {
    try {
      return JSON.parse(readFileSync(/*turbopackIgnore: true*/ cacheFile, "utf8")) as EmojiEntry[];
    } catch {}
  }
  const entries = buildEmojiIndex(iconsFileOf(), path.join(/*turbopackIgnore: true*/ emojilib, "dist/emoji-en-US.json"));
  try {
    mkdirSync(/*turbopackIgnore: true*/ cacheDir, { recursive: true });
    const part = `${cacheFile}.${process.pid}.part`;
    writeFileSync(/*turbopackIgnore: true*/ part, JSON.stringify(entries));
    renameSync(/*turbopackIgnore: true*/ part, /*turbopackIgnore: true*/ cacheFile);
  } catch {}
  return entries;
}

/** The emoji as an SVG document of its own, read from its place in icons.json. */
export function readEmojiSvg(entry: EmojiEntry) {
  const fd = openSync(/*turbopackIgnore: true*/ iconsFileOf(), "r");
  try {
    const bytes = Buffer.alloc(entry.length);
    readSync(fd, bytes, 0, entry.length, entry.offset);
    const body = JSON.parse(bytes.toString("utf8")) as string;
    return `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${entry.width}" height="${entry.height}" viewBox="0 0 ${entry.width} ${entry.height}">${body}</svg>`;
  } finally {
    closeSync(fd);
  }
}
