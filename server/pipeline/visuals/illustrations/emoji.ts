// Fluent Emoji (Microsoft, MIT) as illustrations: 3,174 colourful pictures in one iconify JSON
// file of ~100 MB. Their key words are the icon's name ("hot-beverage") and emojilib's words
// for the same emoji (found by emojilib's first word, which is the emoji's name in snake case).
// A skin-tone variant ("artist-medium-dark") is left out when its plain one exists, so one
// emoji is never offered as several pictures.
// Parsing the file takes ~2 s and ~280 MB, so the index (names, words, and where each body lies
// in the file) is written once to a cache file named by both packages' versions, in the app's
// data folder (AURA_DATA_DIR); a pick reads only its picture's bytes.
import { randomBytes } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { getEnvSettings } from "../../../env.ts";
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

const cachedIndexSchema = z
  .array(
    z.object({
      name: z.string().min(1),
      words: z.array(z.string()).min(1),
      offset: z.number().int().min(0),
      length: z.number().int().min(2),
      width: z.number().positive(),
      height: z.number().positive(),
    }),
  )
  .min(1);

/** Where the index is cached: the app's own data folder, not a shared temporary one. */
export const defaultEmojiCacheDir = () =>
  path.join(/*turbopackIgnore: true*/ path.resolve(getEnvSettings("AURA_DATA_DIR").AURA_DATA_DIR), "cache", "illustrations");

/** The cached index, when the file is one this code wrote for this icons file; else null. */
function readCachedIndex(cacheFile: string): EmojiEntry[] | null {
  if (!existsSync(/*turbopackIgnore: true*/ cacheFile)) return null;
  try {
    const parsed = cachedIndexSchema.safeParse(JSON.parse(readFileSync(/*turbopackIgnore: true*/ cacheFile, "utf8")));
    if (!parsed.success) return null;
    // Every body must lie inside the icons file, or a pick would read past it.
    const size = statSync(/*turbopackIgnore: true*/ iconsFileOf()).size;
    return parsed.data.every((e) => e.offset + e.length <= size) ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The index, from the cache file when a valid one was written for these versions, else built
 *  and written there (a failed write only costs the next process the build). A cache file that
 *  does not read as an index is rebuilt, never trusted. */
export function loadEmojiIndex(cacheDir = defaultEmojiCacheDir()) {
  const emojilib = emojilibDir();
  const cacheFile = path.join(/*turbopackIgnore: true*/ cacheDir, `fluent-emoji-${packageVersion(fluentEmojiDir())}-emojilib-${packageVersion(emojilib)}.json`);
  const cached = readCachedIndex(cacheFile);
  if (cached) return cached;
  const entries = buildEmojiIndex(iconsFileOf(), path.join(/*turbopackIgnore: true*/ emojilib, "dist/emoji-en-US.json"));
  // Written whole under a new name, then renamed over the old: a reader never sees half a file.
  const part = `${cacheFile}.${process.pid}.${randomBytes(6).toString("hex")}.part`;
  try {
    // Only the cache's own folder is private: the data folder's mode is the launcher's to set
    // (PostgreSQL, run as its own user, reaches its cluster through it).
    mkdirSync(/*turbopackIgnore: true*/ path.dirname(cacheDir), { recursive: true });
    mkdirSync(/*turbopackIgnore: true*/ cacheDir, { recursive: true, mode: 0o700 });
    writeFileSync(/*turbopackIgnore: true*/ part, JSON.stringify(entries), { flag: "wx", mode: 0o600 });
    renameSync(/*turbopackIgnore: true*/ part, /*turbopackIgnore: true*/ cacheFile);
  } catch {
    rmSync(/*turbopackIgnore: true*/ part, { force: true });
  }
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
