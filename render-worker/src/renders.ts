// Runs renders: one temp directory each, removed whatever happens; bounded concurrency;
// cancellation kills FFmpeg's whole process group.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildAssFile } from "./captions.ts";
import { buildPosterArgs, buildRenderArgs } from "./build-command.ts";
import { ffprobe, runFfmpeg } from "./ffmpeg.ts";
import { isProcessAlive } from "./processes.ts";
import type { Logger } from "./log.ts";
import type { RenderResult, RenderSpec, RenderState } from "./spec.ts";
import { describeFile, type LocalStorage } from "./storage.ts";

export class BusyError extends Error {}

const FFMPEG_PID_FILE = "ffmpeg.pid";
const ORPHAN_DIR = /^render-.+-p(\d+)-[A-Za-z0-9]{6}$/;


/**
 * After a worker was killed (SIGKILL, OOM, power loss): stop the FFmpeg it left running and
 * remove its temp directory. Only directories of workers that are no longer alive are touched,
 * so several workers can share one temp directory.
 */
export async function sweepOrphans(tmpDir: string, log: Logger) {
  let entries: string[];
  try {
    entries = await readdir(tmpDir);
  } catch {
    return { directories: 0, processes: 0 };
  }
  let directories = 0;
  let processes = 0;
  for (const name of entries) {
    const owner = Number(ORPHAN_DIR.exec(name)?.[1]);
    if (!owner || owner === process.pid || isProcessAlive(owner)) continue;
    const dir = path.join(tmpDir, name);
    const pid = Number(await readFile(path.join(dir, FFMPEG_PID_FILE), "utf8").catch(() => ""));
    // Kill only what is still FFmpeg (a pid can be reused by another program).
    const cmdline = pid ? await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "") : "";
    if (pid && cmdline.includes(dir)) {
      try {
        process.kill(-pid, "SIGKILL");
        processes++;
      } catch {}
    }
    await rm(dir, { recursive: true, force: true });
    directories++;
  }
  if (directories) log.warn("removed what a stopped worker left behind", { directories, processes });
  return { directories, processes };
}

type Entry = { state: RenderState; abort: AbortController; done: Promise<void> };

export class RenderManager {
  private readonly renders = new Map<string, Entry>();
  constructor(
    private readonly options: { storage: LocalStorage; tmpDir: string; maxConcurrent: number; timeoutMs: number; log: Logger },
  ) {}

  get running() {
    return [...this.renders.values()].filter((e) => e.state.status === "running" || e.state.status === "queued").length;
  }

  get(id: string) {
    return this.renders.get(id)?.state;
  }

  /** Starts a render; a second submit with the same id returns the first one's state. */
  submit(id: string, spec: RenderSpec, correlationId?: string): RenderState {
    const existing = this.renders.get(id);
    if (existing && existing.state.status !== "failed" && existing.state.status !== "cancelled") return existing.state;
    if (this.running >= this.options.maxConcurrent) throw new BusyError("all render slots are busy");
    const state: RenderState = {
      id,
      status: "running",
      progress: { percent: 0, outTimeSec: 0, fps: null, speed: null, etaSec: null },
      createdAt: new Date().toISOString(),
    };
    const abort = new AbortController();
    const log = this.options.log.child({ renderId: id, correlationId });
    const done = this.run(state, spec, abort.signal, log).then(
      (result) => {
        state.status = "succeeded";
        state.result = result;
        state.progress.percent = 100;
        log.info("render succeeded", { elapsedSec: result.elapsedSec, durationSec: result.video.durationSec });
      },
      (error: Error) => {
        state.status = abort.signal.aborted ? "cancelled" : "failed";
        state.error = abort.signal.aborted ? "cancelled" : error.message;
        log[abort.signal.aborted ? "info" : "error"](`render ${state.status}`, { error: error.message });
      },
    ).finally(() => {
      state.finishedAt = new Date().toISOString();
      this.forgetOldRenders();
    });
    this.renders.set(id, { state, abort, done });
    return state;
  }

