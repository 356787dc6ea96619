// Runs renders: one temp directory each, removed whatever happens; bounded concurrency;
// cancellation kills FFmpeg's whole process group.
import { createHash, randomUUID } from "node:crypto";
import { copyFile, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { computeTiming, isProcessAlive, type RenderResult, type RenderSpec, type RenderState } from "@aura/render-contract";
import { buildAssFile, buildSrt, buildVtt } from "./captions.ts";
import { buildPosterArgs, buildRenderArgs, posterFrame, type PassOptions, type RenderInputs } from "./build-command.ts";
import { checkNarrations } from "./audio-check.ts";
import { buildAudioEncodeArgs, buildMixArgs, loudnessFilter, parseLoudness, type AudioSources, type MixedAudio } from "./audio-mix.ts";
import { buildJoinArgs, buildSegmentArgs, concatList, planSegments, segmentAss, segmentKey, type Segment } from "./segments.ts";
import { buildChaptersFile } from "./chapters.ts";
import { formatSettings, type FormatSettings } from "./formats.ts";
import type { EncoderName } from "./quality.ts";
import { ffprobe, runFfmpeg } from "./ffmpeg.ts";
import type { Logger } from "./log.ts";
import type { NarrationReport } from "./audio-check.ts";

type VisualInputs = Omit<RenderInputs, "audio">;
import { describeFile, type LocalStorage } from "./storage.ts";

export class BusyError extends Error {}

/** Like Promise.all, but waits for every promise to settle before it throws the first error. */
async function allDone<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

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
    const pidFiles = (await readdir(dir).catch(() => [] as string[])).filter((f) => /^ffmpeg.*\.pid$/.test(f));
    for (const pidFile of pidFiles) {
      const pid = Number(await readFile(path.join(dir, pidFile), "utf8").catch(() => ""));
      // Kill only what is still FFmpeg (a pid can be reused by another program).
      const cmdline = pid ? await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "") : "";
      if (pid && cmdline.includes(dir)) {
        try {
          process.kill(-pid, "SIGKILL");
          processes++;
        } catch {}
      }
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
    private readonly options: {
      storage: LocalStorage;
      tmpDir: string;
      maxConcurrent: number;
      timeoutMs: number;
      log: Logger;
      /** Which encoder a render starts with (encoders.ts: the best one that passed its trial). */
      chooseEncoder: () => Promise<EncoderName>;
      /** Whether CUDA frames work (encoders.ts detectCuda): NVENC then reads frames from GPU memory. */
      cuda?: () => Promise<boolean>;
      /** Where rendered segments are kept for reuse; without it, renders are one FFmpeg run. */
      cacheDir?: string;
      /** Largest size of the segment cache; the least recently used go first. */
      cacheMaxBytes?: number;
      /** FFmpeg runs at once within one render (segments). */
      parallel?: number;
    },
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
      const insets = await Promise.all(spec.scenes.map((s) => (s.inset ? storage.inputPath(s.inset.image) : null)));
      const narrations = await Promise.all(spec.scenes.map((s) => (s.narration ? storage.inputPath(s.narration) : null)));
      const musicFile = spec.music?.source.kind === "asset" ? await storage.inputPath(spec.music.source.key) : null;
      const effectFiles = await Promise.all(spec.effects.map((e) => (e.sound.kind === "asset" ? storage.inputPath(e.sound.key) : null)));
      const timing = computeTiming(spec);
      const cues = spec.captions.enabled ? spec.captions.cues : [];
      const written = async (name: string, text: string) => {
        const file = path.join(work, name);
        await writeFile(file, text, "utf8");
        return file;
      };
      const visuals: VisualInputs = {
        images,
        insets,
        captionsFile:
          cues.length || spec.overlays.length
            ? await written("captions.ass", buildAssFile(cues, spec.width, spec.height, spec.captions.style, spec.overlays.map((o) => ({ ...o, from: o.start, to: o.end }))))
            : null,
        watermarkTextFile: spec.watermark?.source.kind === "text" ? await written("watermark.txt", spec.watermark.source.text) : null,
        watermarkImage: spec.watermark?.source.kind === "image" ? await storage.inputPath(spec.watermark.source.key) : null,
        chaptersFile: spec.chapters ? await written("chapters.txt", buildChaptersFile(spec, timing)) : null,
        output: path.join(work, "output.mp4"),
      };
      // The narration checks and the mix run once, beside the video (a fallback to software
      // re-encodes the video only).
      let audio: Promise<{ mix: MixedAudio; reports: NarrationReport[] }> | null = null;
      const mixAudio = () =>
        (audio ??= (async () => {
          const reports = await checkNarrations(narrations, signal);
          for (const report of reports) if (report?.fixes.length) log.warn("narration fixed", { ...report });
          const sources: AudioSources = { narrations, musicFile, effectFiles, narrationGainDb: reports.map((r) => r?.gainDb ?? 0) };
          const file = path.join(work, "mix.wav");
          const { stderr } = await runFfmpeg(buildMixArgs(spec, timing, sources, file), { signal, timeoutMs: this.options.timeoutMs, onSpawn: this.pidFile(work, "mix") });
          return { mix: { file, filter: loudnessFilter(parseLoudness(stderr), spec.loudness) }, reports: reports.filter((r) => r !== null) };
        })());

      // The best encoder that passed its trial; if it fails during the render, software finishes it.
      // (Only H.264 has hardware encoders; the other formats always encode in software.)
      const h264 = spec.format === "mp4-h264" ? await this.options.chooseEncoder() : "libx264";
      const cuda = h264 === "h264_nvenc" && (await this.options.cuda?.()) === true;
      const preferred = formatSettings(spec.format, spec.quality, spec, h264, { cuda });
      let settings = preferred;
      let segments: RenderResult["segments"];
      const posterFile = path.join(work, "poster.jpg");
      const produce = async () => {
        log.info("render started", { scenes: spec.scenes.length, durationSec: timing.totalSec, width: spec.width, height: spec.height, encoder: settings.video.name, format: spec.format });
        // Segments when they can be joined without re-encoding (one pass, H.264 MP4).
        const plan = this.options.cacheDir && spec.format === "mp4-h264" && settings.video.passes === 1 ? planSegments(timing) : null;
        if (plan) segments = await this.renderSegments(state, spec, visuals, mixAudio, settings, plan, work, posterFile, signal, log);
        else await this.encode(state, spec, { ...visuals, audio: (await mixAudio()).mix }, settings, work, signal, log);
      };
      try {
        await produce();
      } catch (error) {
        if (signal.aborted || h264 === "libx264") throw error;
        log.warn("hardware encoder failed, finishing in software", { encoder: h264, error: (error as Error).message.slice(0, 300) });
        settings = formatSettings(spec.format, spec.quality, spec, "libx264");
        await produce();
      }
      const encoder = settings.video.name;

      const videoFile = visuals.output;
      // The check, the poster (unless the segments made it) and the hash each read the finished
      // file: they run at once, and all of them end before the work directory is removed.
      const poster = segments ? Promise.resolve() : runFfmpeg(buildPosterArgs(videoFile, posterFrame(timing, spec.fps) / spec.fps, posterFile), { signal, timeoutMs: 60_000 });
      const [probe, videoInfo, posterInfo] = await allDone([ffprobe(videoFile), describeFile(videoFile), poster.then(() => describeFile(posterFile))] as const);
      if (!probe.video || !probe.audio) throw new Error("the rendered file lacks a video or an audio stream");
      if (Math.abs(probe.durationSec - timing.totalSec) > 0.5) {
        throw new Error(`the rendered file lasts ${probe.durationSec}s, the timeline ${timing.totalSec}s`);
      }
      if (spec.chapters && probe.chapters.length !== spec.scenes.length) throw new Error(`the rendered file has ${probe.chapters.length} chapters, not ${spec.scenes.length}`);

      // Caption sidecars for players and platforms that take them.
      const captions: NonNullable<RenderResult["captions"]> = {};
      for (const [kind, build] of [["srt", buildSrt], ["vtt", buildVtt]] as const) {
        const key = spec.output[kind];
        if (!key || !cues.length) continue;
        const file = await written(`captions.${kind}`, build(cues));
        const info = await describeFile(file);
        await storage.putFile(key, file);
        captions[kind] = { key, ...info };
      }
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
          chapters: probe.chapters.length,
        },
        poster: { key: spec.output.poster, ...posterInfo, width: spec.width, height: spec.height },
        ...(Object.keys(captions).length ? { captions } : {}),
        narration: (await mixAudio()).reports,
        ...(segments ? { segments } : {}),
        encoder,
        ...(encoder !== preferred.video.name ? { fellBackFrom: preferred.video.name } : {}),
        elapsedSec: Math.round((performance.now() - started) / 10) / 100,
      };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  /**
   * Renders the segments (cached ones are reused), the audio, and joins them. Runs up to
   * `parallel` FFmpeg processes at once; progress counts frames done across segments.
   */
  private async renderSegments(
    state: RenderState,
    spec: RenderSpec,
    inputs: VisualInputs,
    mixAudio: () => Promise<{ mix: MixedAudio }>,
    settings: FormatSettings,
    plan: Segment[],
    work: string,
    posterFile: string,
    signal: AbortSignal,
    log: Logger,
  ) {
    const cacheDir = this.options.cacheDir!;
    await mkdir(cacheDir, { recursive: true });
    const timing = computeTiming(spec);
    const started = performance.now();
    const imageHashes = await Promise.all(inputs.images.map(sha256File));
    const insets = inputs.insets ?? [];
    const insetHashes = await Promise.all(insets.map((file) => (file ? sha256File(file) : null)));
    const watermarkImageHash = inputs.watermarkImage ? await sha256File(inputs.watermarkImage) : null;
    const watermarkTextFile = inputs.watermarkTextFile ?? null;
    const done = new Map<number, number>();
    let cachedFrames = 0;
    const report = () => {
      const frames = [...done.values()].reduce((a, b) => a + b, 0);
      const fraction = Math.min(0.99, frames / timing.totalFrames);
      const elapsed = (performance.now() - started) / 1000;
      // Throughput of this render: the frames it drew (not the cached ones), all segments together.
      const fps = elapsed > 0 && frames > cachedFrames ? (frames - cachedFrames) / elapsed : null;
      state.progress = {
        percent: Math.round(fraction * 1000) / 10,
        outTimeSec: frames / spec.fps,
        fps: fps === null ? null : Math.round(fps * 10) / 10,
        speed: fps === null ? null : Math.round((fps / spec.fps) * 100) / 100,
        etaSec: fraction > 0 ? (elapsed / fraction) * (1 - fraction) : null,
      };
    };
    const files: string[] = [];
    let cached = 0;
    const audioFile = path.join(work, "audio.m4a");
    const tasks: (() => Promise<void>)[] = [
      async () => {
        const { mix } = await mixAudio();
        await runFfmpeg(buildAudioEncodeArgs(mix, settings.audioArgs, audioFile), { signal, timeoutMs: this.options.timeoutMs, onSpawn: this.pidFile(work, "audio") });
      },
      // Longest first, so that short transitions fill the gaps at the end instead of a long
      // body running alone; the join still lists them in timeline order.
      ...[...plan.keys()].sort((a, b) => plan[b]!.frames - plan[a]!.frames).map((index) => async () => {
        const segment = plan[index]!;
        const key = segmentKey(spec, timing, segment, { imageHashes, insetHashes, watermarkImageHash }, settings.video);
        const file = path.join(cacheDir, `${key}.mp4`);
        files[index] = file;
        if (await touch(file)) {
          cached++;
          cachedFrames += segment.frames;
          done.set(index, segment.frames);
          return report();
        }
        const ass = segmentAss(spec, segment);
        const captionsFile = ass ? path.join(work, `segment-${index}.ass`) : null;
        if (captionsFile) await writeFile(captionsFile, ass!, "utf8");
        const output = path.join(work, `segment-${index}.mp4`);
        const args = buildSegmentArgs(spec, timing, segment, { images: inputs.images, imageHashes, insets, insetHashes, captionsFile, watermarkTextFile, watermarkImage: inputs.watermarkImage ?? null, watermarkImageHash, output }, settings.video);
        await runFfmpeg(args, {
          signal,
          timeoutMs: this.options.timeoutMs,
          onSpawn: this.pidFile(work, String(index)),
          onProgress: (p) => {
            done.set(index, Math.min(segment.frames, Math.round(p.outTimeSec * spec.fps)));
            report();
          },
        });
        done.set(index, segment.frames);
        report();
        // Into the cache atomically: a reader never sees half a segment.
        const staging = `${file}.partial-${process.pid}-${randomUUID()}`;
        await rename(output, staging).catch(async () => copyFile(output, staging));
        await rename(staging, file);
      }),
    ];
    await runLimited(tasks, this.options.parallel ?? Math.max(1, os.availableParallelism()));
    const list = path.join(work, "segments.txt");
    await writeFile(list, concatList(files), "utf8");
    // The poster is cut from the segment that holds its frame (the join copies the frames as
    // they are) while the join runs.
    const frame = posterFrame(timing, spec.fps);
    const held = plan.findLastIndex((segment) => segment.startFrame <= frame);
    await allDone([
      runFfmpeg(buildJoinArgs(list, audioFile, inputs.chaptersFile ?? null, inputs.output, timing.totalFrames), {
        signal,
        timeoutMs: this.options.timeoutMs,
        onSpawn: this.pidFile(work, "join"),
      }),
      runFfmpeg(buildPosterArgs(files[held]!, (frame - plan[held]!.startFrame) / spec.fps, posterFile), { signal, timeoutMs: 60_000, onSpawn: this.pidFile(work, "poster") }),
    ]);
    log.info("segments joined", { segments: plan.length, cached, elapsedSec: Math.round((performance.now() - started) / 100) / 10 });
    await pruneCache(cacheDir, this.options.cacheMaxBytes ?? 4 * 1024 ** 3).catch((error: Error) => log.warn("cache prune failed", { error: error.message }));
    return { total: plan.length, cached };
  }

  /** Records an FFmpeg run's pid in the work directory, for sweepOrphans after a crash. */
  private pidFile(work: string, name: string) {
    return (pid: number) => void writeFile(path.join(work, `ffmpeg-${name}.pid`), String(pid)).catch(() => {});
  }

  /** One or two FFmpeg runs with the given settings; progress covers all passes. */
  private async encode(state: RenderState, spec: RenderSpec, inputs: RenderInputs, settings: FormatSettings, work: string, signal: AbortSignal, log: Logger) {
    const started = performance.now();
    const encoder = settings.video;
    const passes: (PassOptions | undefined)[] = encoder.passes === 2 ? [1, 2].map((pass) => ({ pass: pass as 1 | 2, logFile: path.join(work, "pass") })) : [undefined];
    for (const [index, pass] of passes.entries()) {
      const { args, timing } = buildRenderArgs(spec, inputs, settings, pass);
      await runFfmpeg(args, {
        signal,
        timeoutMs: this.options.timeoutMs,
        onSpawn: this.pidFile(work, "encode"),
        onProgress: (p) => {
          const elapsed = (performance.now() - started) / 1000;
          const done = (index + Math.min(1, p.outTimeSec / timing.totalSec)) / passes.length;
          const rate = done / Math.max(elapsed, 0.001);
          state.progress = {
            percent: Math.round(Math.min(99, done * 100) * 10) / 10,
            outTimeSec: p.outTimeSec,
            fps: p.fps,
            speed: p.speed,
            etaSec: rate > 0 ? Math.max(0, (1 - done) / rate) : null,
          };
        },
      });
    }
  }
}

