// Where the illustration packages' own files are at runtime. Outside Next.js, require.resolve
// gives the path; inside the Next.js server bundle it gives a module id instead, and the
// package is found under the project root's node_modules (as card.ts finds the Geist fonts).
// The names are written out in each call so that the build can resolve them.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);

function dirOf(name: string, resolve: () => unknown) {
  let resolved: unknown;
  try {
    resolved = resolve();
  } catch {}
  return typeof resolved === "string" ? path.dirname(resolved) : path.join(/*turbopackIgnore: true*/ process.cwd(), "node_modules", name);
}

export const fluentEmojiDir = () => dirOf("@iconify-json/fluent-emoji", () => require.resolve("@iconify-json/fluent-emoji/package.json"));
export const emojilibDir = () => dirOf("emojilib", () => require.resolve("emojilib/package.json"));

export function packageVersion(dir: string) {
  return (JSON.parse(readFileSync(path.join(/*turbopackIgnore: true*/ dir, "package.json"), "utf8")) as { version: string }).version;
}
