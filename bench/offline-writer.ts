// The offline script writer on the thirty test briefs: how long one script takes (the first
// call loads the tagger), the planned length against the target, and how many come out
// shortened; then the same brief in eight other languages (the writer that says only the
// brief's own sentences). Prints figures; asserts nothing. Run: node --import tsx bench/offline-writer.ts
import { performance } from "node:perf_hooks";
import { plannedWpm } from "../server/pipeline/script/analysis.ts";
import { estimatedLengthSec } from "../server/pipeline/script/arc.ts";
import { writeOfflineScript } from "../server/pipeline/script/offline-writer.ts";
import { LANGUAGE_TOPICS, languageBrief, WRITER_CASES } from "../test/helpers/writer-briefs.ts";

const ROUNDS = 5;
const first = performance.now();
writeOfflineScript(WRITER_CASES[0]!.brief);
const firstMs = performance.now() - first;

const rows = WRITER_CASES.map((c) => {
  const start = performance.now();
  let script = writeOfflineScript(c.brief, { passages: c.passages });
  for (let i = 1; i < ROUNDS; i++) script = writeOfflineScript(c.brief, { passages: c.passages });
  const ms = (performance.now() - start) / ROUNDS;
  const planned = estimatedLengthSec(script.scenes, plannedWpm(c.brief));
  return { name: c.name, ms, target: c.brief.targetLengthSec, planned, scenes: script.scenes.length, shortened: Boolean(script.shortened) };
});

console.log(`first call (loads the tagger): ${firstMs.toFixed(0)} ms`);
console.log("brief".padEnd(34), "ms".padStart(6), "target".padStart(7), "planned".padStart(8), "scenes".padStart(7), " shortened");
for (const r of rows)
  console.log(
    r.name.padEnd(34),
    r.ms.toFixed(1).padStart(6),
    `${r.target} s`.padStart(7),
    `${r.planned.toFixed(0)} s`.padStart(8),
    String(r.scenes).padStart(7),
    r.shortened ? " yes" : "",
  );
const sorted = rows.map((r) => r.ms).sort((a, b) => a - b);
console.log(
  `median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(1)} ms, slowest ${sorted.at(-1)!.toFixed(1)} ms per script; ${rows.filter((r) => r.shortened).length} of ${rows.length} shortened`,
);
console.log(`heap used after the run: ${(process.memoryUsage().heapUsed / 1024 / 1024).toFixed(0)} MB`);

// Other languages: a four-sentence brief at 30 s, and the same with its text three times
// more as passages (four times the text to segment; the repeated sentences are then dropped).
console.log("\nlanguage".padEnd(11), "ms".padStart(6), "ms, 4× text".padStart(12), "planned".padStart(8), "scenes".padStart(7));
for (const language of Object.keys(LANGUAGE_TOPICS)) {
  const brief = languageBrief(language);
  const passages = [1, 2, 3].map((k) => LANGUAGE_TOPICS[language]!.replace(/^/, `${k} `));
  writeOfflineScript(brief);
  const time = (f: () => unknown) => {
    const start = performance.now();
    for (let i = 0; i < ROUNDS; i++) f();
    return (performance.now() - start) / ROUNDS;
  };
  const script = writeOfflineScript(brief);
  const ms = time(() => writeOfflineScript(brief));
  const msLong = time(() => writeOfflineScript(brief, { passages }));
  const planned = estimatedLengthSec(script.scenes, plannedWpm(brief), language);
  console.log(
    language.padEnd(10),
    ms.toFixed(1).padStart(6),
    msLong.toFixed(1).padStart(12),
    `${planned.toFixed(0)} s`.padStart(8),
    String(script.scenes.length).padStart(7),
  );
}
