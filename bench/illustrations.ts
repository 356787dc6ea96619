// Times the offline illustration library: building its index (Fluent Emoji from a cold start,
// which parses the ~100 MB icon file and writes the cache, and from the cache; Open Clip Art by
// reading the head of every file), the memory it holds, one pick (ranking and claiming) and one
// card drawn at 1080p and 2160p.
//   npm run bench:illustrations
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { renderIllustrationPng } from "../server/pipeline/visuals/card.ts";
import type { ShotClaims } from "../server/pipeline/visuals/claims.ts";
import { loadEmojiIndex } from "../server/pipeline/visuals/illustrations/emoji.ts";
import { buildIllustrationLibrary, illustrationLibrary, pickIllustration, rankIllustrations } from "../server/pipeline/visuals/illustrations/library.ts";
import { scanOpenClipart } from "../server/pipeline/visuals/illustrations/openclipart.ts";

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const timed = <T>(fn: () => T): [T, number] => {
  const start = performance.now();
  const value = fn();
  return [value, performance.now() - start];
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;

const cold = mkdtempSync(path.join(tmpdir(), "aura-bench-ill-"));
const [, emojiCold] = timed(() => loadEmojiIndex(cold));
const [, emojiCached] = timed(() => loadEmojiIndex(cold));
rmSync(cold, { recursive: true, force: true });
const [clipart, clipartMs] = timed(() => scanOpenClipart());
global.gc?.();
const before = process.memoryUsage();
const [library, libraryMs] = timed(() => buildIllustrationLibrary());
global.gc?.();
const after = process.memoryUsage();
console.log(`Fluent Emoji index: ${emojiCold.toFixed(0)} ms without the cache (parses the icon file, writes the cache), ${emojiCached.toFixed(0)} ms from it`);
console.log(`Open Clip Art scan: ${clipart.length} files in ${clipartMs.toFixed(0)} ms`);
console.log(
  `library: ${library.items.length} pictures in ${libraryMs.toFixed(0)} ms (from the cache); heap +${mb(after.heapUsed - before.heapUsed)}, rss ${mb(after.rss)}`,
);

illustrationLibrary();
const queries = [
  "a cup of coffee in the morning",
  "riding a bicycle",
  "the ocean and waves",
  "a city at night",
  "money and savings",
  "a doctor",
  "a dog in the park",
  "rocket launch into space",
  "mountains and snow",
  "a teacher in the classroom",
];
const rankMs = queries.map((q) => timed(() => rankIllustrations(q, "A short video about everyday life"))[1]);
const held = new Set<string>();
const claims: ShotClaims = {
  claim: async (id) => held.size !== held.add(id).size,
  release: async (id) => {
    held.delete(id);
  },
  available: async (id) => !held.has(id),
};
const pickMs: number[] = [];
const picked: string[] = [];
for (const q of queries) {
  const start = performance.now();
  const pick = await pickIllustration(q, "", claims);
  pickMs.push(performance.now() - start);
  if (pick) picked.push(pick.svg);
}
console.log(
  `rank: median ${median(rankMs).toFixed(1)} ms; pick (rank, draw-check, claim, read): median ${median(pickMs).toFixed(1)} ms, max ${Math.max(...pickMs).toFixed(0)} ms`,
);
for (const [width, height] of [
  [1920, 1080],
  [1080, 1920],
  [3840, 2160],
] as const) {
  const ms = picked
    .slice(0, 5)
    .map((art, i) => timed(() => renderIllustrationPng({ title: queries[i]!, label: "Bench", index: i, total: 5, style: "modern", width, height, art }))[1]);
  console.log(`card ${width}x${height}: median ${median(ms).toFixed(0)} ms`);
}
console.log(`rss at the end: ${mb(process.memoryUsage().rss)}`);