  async cancel(id: string) {
    const entry = this.renders.get(id);
    if (!entry) return undefined;
    entry.abort.abort();
    await entry.done;
    return entry.state;
  }

  async cancelAll() {
    await Promise.all([...this.renders.keys()].map((id) => this.cancel(id)));
  }

  private forgetOldRenders() {
    const finished = [...this.renders.entries()].filter(([, e]) => e.state.finishedAt);
    for (const [id] of finished.slice(0, Math.max(0, finished.length - 200))) this.renders.delete(id);
  }

  private async run(state: RenderState, spec: RenderSpec, signal: AbortSignal, log: Logger): Promise<RenderResult> {
    const started = performance.now();
    const { storage } = this.options;
    // The worker's pid in the name tells a later worker whose directory this is (sweepOrphans).
    const work = await mkdtemp(path.join(this.options.tmpDir, `render-${state.id}-p${process.pid}-`));
    try {
      const images = await Promise.all(spec.scenes.map((s) => storage.inputPath(s.image)));
      const narrations = await Promise.all(spec.scenes.map((s) => (s.narration ? storage.inputPath(s.narration) : null)));
      const musicFile = spec.music?.source.kind === "asset" ? await storage.inputPath(spec.music.source.key) : null;
      let captionsFile: string | null = null;
      if (spec.captions.enabled && spec.captions.cues.length) {
        captionsFile = path.join(work, "captions.ass");
        await writeFile(captionsFile, buildAssFile(spec.captions.cues, spec.width, spec.height), "utf8");
      }
      const videoFile = path.join(work, "output.mp4");
      const { args, timing } = buildRenderArgs(spec, { images, narrations, musicFile, captionsFile, output: videoFile });
      log.info("render started", { scenes: spec.scenes.length, durationSec: timing.totalSec, width: spec.width, height: spec.height });
      await runFfmpeg(args, {
        signal,
        timeoutMs: this.options.timeoutMs,
        onSpawn: (pid) => void writeFile(path.join(work, FFMPEG_PID_FILE), String(pid)).catch(() => {}),
        onProgress: (p) => {
          const elapsed = (performance.now() - started) / 1000;
          const percent = Math.min(99, (p.outTimeSec / timing.totalSec) * 100);
          const rate = p.outTimeSec / Math.max(elapsed, 0.001);
          state.progress = {
            percent: Math.round(percent * 10) / 10,
            outTimeSec: p.outTimeSec,
            fps: p.fps,
            speed: p.speed,
            etaSec: rate > 0 ? Math.max(0, (timing.totalSec - p.outTimeSec) / rate) : null,
          };
        },
      });
      const probe = await ffprobe(videoFile);
      if (!probe.video || !probe.audio) throw new Error("the rendered file lacks a video or an audio stream");
      if (Math.abs(probe.durationSec - timing.totalSec) > 0.5) {
        throw new Error(`the rendered file lasts ${probe.durationSec}s, the timeline ${timing.totalSec}s`);
      }
      const posterFile = path.join(work, "poster.jpg");
      await runFfmpeg(buildPosterArgs(videoFile, Math.min(1.5, timing.totalSec / 2), posterFile), { signal, timeoutMs: 60_000 });
      const [videoInfo, posterInfo] = await Promise.all([describeFile(videoFile), describeFile(posterFile)]);
      await storage.putFile(spec.output.video, videoFile);
      await storage.putFile(spec.output.poster, posterFile);
      return {
        video: {
          key: spec.output.video,
          ...videoInfo,
          durationSec: probe.durationSec,
          width: probe.video.width,
          height: probe.video.height,
          hasAudio: true,
        },
        poster: { key: spec.output.poster, ...posterInfo, width: spec.width, height: spec.height },
        encoder: "libx264",
        elapsedSec: Math.round((performance.now() - started) / 10) / 100,
      };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }
}
