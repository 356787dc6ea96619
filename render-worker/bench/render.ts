// Render benchmark. Builds identical inputs itself and renders the bench video (8 scenes, 60 s,
// 1080p30, crossfades, captions, titles, ducked music): "stills" (one still per scene, Ken
// Burns) and "clips" (24 shots of 1080p and 4K clips). For each and for Draft and Standard,
// repeated (--repeat N, default 3) and interleaved (full render, edit, floor, baseline, then
// again), it prints the median and range of:
//   - Aura's full render (empty segment cache) and its encode floor, and their ratio. The floor
//     is the time to encode the same final frames, decoded once to raw files beforehand, with
//     the same encoder settings, plus the same audio encode, with the same parallelism as the
//     render (the frames in as many equal parts as the render runs FFmpeg processes at once,
//     each encoder with as many threads as the render's);
//   - the render again after editing one scene, and its ratio to the full render;
//   - the time to the first playable preview after the render starts;
//   - the peak memory of all processes (the worker's process and its FFmpeg runs, summed, from
//     /proc), sampled the same way for the render, the floor and the baseline;
//   - the CPU time (user and system, all processes) of render and floor, which a machine
//     shared with other work moves far less than wall times;
//   - as a baseline (stills only), a hand-written one-graph FFmpeg render of the same video
//     (zoompan, xfade chain, subtitles: single-graph.ts) and its ratio to Aura's render.
// Every run is a process of its own, so no cache of one (narration checks, text widths) helps
// the next; the segment cache and the music bed start empty for each full render.
// --growth prints render seconds per second of content at 30, 60 and 180 s (and 600 s with
// --long: about ten minutes of rendering at Standard), at 4, 8, 16 and 32 scenes, and at
// 2160p against 1080p (--quality draft|standard, default standard).
// --peers adds Remotion (remotion-peer.ts) to the stills video's baselines: installed on first
// use, about six minutes a render here.
// Run: npm run bench:render [-- --repeat 3] [-- --peers] [-- --growth [--long]]
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statfsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { computeTiming, type RenderSpec } from "@aura/render-contract";
import { encoderThreadArgs, formatSettings } from "../src/formats.ts";
import { benchSpec, clipBenchSpec, makeBenchInputs, makeClipBenchInputs, run } from "./bench-video.ts";
import { growthSpec } from "./growth.ts";
import { ffmpegStartCpuSec, type Measured, measureRun, showSpread } from "./measure.ts";
import { bundleRemotion, ensureRemotion, REMOTION_VERSION, remotionProps } from "./remotion-peer.ts";
import type { RemotionTask, RenderOut } from "./run-once.ts";
import { singleGraphArgs } from "./single-graph.ts";

const { values: flags } = parseArgs({
  options: {
    repeat: { type: "string", default: "3" },
    growth: { type: "boolean", default: false },
    long: { type: "boolean", default: false },
    quality: { type: "string", default: "standard" },
    "no-baseline": { type: "boolean", default: false },
    peers: { type: "boolean", default: false },
  },
});
const repeat = Math.max(1, Number(flags.repeat) || 1);
const parallel = os.availableParallelism();

const root = mkdtempSync(path.join(os.tmpdir(), "aura-bench-render-"));
const storageDir = path.join(root, "storage");
const tmpDir = path.join(root, "tmp");
mkdirSync(tmpDir);
const taskFile = path.join(root, "task.json");
makeBenchInputs(storageDir);

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

const renderTask = (id: string, spec: RenderSpec, cacheDir: string) => ({ kind: "render", storageDir, tmpDir, cacheDir, id, spec, parallel });

/** What a failed run must remove outside the bench's folder. */
const floorCleanups: (() => void)[] = [];

/** The floor's inputs, made once from a finished render: its frames in `parallel` raw files
 *  of equal length and its sound as PCM. */