async function sha256File(file: string) {
  return createHash("sha256").update(await readFile(file)).digest("hex");
}

/** Marks a cache entry as just used; false when it does not exist. */
async function touch(file: string) {
  const now = new Date();
  return utimes(file, now, now).then(
    () => true,
    () => false,
  );
}

/** Runs tasks, at most `limit` at once; the first failure stops new ones and is thrown. */
async function runLimited(tasks: (() => Promise<void>)[], limit: number) {
  let next = 0;
  let failed: unknown = null;
  const worker = async () => {
    while (next < tasks.length && failed === null) {
      const task = tasks[next++]!;
      await task().catch((error: unknown) => {
        failed ??= error;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  if (failed !== null) throw failed;
}

/** Keeps the segment cache under its size: the least recently used files go first. */
async function pruneCache(dir: string, maxBytes: number) {
  const entries = await Promise.all(
    (await readdir(dir)).filter((f) => f.endsWith(".mp4")).map(async (f) => ({ file: path.join(dir, f), ...(await stat(path.join(dir, f))) })),
  );
  let total = entries.reduce((a, e) => a + e.size, 0);
  for (const entry of entries.sort((a, b) => a.mtimeMs - b.mtimeMs)) {
    if (total <= maxBytes) break;
    await rm(entry.file, { force: true });
    total -= entry.size;
  }
}
