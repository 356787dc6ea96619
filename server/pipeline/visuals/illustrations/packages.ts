// Where an npm package's own files are at runtime. Outside Next.js, require.resolve gives the
// path; inside the Next.js server bundle it gives a module id instead, and the package is found
// under the project root's node_modules (as card.ts finds the Geist fonts).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export function packageDir(name: string) {
  let resolved: unknown;
  try {
    resolved = createRequire(import.meta.url).resolve(`${name}/package.json`);
  } catch {}
  return typeof resolved === "string" ? path.dirname(resolved) : path.join(/*turbopackIgnore: true*/ process.cwd(), "node_modules", name);
}

export function packageVersion(dir: string) {
  return (JSON.parse(readFileSync(path.join(/*turbopackIgnore: true*/ dir, "package.json"), "utf8")) as { version: string }).version;
}