function prepareFloor(video: string, spec: RenderSpec, quality: "draft" | "standard") {
  const frames = computeTiming(spec).totalFrames;
  // In memory when /dev/shm has room (with a quarter to spare): read from a busy disk, the
  // floor measured the disk (103 s for 47 s of CPU).
  const bytes = frames * spec.width * spec.height * 1.5;
  const shm = (() => {
    try {
      const fs = statfsSync("/dev/shm");
      return fs.bavail * fs.bsize > bytes * 1.25 ? mkdtempSync("/dev/shm/aura-bench-floor-") : null;
    } catch {
      return null;
    }
  })();
  const rawDir = shm ?? root;
  if (shm) floorCleanups.push(() => rmSync(shm, { recursive: true, force: true }));
  const parts = Array.from({ length: parallel }, (_, k) => ({
    from: Math.round((frames * k) / parallel),
    to: Math.round((frames * (k + 1)) / parallel),
    raw: path.join(rawDir, `floor-${k}.yuv`),
    output: path.join(root, `floor-${k}.mp4`),
  }));
  const graph = [
    `[0:v]split=${parallel}${parts.map((_, k) => `[s${k}]`).join("")}`,
    ...parts.map((p, k) => `[s${k}]trim=start_frame=${p.from}:end_frame=${p.to}[o${k}]`),
  ];
  const wav = path.join(root, "floor.wav");
  run("ffmpeg", [
    ...["-v", "error", "-y", "-i", video, "-filter_complex", graph.join(";")],
    ...parts.flatMap((p, k) => ["-map", `[o${k}]`, "-f", "rawvideo", "-pix_fmt", "yuv420p", p.raw]),
    ...["-map", "0:a", "-c:a", "pcm_f32le", "-f", "wav", wav],
  ]);
  const settings = formatSettings("mp4-h264", quality, spec);
  return {
    task: {
      kind: "floor",
      chunks: parts.map((p) => ({ raw: p.raw, output: p.output })),
      size: `${spec.width}x${spec.height}`,
      fps: spec.fps,
      // The encoder's threads as the render's segments get them.
      videoArgs: [...settings.video.videoArgs, ...encoderThreadArgs(settings.video.name, parallel)],
      audio: { wav, output: path.join(root, "floor-audio.m4a") },
      audioArgs: settings.audioArgs,
      parallel,
    },
    remove: () => {
      for (const p of parts) rmSync(p.raw, { force: true });
      if (shm) rmSync(shm, { recursive: true, force: true });
      rmSync(wav, { force: true });
    },
  };
}

/** The video frames in a file, counted by decoding it (the first number ffprobe prints: a
 *  stream with side data, as Remotion's files have, adds fields after it). */
const probeFrames = (file: string) =>
  Number.parseInt(
    spawnSync("ffprobe", ["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", file], {
      encoding: "utf8",
    }).stdout.trim(),
    10,
  );

/** "47 FFmpeg, 1 ffprobe, 1 fluidsynth": the programs a run started (the same in every repeat). */
const showProcesses = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => (a === "ffmpeg" ? -1 : b === "ffmpeg" ? 1 : a.localeCompare(b)))
    .map(([name, n]) => `${n} ${name === "ffmpeg" ? "FFmpeg" : name}`)
    .join(", ") || "none";

