// What the render bench measures, the same way for every run it compares: a process of its
// own per run (so no cache of one run's process helps another), its wall time and CPU time,
// and the peak of the summed resident memory of that process and every process under it
// (the worker's own JavaScript and its FFmpeg runs), sampled from /proc. Resident memory
// counts the pages shared between processes (FFmpeg's libraries, about 40 MB in each run) in
// every process; the proportional figure (Pss, from smaps_rollup) counts them once, split
// between the processes that share them, and is also given.
import { spawn, spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Resident memory of `root` and all its descendants now, in bytes; `ffmpeg`: of those whose
 *  command is ffmpeg. */
function treeRss(root: number) {
  const parent = new Map<number, number>();
  const rss = new Map<number, number>();
  const ffmpeg = new Set<number>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = readFileSync(`/proc/${name}/status`, "utf8");
      const pid = Number(name);
      parent.set(pid, Number(/PPid:\s+(\d+)/.exec(status)?.[1] ?? 0));
      rss.set(pid, Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024);
      if (/^Name:\s+ffmpeg$/m.test(status)) ffmpeg.add(pid);
    } catch {}
  }
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; p = parent.get(p) ?? 0, hops++) if (p === root) return true;
    return false;
  };
  let all = 0;
  let ffmpegOnly = 0;
  let proportional = 0;
  for (const [pid, bytes] of rss)
    if (inTree(pid)) {
      all += bytes;
      if (ffmpeg.has(pid)) ffmpegOnly += bytes;
      try {
        proportional += Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0) * 1024;
      } catch {
        proportional += bytes;
      }
    }
  return { all, ffmpeg: ffmpegOnly, proportional };
}

export type Measured<T> = {
  sec: number;
  cpuSec: number;
  peakBytes: number;
  peakFfmpegBytes: number;
  peakPssBytes: number;
  /** The programs the run started, by name (ffmpeg, ffprobe, fluidsynth), as run-once.ts counts them. */
  processes: Record<string, number>;
  out: T;
};

/**
 * Runs render-worker/bench/run-once.ts on `task` in a Node process of its own, sampling its
 * process tree's memory every 100 ms. The wall and CPU times are the ones that process reports
 * for the task itself (not Node's start-up).
 */
export function measureRun<T>(task: object, taskFile: string): Promise<Measured<T>> {
  writeFileSync(taskFile, JSON.stringify(task));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "run-once.ts"), taskFile], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let peak = { all: 0, ffmpeg: 0, proportional: 0 };
    const timer = setInterval(() => {
      const now = treeRss(child.pid!);
      peak = { all: Math.max(peak.all, now.all), ffmpeg: Math.max(peak.ffmpeg, now.ffmpeg), proportional: Math.max(peak.proportional, now.proportional) };
    }, 100);
    let stdout = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.on("close", (code) => {
      clearInterval(timer);
      const line = stdout.trim().split("\n").at(-1) ?? "";
      if (code !== 0) return reject(new Error(`bench run failed (exit ${code}): ${stdout.slice(-2000)}`));
      const report = JSON.parse(line) as { sec: number; cpuSec: number; out: T; processes: Record<string, number> };
      resolve({ ...report, peakBytes: peak.all, peakFfmpegBytes: peak.ffmpeg, peakPssBytes: peak.proportional });
    });
  });
}

/** Median and range of some figures. */
export function spread(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

/** "12.3 (11.9–13.0)", or the one figure when there is one. */
export function showSpread(values: number[], digits = 1, unit = "") {
  const s = spread(values);
  const f = (n: number) => n.toFixed(digits);
  return values.length > 1 && s.min !== s.max ? `${f(s.median)}${unit} (${f(s.min)}–${f(s.max)})` : `${f(s.median)}${unit}`;
}

const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** CPU seconds (user and system) of this process's children that have ended, and with `self`
 *  of this process too, from /proc/self/stat. */
export function procCpuSec({ self }: { self: boolean }) {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // Fields 14 to 17 of proc(5): utime, stime, cutime, cstime; this slice starts at field 3.
  return ((self ? Number(f[11]) + Number(f[12]) : 0) + Number(f[13]) + Number(f[14])) / CLOCK_TICKS;
}

/** CPU seconds (user and system) of this process's children that have ended. */
export const childrenCpuSec = () => procCpuSec({ self: false });

/** The CPU time, in seconds, that one FFmpeg process takes to start and end doing nothing
 *  (`ffmpeg -version`, the mean of `runs`): Debian's FFmpeg loads about 200 shared libraries and
 *  binds every symbol at start (BIND_NOW), which every run pays before its first frame. */
export function ffmpegStartCpuSec(runs = 10) {
  const before = childrenCpuSec();
  for (let i = 0; i < runs; i++) spawnSync("ffmpeg", ["-hide_banner", "-version"], { stdio: "ignore" });
  return (childrenCpuSec() - before) / runs;
}
