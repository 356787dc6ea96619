// Render benchmark: builds identical inputs itself and renders two videos of 8 scenes, 60 s,
// 1080p30, with transitions, captions and ducked music: "stills" (one still per scene, Ken
// Burns) and "clips" (24 shots of video clips from 1080p and 4K sources). It prints, for each
// and for Draft and Standard:
//   - the full render time (empty segment cache) and its ratio to the encode floor, measured
//     in the same run: the time to encode the same final frames, decoded once to a raw
//     file, with the same encoder settings;
//   - the time to render again after editing one scene, as a ratio to the full render;
//   - the peak memory of the render (all of its FFmpeg processes together);
//   - the CPU time of the full render and of the floor (all their processes, user and system),
//     which a machine shared with other work moves far less than the wall times.
// Run: npm run bench:render
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { RenderSpec } from "@aura/render-contract";
import { formatSettings } from "../src/formats.ts";
import { benchSpec, clipBenchSpec, makeBenchInputs, makeClipBenchInputs, run } from "./bench-video.ts";
import { RenderManager } from "../src/renders/registry.ts";
import { LocalStore } from "@aura/object-store";
import { WorkerStorage } from "../src/storage.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "aura-bench-render-"));
const storageDir = path.join(root, "storage");
const tmpDir = path.join(root, "tmp");
mkdirSync(tmpDir);

const scenarios = (process.env.BENCH_SCENARIOS ?? "stills,clips").split(",") as ("stills" | "clips")[];
makeBenchInputs(storageDir);
if (scenarios.includes("clips")) makeClipBenchInputs(storageDir);
const specs = { stills: benchSpec, clips: clipBenchSpec };

/** Peak of the summed resident memory of this process's children (the FFmpeg runs). */
function watchChildrenMemory() {
  let peak = 0;
  const sample = () => {
    let total = 0;
    for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
        if (ppid !== process.pid) continue;
        const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
        total += Number(rss ?? 0) * 1024;
      } catch {}
    }
    peak = Math.max(peak, total);
  };
  const timer = setInterval(sample, 50);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

// BENCH_VERBOSE=1 prints the worker's log lines with the time since the bench started.
const t0 = performance.now();
const say = (msg: string, fields?: Record<string, unknown>) =>
  console.log(`  [${((performance.now() - t0) / 1000).toFixed(1)} s] ${msg} ${fields ? JSON.stringify(fields) : ""}`);
type Log = { info: typeof say; warn: typeof say; error: typeof say; child: () => Log };
const log: Log =
  process.env.BENCH_VERBOSE === "1" ? { info: say, warn: say, error: say, child: () => log } : { info() {}, warn() {}, error() {}, child: () => log };
const manager = (cacheDir: string) =>
  new RenderManager({
    storage: new WorkerStorage(new LocalStore(storageDir)),
    tmpDir,
    maxConcurrent: 1,
    timeoutMs: 3600_000,
    log,
    cacheDir,
    parallel: os.availableParallelism(),
    chooseEncoder: async () => "libx264",
  });

/** CPU seconds (user and system) of this process's finished children, the FFmpeg runs: on a
 *  machine shared with other work, wall times move with the load and these do not. */
const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;
function childrenCpuSec() {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 16 and 17 of proc(5): cutime and cstime; this slice starts at field 3.
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

async function timedRender(m: RenderManager, id: string, spec: RenderSpec) {
  const stop = watchChildrenMemory();
  const started = performance.now();
  const cpuBefore = childrenCpuSec();
  m.submit(id, spec);
  for (;;) {
    const state = m.get(id)!;
    if (state.status !== "running" && state.status !== "queued") {
      if (state.status !== "succeeded") throw new Error(`${id}: ${state.error}`);
      return { sec: (performance.now() - started) / 1000, cpuSec: childrenCpuSec() - cpuBefore, peakBytes: stop(), result: state.result! };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

function timed(cmd: string, args: string[]) {
  return new Promise<{ sec: number; cpuSec: number }>((resolve, reject) => {
    const started = performance.now();
    const cpuBefore = childrenCpuSec();
    const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (c) => (err += c));
    child.on("close", (code) =>
      code === 0 ? resolve({ sec: (performance.now() - started) / 1000, cpuSec: childrenCpuSec() - cpuBefore }) : reject(new Error(err)),
    );
  });
}

const mb = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;
console.log(
  `render benchmark: 8 scenes, 1920x1080, 30 fps, crossfades, captions, ducked music; stills: one still per scene with Ken Burns; clips: 24 shots of 1080p and 4K clips (the edit: one shot's start). ${os.cpus().length} cores, FFmpeg segments in parallel: ${os.availableParallelism()}`,
);
console.log("scenario  quality    video  full render  floor   full/floor  one-scene edit  edit/full  peak memory  CPU: render  floor  render/floor");
const qualities = (process.env.BENCH_QUALITIES ?? "draft,standard").split(",") as ("draft" | "standard")[];
for (const scenario of scenarios)
  for (const quality of qualities) {
    const specFor = specs[scenario];
    const tag = `${scenario}-${quality}`;
    const cacheDir = path.join(root, `cache-${tag}`);
    const full = await timedRender(manager(cacheDir), `${tag}-full`, specFor(quality, false, `${tag}-full`));
    // The edit runs before the floor: the floor's 5+ GB raw file would still be flushing to disk.
    const edit = await timedRender(manager(cacheDir), `${tag}-edit`, specFor(quality, true, `${tag}-edit`));
    const video = path.join(storageDir, `out/${tag}-full.mp4`);
    // The floor: the same final frames, decoded once to a raw file, encoded with the same settings.
    const raw = path.join(root, "frames.yuv");
    run("ffmpeg", ["-v", "error", "-y", "-i", video, "-f", "rawvideo", "-pix_fmt", "yuv420p", raw]);
    const settings = formatSettings("mp4-h264", quality, { width: 1920, height: 1080, fps: 30 }).video;
    const floor = await timed("ffmpeg", [
      "-v",
      "error",
      "-y",
      "-f",
      "rawvideo",
      "-pix_fmt",
      "yuv420p",
      "-s",
      "1920x1080",
      "-r",
      "30",
      "-i",
      raw,
      ...settings.videoArgs,
      "-g",
      "60",
      "-an",
      "-f",
      "mp4",
      path.join(root, "floor.mp4"),
    ]);
    rmSync(raw);
    console.log(
      `${scenario.padEnd(8)}  ${quality.padEnd(9)}  ${full.result.video.durationSec.toFixed(1)} s  ${full.sec.toFixed(1).padStart(8)} s  ${floor.sec.toFixed(1).padStart(5)} s  ${(full.sec / floor.sec).toFixed(2).padStart(9)}×  ` +
        `${edit.sec.toFixed(1).padStart(10)} s (${edit.result.segments?.cached}/${edit.result.segments?.total} cached)  ${(edit.sec / full.sec).toFixed(2).padStart(6)}×  ${mb(Math.max(full.peakBytes, edit.peakBytes)).padStart(8)}  ` +
        `${full.cpuSec.toFixed(1).padStart(9)} s  ${floor.cpuSec.toFixed(1).padStart(5)} s  ${(full.cpuSec / floor.cpuSec).toFixed(2).padStart(9)}×`,
    );
  }
rmSync(root, { recursive: true, force: true });