async function comparisons() {
  const scenarios = (process.env.BENCH_SCENARIOS ?? "stills,clips").split(",") as ("stills" | "clips")[];
  const qualities = (process.env.BENCH_QUALITIES ?? "draft,standard").split(",") as ("draft" | "standard")[];
  if (scenarios.includes("clips")) makeClipBenchInputs(storageDir);
  const specs = { stills: benchSpec, clips: clipBenchSpec };
  console.log(
    `render benchmark: 8 scenes, 1920x1080, 30 fps, crossfades, captions, ducked music; stills: one still per scene with Ken Burns; clips: 24 shots of 1080p and 4K clips (the edit: one shot's start). ` +
      `${os.cpus().length} cores, ${parallel} FFmpeg processes at once (render and floor), ${repeat} repeats, load average at start ${load()}`,
  );
  // What each FFmpeg run pays before its first frame, to weigh the runs a render starts
  // beyond the floor's (every segment, the stills, the audio steps, the preview's files).
  const startCpu = ffmpegStartCpuSec();
  // --peers: Remotion too (stills only), bundled once before any measured run.
  let remotionUrl: string | null = null;
  if (flags.peers && scenarios.includes("stills")) {
    ensureRemotion();
    remotionUrl = await bundleRemotion(path.join(storageDir, "in"));
  }
  const rows: string[] = [];
  for (const scenario of scenarios)
    for (const quality of qualities) {
      const tag = `${scenario}-${quality}`;
      let remotionFrames = 0;
      const runs: {
        full: Measured<RenderOut>;
        edit: Measured<RenderOut>;
        floor: Measured<null>;
        graph: Measured<null> | null;
        remotion: Measured<null> | null;
      }[] = [];
      let floorInputs: ReturnType<typeof prepareFloor> | null = null;
      for (let r = 1; r <= repeat; r++) {
        const cacheDir = path.join(root, `cache-${tag}-${r}`);
        const fullSpec = specs[scenario](quality, false, `${tag}-full`);
        const full = await measureRun<RenderOut>(renderTask(`${tag}-full-${r}`, fullSpec, cacheDir), taskFile);
        const edit = await measureRun<RenderOut>(renderTask(`${tag}-edit-${r}`, specs[scenario](quality, true, `${tag}-edit`), cacheDir), taskFile);
        rmSync(cacheDir, { recursive: true, force: true });
        floorInputs ??= prepareFloor(path.join(storageDir, `out/${tag}-full.mp4`), fullSpec, quality);
        const floor = await measureRun<null>(floorInputs.task, taskFile);
        let graph: Measured<null> | null = null;
        if (scenario === "stills" && !flags["no-baseline"]) {
          const args = singleGraphArgs(fullSpec, storageDir, root, formatSettings("mp4-h264", quality, fullSpec), path.join(root, "one-graph.mp4"));
          graph = await measureRun<null>({ kind: "command", args }, taskFile);
        }
        let remotion: Measured<null> | null = null;
        if (scenario === "stills" && remotionUrl) {
          const task: RemotionTask = {
            kind: "remotion",
            serveUrl: remotionUrl,
            props: remotionProps(fullSpec),
            output: path.join(root, "remotion.mp4"),
            // As many frames at once as Aura runs FFmpeg processes; Aura's preset and CRF.
            concurrency: parallel,
            crf: quality === "draft" ? 28 : 21,
            x264Preset: quality === "draft" ? "ultrafast" : "veryfast",
          };
          remotion = await measureRun<null>(task, taskFile);
          remotionFrames = probeFrames(task.output);
        }
        runs.push({ full, edit, floor, graph, remotion });
        console.log(
          `  ${tag} run ${r}: render ${full.sec.toFixed(1)} s (CPU ${full.cpuSec.toFixed(1)} s, ${mb(full.peakBytes)} MB), floor ${floor.sec.toFixed(1)} s (CPU ${floor.cpuSec.toFixed(1)} s, ${mb(floor.peakBytes)} MB), ` +
            `edit ${edit.sec.toFixed(1)} s (${edit.out.segments?.cached}/${edit.out.segments?.total} cached)` +
            (graph ? `, one graph ${graph.sec.toFixed(1)} s (CPU ${graph.cpuSec.toFixed(1)} s, ${mb(graph.peakBytes)} MB)` : "") +
            (remotion ? `, Remotion ${remotion.sec.toFixed(1)} s (CPU ${remotion.cpuSec.toFixed(1)} s, ${mb(remotion.peakBytes)} MB)` : "") +
            `; load ${load()}`,
        );
      }
      floorInputs?.remove();
      const of = (f: (x: (typeof runs)[number]) => number, digits = 1, unit = "") => showSpread(runs.map(f), digits, unit);
      const preview = runs.every((x) => x.full.out.previewSec !== null) ? of((x) => x.full.out.previewSec!, 1, " s") : "n/a (preview not built)";
      rows.push(
        [
          `${scenario} ${quality}, ${runs[0]!.full.out.durationSec.toFixed(1)} s of video`,
          `  full render     ${of((x) => x.full.sec, 1, " s")}   floor ${of((x) => x.floor.sec, 1, " s")}   full/floor ${of((x) => x.full.sec / x.floor.sec, 2, "×")}`,
          `  CPU             render ${of((x) => x.full.cpuSec, 1, " s")}   floor ${of((x) => x.floor.cpuSec, 1, " s")}   render/floor ${of((x) => x.full.cpuSec / x.floor.cpuSec, 2, "×")}`,
          `  one-scene edit  ${of((x) => x.edit.sec, 1, " s")} (${runs[0]!.edit.out.segments?.cached}/${runs[0]!.edit.out.segments?.total} segments cached)   edit/full ${of((x) => x.edit.sec / x.full.sec, 2, "×")}`,
          `  first preview   ${preview}`,
          `  processes       render ${showProcesses(runs[0]!.full.processes)}, edit ${showProcesses(runs[0]!.edit.processes)}, floor ${showProcesses(runs[0]!.floor.processes)}; ` +
            `an FFmpeg run takes ${(startCpu * 1000).toFixed(0)} ms of CPU to start and end (ffmpeg -version), so the render's ${(runs[0]!.full.processes.ffmpeg ?? 0) - (runs[0]!.floor.processes.ffmpeg ?? 0)} runs beyond the floor's cost about ${(((runs[0]!.full.processes.ffmpeg ?? 0) - (runs[0]!.floor.processes.ffmpeg ?? 0)) * startCpu).toFixed(1)} s of CPU before any work`,
          `  peak memory     render ${of((x) => mb(Math.max(x.full.peakBytes, x.edit.peakBytes)), 0, " MB")} (FFmpeg alone ${of((x) => mb(x.full.peakFfmpegBytes), 0, " MB")})   floor ${of((x) => mb(x.floor.peakBytes), 0, " MB")}`,
          `  shared pages once (Pss)  render ${of((x) => mb(Math.max(x.full.peakPssBytes, x.edit.peakPssBytes)), 0, " MB")}   floor ${of((x) => mb(x.floor.peakPssBytes), 0, " MB")}`,
          ...(runs[0]!.graph
            ? [
                `  one graph       ${of((x) => x.graph!.sec, 1, " s")} (CPU ${of((x) => x.graph!.cpuSec, 1, " s")}, ${of((x) => mb(x.graph!.peakBytes), 0, " MB")})   one graph/Aura ${of((x) => x.graph!.sec / x.full.sec, 2, "×")}`,
              ]
            : []),
          ...(runs[0]!.remotion
            ? [
                `  Remotion ${REMOTION_VERSION} ${of((x) => x.remotion!.sec, 1, " s")} (CPU ${of((x) => x.remotion!.cpuSec, 1, " s")}, ${of((x) => mb(x.remotion!.peakBytes), 0, " MB")}; ${remotionFrames} frames, Aura ${probeFrames(path.join(storageDir, `out/${tag}-full.mp4`))})   Remotion/Aura ${of((x) => x.remotion!.sec / x.full.sec, 2, "×")}`,
              ]
            : []),
        ].join("\n"),
      );
    }
  console.log(`\nmedian (range) of ${repeat} runs; load average at the end ${load()}\n${rows.join("\n")}`);
}

