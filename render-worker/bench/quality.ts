// Quality pass benchmark: what measuring a finished render costs (quality-report.ts: ebur128,
// silencedetect, blackdetect and freezedetect in one FFmpeg run). It renders the render
// benchmark's 60 s 1080p30 stills video once (Standard), then prints the render's time, the
// quality pass's time inside it, and the pass run alone three times on the same file (wall
// and CPU seconds, median; CPU is what a machine shared with other work moves least), with
// what it found.
// Run: npm run bench:quality
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { LocalStore } from "@aura/object-store";
import { benchSpec, makeBenchInputs } from "./bench-video.ts";
import { measureQuality } from "../src/quality-report.ts";
import { RenderManager } from "../src/renders/registry.ts";
import { WorkerStorage } from "../src/storage.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "aura-bench-quality-"));
const storageDir = path.join(root, "storage");
mkdirSync(path.join(root, "tmp"));
makeBenchInputs(storageDir);
const log = { info() {}, warn() {}, error() {}, child: () => log };
const manager = new RenderManager({
  storage: new WorkerStorage(new LocalStore(storageDir)),
  tmpDir: path.join(root, "tmp"),
  maxConcurrent: 1,
  timeoutMs: 3600_000,
  log,
  cacheDir: path.join(root, "cache"),
  parallel: os.availableParallelism(),
  chooseEncoder: async () => "libx264",
});

const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
/** CPU seconds (user and system) of this process's finished children (the FFmpeg runs). */
function childrenCpuSec() {
  const fields = readFileSync("/proc/self/stat", "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const started = performance.now();
const renderCpuBefore = childrenCpuSec();
manager.submit("quality", benchSpec("standard", false, "quality"));
let state = manager.get("quality")!;
while (state.status === "queued" || state.status === "running") {
  await new Promise((r) => setTimeout(r, 100));
  state = manager.get("quality")!;
}
if (state.status !== "succeeded") throw new Error(state.error);
const renderSec = (performance.now() - started) / 1000;
const renderCpuSec = childrenCpuSec() - renderCpuBefore;
const result = state.result!;

const file = path.join(storageDir, result.video.key);
const runs: { sec: number; cpuSec: number }[] = [];
let found = result.quality!;
for (let i = 0; i < 3; i++) {
  const cpu = childrenCpuSec();
  const t = performance.now();
  found = await measureQuality(file, result.video.durationSec);
  runs.push({ sec: (performance.now() - t) / 1000, cpuSec: childrenCpuSec() - cpu });
}
console.log(
  `quality pass benchmark: ${result.video.durationSec.toFixed(1)} s, ${result.video.width}x${result.video.height}, 30 fps, Standard; ${os.cpus().length} cores`,
);
console.log(
  `render (empty cache): ${renderSec.toFixed(1)} s, of which the quality pass: ${result.quality!.elapsedSec.toFixed(1)} s (beside the probe and the hashes)`,
);
const wall = median(runs.map((r) => r.sec));
const cpu = median(runs.map((r) => r.cpuSec));
console.log(
  `quality pass alone (median of 3): ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU, ${(result.video.durationSec / wall).toFixed(1)}× real time; its CPU is ${((cpu / renderCpuSec) * 100).toFixed(1)} % of the render's`,
);
console.log(
  `found: ${found.integratedLufs} LUFS, true peak ${found.truePeakDb} dBTP; silences ${found.silences.length}, black ${found.blacks.length}, frozen ${found.freezes.length}`,
);
rmSync(root, { recursive: true, force: true });
