// One measured run of the render bench, in a process of its own (render-worker/bench/measure.ts
// starts it and samples its memory): an Aura render through the worker's RenderManager, the
// encode floor, or a hand-written FFmpeg command. Prints one JSON line: the task's wall time,
// its CPU time (this process's own and its finished FFmpeg runs', user and system) and what
// the task reports.
import childProcess, { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import os from "node:os";
import pLimit from "p-limit";
import type { RenderSpec } from "@aura/render-contract";
import { LocalStore } from "@aura/object-store";
import { RenderManager } from "../src/renders/registry.ts";
import { WorkerStorage } from "../src/storage.ts";
import { procCpuSec } from "./measure.ts";
import { CHROMIUM, type RemotionProps, remotionModule } from "./remotion-peer.ts";

export type RenderTask = { kind: "render"; storageDir: string; tmpDir: string; cacheDir: string; id: string; spec: RenderSpec; parallel: number };
/** The floor: raw frame files (one per process), each encoded with `videoArgs`, and the
 *  audio (a WAV) with `audioArgs`, at most `parallel` at once. */
export type FloorTask = {
  kind: "floor";
  chunks: { raw: string; output: string }[];
  size: string;
  fps: number;
  videoArgs: string[];
  audio: { wav: string; output: string };
  audioArgs: string[];
  parallel: number;
};
export type CommandTask = { kind: "command"; args: string[] };
/** The Remotion peer (remotion-peer.ts): its bundle rendered to `output`. */
export type RemotionTask = {
  kind: "remotion";
  serveUrl: string;
  props: RemotionProps;
  output: string;
  concurrency: number;
  crf: number;
  x264Preset: string;
};
export type Task = RenderTask | FloorTask | CommandTask | RemotionTask;
export type RenderOut = { durationSec: number; segments: { total: number; cached: number } | null; previewSec: number | null };

/** The programs this run started, by name, counted as they are spawned (the worker's
 *  modules call the same `spawn`: syncBuiltinESMExports updates their imported binding). */
const started: Record<string, number> = {};
const realSpawn = childProcess.spawn;
childProcess.spawn = ((command: string, ...rest: unknown[]) => {
  const name = command.split("/").at(-1)!;
  started[name] = (started[name] ?? 0) + 1;
  return (realSpawn as (...a: unknown[]) => unknown)(command, ...rest);
}) as typeof childProcess.spawn;
syncBuiltinESMExports();

function ffmpeg(args: string[]) {
  return new Promise<void>((resolve, reject) => {
    const child = spawn("ffmpeg", ["-hide_banner", "-nostdin", "-v", "error", "-y", ...args], { stdio: ["ignore", "ignore", "pipe"] });
    let err = "";
    child.stderr.on("data", (c) => (err += c));
    child.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg exited ${code}: ${err.slice(-1000)}`))));
  });
}

// BENCH_VERBOSE=1 prints the worker's log lines (to stderr) with the time since the task began.
const t0 = performance.now();
const say = (msg: string, fields?: Record<string, unknown>) =>
  console.error(`  [${((performance.now() - t0) / 1000).toFixed(1)} s] ${msg} ${fields ? JSON.stringify(fields) : ""}`);
type Log = { info: typeof say; warn: typeof say; error: typeof say; child: () => Log };
const log: Log =
  process.env.BENCH_VERBOSE === "1" ? { info: say, warn: say, error: say, child: () => log } : { info() {}, warn() {}, error() {}, child: () => log };

async function render(task: RenderTask): Promise<RenderOut> {
  const manager = new RenderManager({
    storage: new WorkerStorage(new LocalStore(task.storageDir)),
    tmpDir: task.tmpDir,
    maxConcurrent: 1,
    timeoutMs: 3600_000,
    log,
    cacheDir: task.cacheDir,
    parallel: task.parallel,
    chooseEncoder: async () => "libx264",
  });
  manager.submit(task.id, task.spec);
  for (;;) {
    const state = manager.get(task.id)!;
    if (state.status !== "running" && state.status !== "queued") {
      if (state.status !== "succeeded") throw new Error(`${task.id}: ${state.error}`);
      // The worker's own count from the render's start to the first playable preview.
      const previewMs = state.result!.previewReadyMs;
      return {
        durationSec: state.result!.video.durationSec,
        segments: state.result!.segments ?? null,
        previewSec: previewMs === undefined ? null : previewMs / 1000,
      };
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function floor(task: FloorTask) {
  const limit = pLimit(task.parallel);
  const raw = ["-f", "rawvideo", "-pix_fmt", "yuv420p", "-s", task.size, "-r", String(task.fps)];
  // The audio first, beside the video's parts, as the render encodes its audio beside its
  // segments (queued last, it would wait for a part and add its whole time to the floor).
  await Promise.all([
    limit(() => ffmpeg(["-i", task.audio.wav, "-vn", ...task.audioArgs, "-f", "mp4", task.audio.output])),
    ...task.chunks.map((c) => limit(() => ffmpeg([...raw, "-i", c.raw, ...task.videoArgs, "-g", String(task.fps * 2), "-an", "-f", "mp4", c.output]))),
  ]);
  return null;
}

/** Remotion's own render of its bundle, with Debian's Chromium as a full browser in headless
 *  mode (Remotion's "chrome-for-testing" mode: its default, Chrome's headless shell, would be
 *  downloaded). */
async function remotion(task: RemotionTask) {
  type Renderer = {
    selectComposition: (o: object) => Promise<object>;
    renderMedia: (o: object) => Promise<unknown>;
  };
  const { selectComposition, renderMedia } = remotionModule<Renderer>("@remotion/renderer");
  const browser = { browserExecutable: CHROMIUM, chromeMode: "chrome-for-testing", logLevel: "error" };
  const composition = await selectComposition({ serveUrl: task.serveUrl, id: "Bench", inputProps: task.props, ...browser });
  await renderMedia({
    composition,
    serveUrl: task.serveUrl,
    codec: "h264",
    outputLocation: task.output,
    inputProps: task.props,
    concurrency: task.concurrency,
    crf: task.crf,
    x264Preset: task.x264Preset,
    pixelFormat: "yuv420p",
    ...browser,
  });
  return null;
}

const task = JSON.parse(readFileSync(process.argv[2]!, "utf8")) as Task;
const cpuBefore = procCpuSec({ self: true });
const began = performance.now();
const out =
  task.kind === "render"
    ? await render(task)
    : task.kind === "floor"
      ? await floor(task)
      : task.kind === "remotion"
        ? await remotion(task)
        : await ffmpeg(task.args).then(() => null);
console.log(
  JSON.stringify({
    sec: (performance.now() - began) / 1000,
    cpuSec: procCpuSec({ self: true }) - cpuBefore,
    out,
    cores: os.availableParallelism(),
    processes: started,
  }),
);
process.exit(0);