async function growth() {
  const quality = flags.quality === "draft" ? "draft" : "standard";
  const configs = [
    ...[30, 60, 180, ...(flags.long ? [600] : [])].map((seconds) => ({
      label: `${seconds} s, 8 scenes, 1080p`,
      scenes: 8,
      seconds,
      width: 1920,
      height: 1080,
    })),
    ...[4, 16, 32].map((scenes) => ({ label: `60 s, ${scenes} scenes, 1080p`, scenes, seconds: 60, width: 1920, height: 1080 })),
    { label: "30 s, 8 scenes, 2160p", scenes: 8, seconds: 30, width: 3840, height: 2160 },
  ];
  console.log(
    `render growth (${quality}): render seconds per second of content; ${parallel} FFmpeg processes at once, ${repeat} repeats, load average at start ${load()}` +
      (flags.long ? "" : " (600 s left out: add --long)"),
  );
  const startCpu = ffmpegStartCpuSec();
  console.log(`an FFmpeg run takes ${(startCpu * 1000).toFixed(0)} ms of CPU to start and end (ffmpeg -version)`);
  console.log("video                      render s/s             CPU s/s                peak memory (shared pages once)      FFmpeg runs");
  for (const [n, c] of configs.entries()) {
    const runs: Measured<RenderOut>[] = [];
    for (let r = 1; r <= repeat; r++) {
      const cacheDir = path.join(root, `growth-${n}-${r}`);
      runs.push(await measureRun<RenderOut>(renderTask(`growth-${n}-${r}`, growthSpec({ ...c, quality, tag: `growth-${n}` }), cacheDir), taskFile));
      rmSync(cacheDir, { recursive: true, force: true });
    }
    const content = runs[0]!.out.durationSec;
    console.log(
      `${c.label.padEnd(25)}  ${showSpread(
        runs.map((x) => x.sec / content),
        3,
      ).padEnd(21)}  ${showSpread(
        runs.map((x) => x.cpuSec / content),
        3,
      ).padEnd(21)}  ${showSpread(
        runs.map((x) => mb(x.peakBytes)),
        0,
        " MB",
      )} (Pss ${showSpread(
        runs.map((x) => mb(x.peakPssBytes)),
        0,
        " MB",
      )})      ${runs[0]!.processes.ffmpeg ?? 0} (${(((runs[0]!.processes.ffmpeg ?? 0) * startCpu) / content).toFixed(3)} CPU s/s to start them)`,
    );
  }
  console.log(`load average at the end ${load()}`);
}

try {
  await (flags.growth ? growth() : comparisons());
} finally {
  for (const remove of floorCleanups) remove();
  rmSync(root, { recursive: true, force: true });
}
