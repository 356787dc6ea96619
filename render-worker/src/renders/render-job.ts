// One render, start to end: a temp directory of its own (removed whatever happens), the inputs
// from storage, the narration checks, the composed music bed and the mix, the video in
// segments (reusing cached ones) or in one FFmpeg run, a software retry when the hardware
// encoder fails, the checks and the quality measures of the finished file, and the outputs
// into storage.
import { copyFile, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pLimit from "p-limit";
import {
  chapterList,
  computeTiming,
  type RenderQuality,
  type RenderResult,
  type RenderSpec,
  type RenderState,
  type TimelineTiming,
} from "@aura/render-contract";
import { buildAssFile, buildSrt, buildVtt, buildWatermarkAss } from "../captions.ts";
import {
  buildPosterArgs,
  buildRenderArgs,
  buildStillPrepArgs,
  type PassOptions,
  posterFrame,
  type PreparedStill,
  type RenderInputs,
  stillFit,
} from "../build-command.ts";
import { checkNarrations, type NarrationReport } from "../audio-check.ts";
import { buildAudioEncodeArgs, buildMixArgs, loudnessFilter, parseLoudness, type AudioSources, type MixedAudio } from "../audio-mix.ts";
import { buildJoinArgs, buildSegmentArgs, concatList, planSegments, segmentAss, segmentKey, type Segment } from "../segments.ts";
import { buildChaptersFile } from "../chapters.ts";
import { encoderThreadArgs, formatSettings, type FormatSettings } from "../formats.ts";
import type { EncoderName } from "../quality.ts";
import { blameClip, ClipError, clipLabel, clipRunError, judgeClipProbe, runClipProbe, type ClipInput, type ClipProbe, type ClipRunInput } from "../clips.ts";
import { FfmpegError, ffprobe, runFfmpeg } from "../ffmpeg.ts";
import { buildSegmentMarksArgs, joinSegmentMarks, measureQuality, readSegmentMarks, type SegmentMarks } from "../quality-report.ts";
import type { Logger } from "../log.ts";
import { describeFile, type WorkerStorage } from "../storage.ts";
import { checkMusicTools, DEFAULT_SOUND_FONT, makeMusicBed, type MusicTools } from "../music/bed.ts";
import { deadlineIn, timeLeftMs } from "../deadline.ts";
import { makeWorkDir, recordPid } from "./orphan-sweep.ts";
import { hashFile, type SegmentCache } from "./segment-cache.ts";
import { PreviewPublisher, startRanks } from "../preview.ts";

export type RenderOptions = {
  storage: WorkerStorage;
  tmpDir: string;
  /** The whole render's time limit: every process gets what is left of it (deadline.ts). */
  timeoutMs: number;
  chooseEncoder: () => Promise<EncoderName>;
  cuda?: () => Promise<boolean>;
  /** Without a cache, renders are one FFmpeg run. */
  cache: SegmentCache | null;
  parallel?: number;
  /** fluidsynth and the sound font for generated music (default: fluidsynth on PATH and
   *  MuseScore's General MIDI font); the beds are kept beside the segment cache. */
  music?: Pick<MusicTools, "fluidsynth" | "soundFont">;
};

type VisualInputs = Omit<RenderInputs, "audio">;

/** What one render carries through its steps, set up once at its start. */
type RenderJob = {
  state: RenderState;
  spec: RenderSpec;
  /** The spec's frame timing, computed once. */
  timing: TimelineTiming;
  /** The render's temp directory. */
  work: string;
  visuals: VisualInputs;
  posterFile: string;
  /** The narration checks, the music bed and the mix (run once, on first use). */
  mixAudio: () => Promise<{ mix: MixedAudio; reports: NarrationReport[]; music: NonNullable<RenderResult["music"]> }>;
  signal: AbortSignal;
  log: Logger;
  options: RenderOptions;
  /** The time left before the render's deadline: each process's time limit. */
  timeLeft: () => number;
  /** performance.now() at the render's start. */
  started: number;
  /** Milliseconds from the start to the first playable preview, once there is one. */
  previewReadyMs?: number;
};

const CAPTION_FONT_FILE = "caption-font";

/** A folder of the render's own holding only the captions' font: libass loads every file of
 *  its fontsdir, so the font must not sit among the render's other inputs. */
async function captionFontDir(work: string, fontFile: string) {
  const dir = path.join(work, "fonts");
  await mkdir(dir, { recursive: true });
  await copyFile(fontFile, path.join(dir, CAPTION_FONT_FILE));
  return dir;
}

/** Like Promise.all, but waits for every promise to settle before it throws the first error. */
async function allDone<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(promises);
  const failed = settled.find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

export async function runRender(state: RenderState, spec: RenderSpec, signal: AbortSignal, log: Logger, options: RenderOptions): Promise<RenderResult> {
  const started = performance.now();
  const deadline = deadlineIn(options.timeoutMs);
  const timeLeft = () => timeLeftMs(deadline);
  const { storage } = options;
  const work = await makeWorkDir(options.tmpDir, state.id);
  try {
    const input = storage.inputs(work);
    const images = await Promise.all(spec.scenes.map((s) => (s.image ? input(s.image) : null)));
    const clips = await loadClips(spec, input, signal);
    const insets = await Promise.all(spec.scenes.map((s) => (s.inset ? input(s.inset.image) : null)));
    const narrations = await Promise.all(spec.scenes.map((s) => (s.narration ? input(s.narration) : null)));
    const musicFile = spec.music?.source.kind === "asset" ? await input(spec.music.source.key) : null;
    const effectFiles = await Promise.all(spec.effects.map((e) => (e.sound.kind === "asset" ? input(e.sound.key) : null)));
    const timing = computeTiming(spec);
    const cues = spec.captions.enabled ? spec.captions.cues : [];
    const written = async (name: string, text: string) => {
      const file = path.join(work, name);
      await writeFile(file, text, "utf8");
      return file;
    };
    const visuals: VisualInputs = {
      images,
      clips,
      insets,
      fontsDir: spec.captions.style.fontKey ? await captionFontDir(work, await input(spec.captions.style.fontKey)) : null,
      captionsFile:
        cues.length || spec.overlays.length
          ? await written(
              "captions.ass",
              buildAssFile(
                cues,
                spec.width,
                spec.height,
                spec.captions.style,
                spec.overlays.map((o) => ({ ...o, from: o.start, to: o.end })),
                spec.language,
              ),
            )
          : null,
      watermarkTextFile:
        spec.watermark?.source.kind === "text" ? await written("watermark.ass", buildWatermarkAss(spec, spec.watermark, spec.watermark.source.text)) : null,
      watermarkImage: spec.watermark?.source.kind === "image" ? await input(spec.watermark.source.key) : null,
      chaptersFile: spec.chapters ? await written("chapters.txt", buildChaptersFile(spec, timing)) : null,
      output: path.join(work, "output.mp4"),
    };
    // The narration checks, the music bed and the mix run once, beside the video (a fallback to
    // software re-encodes the video only).
    let audio: ReturnType<RenderJob["mixAudio"]> | null = null;
    const mixAudio = () =>
      (audio ??= (async () => {
        const [reports, bed] = await allDone([checkNarrations(narrations, signal), musicBed(spec, timing, work, signal, log, options, timeLeft())] as const);
        for (const report of reports) if (report?.fixes.length) log.warn("narration fixed", { ...report });
        const sources: AudioSources = {
          narrations,
          musicFile: musicFile ?? bed.file,
          effectFiles,
          clips,
          narrationGainDb: reports.map((r) => r?.gainDb ?? 0),
        };
        const file = path.join(work, "mix.wav");
        const { stderr } = await runFfmpeg(buildMixArgs(spec, timing, sources, file), {
          signal,
          timeoutMs: timeLeft(),
          onSpawn: recordPid(work, "mix"),
        });
        return {
          mix: { file, filter: loudnessFilter(parseLoudness(stderr), spec.loudness) },
          reports: reports.filter((r) => r !== null),
          music: bed.kind,
        };
      })());
    const posterFile = path.join(work, "poster.jpg");
    const job: RenderJob = { state, spec, timing, work, visuals, posterFile, mixAudio, signal, log, options, timeLeft, started };

    // The best encoder that passed its trial; if it fails during the render, software finishes it.
    // (Only H.264 has hardware encoders; the other formats always encode in software.)
    const h264 = spec.format === "mp4-h264" ? await options.chooseEncoder() : "libx264";
    const cuda = h264 === "h264_nvenc" && (await options.cuda?.()) === true;
    const preferred = formatSettings(spec.format, spec.quality, spec, h264, { cuda });
    let settings = preferred;
    let segments: RenderResult["segments"];
    // Measured in pieces as the segments were made (renderSegments), or else in the finished file.
    let measured: RenderQuality | null = null;
    const produce = async () => {
      log.info("render started", {
        scenes: spec.scenes.length,
        durationSec: timing.totalSec,
        width: spec.width,
        height: spec.height,
        encoder: settings.video.name,
        format: spec.format,
      });
      // Segments when they can be joined without re-encoding (one pass, H.264 MP4).
      const plan = options.cache && spec.format === "mp4-h264" && settings.video.passes === 1 ? planSegments(timing) : null;
      if (plan && options.cache) ({ quality: measured, ...segments } = await renderSegments(job, options.cache, settings, plan));
      else await encode(job, settings);
    };
    try {
      await produce();
    } catch (error) {
      // A bad clip fails in software too: no second try.
      if (signal.aborted || h264 === "libx264" || error instanceof ClipError) throw error;
      log.warn("hardware encoder failed, finishing in software", { encoder: h264, error: (error as Error).message.slice(0, 300) });
      settings = formatSettings(spec.format, spec.quality, spec, "libx264");
      await produce();
    }
    const encoder = settings.video.name;

    const videoFile = visuals.output;
    // The check, the quality measures (unless the segments took them), the poster (unless the
    // segments made it) and the hash each read the finished file: they run at once, and all of
    // them end before the work directory is removed.
    const poster = segments
      ? Promise.resolve()
      : runFfmpeg(buildPosterArgs(videoFile, posterFrame(timing, spec.fps) / spec.fps, posterFile), { signal, timeoutMs: 60_000 });
    const [probe, videoInfo, posterInfo, quality] = await allDone([
      ffprobe(videoFile),
      describeFile(videoFile),
      poster.then(() => describeFile(posterFile)),
      // A file that cannot be measured is still the video asked for: the report says it was not measured.
      measured ??
        measureQuality(videoFile, timing.totalSec, { signal, timeoutMs: timeLeft(), onSpawn: recordPid(work, "quality") }).catch((error: Error) => {
          if (signal.aborted) throw error;
          log.warn("quality not measured", { error: error.message.slice(0, 300) });
          return undefined;
        }),
    ] as const);
    if (quality)
      log.info("quality measured", { ...quality, silences: quality.silences.length, blacks: quality.blacks.length, freezes: quality.freezes.length });
    if (!probe.video || !probe.audio) throw new Error("the rendered file lacks a video or an audio stream");
    if (Math.abs(probe.durationSec - timing.totalSec) > 0.5) {
      throw new Error(`the rendered file lasts ${probe.durationSec}s, the timeline ${timing.totalSec}s`);
    }
    // A clip that ends before its index says (a damaged file) would leave its pieces short.
    if (clips.some(Boolean) && probe.video.frames !== null && probe.video.frames < timing.totalFrames) {
      const shots = spec.scenes.flatMap((s, i) => (s.clip ? [clipLabel(i, s.clip.key)] : []));
      throw new Error(`the rendered file has ${probe.video.frames} frames, not ${timing.totalFrames}: a clip ended early (${shots.join(", ")})`);
    }
    const chapters = spec.chapters ? chapterList(spec, timing).length : 0;
    if (spec.chapters && probe.chapters.length !== chapters) throw new Error(`the rendered file has ${probe.chapters.length} chapters, not ${chapters}`);

    // Caption sidecars for players and platforms that take them.
    const captions: NonNullable<RenderResult["captions"]> = {};
    for (const [kind, build] of [
      ["srt", buildSrt],
      ["vtt", buildVtt],
    ] as const) {
      const key = spec.output[kind];
      // Written whether or not the captions are burned in: a player's track reads them.
      if (!key || !spec.captions.cues.length) continue;
      const file = await written(`captions.${kind}`, build(spec.captions.cues, spec.language));
      const info = await describeFile(file);
      signal.throwIfAborted();
      await storage.putFile(key, file);
      captions[kind] = { key, ...info };
    }
    // Cancelled or abandoned by now (another worker may have the render): nothing is written.
    signal.throwIfAborted();
    await storage.putFile(spec.output.video, videoFile);
    signal.throwIfAborted();
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
      music: (await mixAudio()).music,
      ...(segments ? { segments } : {}),
      encoder,
      ...(encoder !== preferred.video.name ? { fellBackFrom: preferred.video.name } : {}),
      ...(quality ? { quality } : {}),
      elapsedSec: Math.round((performance.now() - started) / 10) / 100,
      ...(job.previewReadyMs !== undefined ? { previewReadyMs: job.previewReadyMs } : {}),
    };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The composed bed for generated music (music/bed.ts), in the render's own folder, from the cache
 * when this mood, seed, length and sound font were rendered before. A worker without fluidsynth
 * or its sound font plays the chord made inside the mix instead, and says so in its log and
 * result.
 */
async function musicBed(spec: RenderSpec, timing: TimelineTiming, work: string, signal: AbortSignal, log: Logger, options: RenderOptions, timeoutMs: number) {
  if (!spec.music) return { file: null, kind: "none" as const };
  if (spec.music.source.kind !== "generated") return { file: null, kind: "file" as const };
  const tools: MusicTools = {
    fluidsynth: options.music?.fluidsynth ?? "fluidsynth",
    soundFont: options.music?.soundFont ?? DEFAULT_SOUND_FONT,
    cacheDir: options.cache ? path.join(options.cache.dir, "music") : null,
  };
  const missing = await checkMusicTools(tools);
  if (missing) {
    log.warn("music: playing the held chord instead of a composed bed", { reason: missing });
    return { file: null, kind: "chord" as const };
  }
  const { mood, seed } = spec.music.source;
  const started = performance.now();
  try {
    const bed = await makeMusicBed(mood, seed ?? mood, timing.totalSec, tools, {
      work,
      signal,
      timeoutMs,
      onSpawn: (name) => recordPid(work, name),
    });
    log.info("music bed", { mood, reused: bed.reused, elapsedSec: Math.round((performance.now() - started) / 100) / 10 });
    return { file: bed.file, kind: "composed" as const };
  } catch (error) {
    // A bed that failed is music lost, not the video: the chord plays (a cancel still stops).
    if (signal.aborted) throw error;
    log.warn("music: playing the held chord instead of a composed bed", { reason: (error as Error).message.slice(0, 300) });
    return { file: null, kind: "chord" as const };
  }
}

/**
 * Each clip shot's file from storage and what ffprobe finds in it (each file probed once, a
 * few at a time), or null for a still. A clip that is missing, empty, damaged, without video
 * or shorter than its start fails the render here, naming its shot.
 */
async function loadClips(spec: RenderSpec, input: (key: string) => Promise<string>, signal: AbortSignal): Promise<(ClipInput | null)[]> {
  const limit = pLimit(Math.max(1, os.availableParallelism()));
  const probes = new Map<string, Promise<ClipProbe>>();
  return Promise.all(
    spec.scenes.map(async (scene, i) => {
      if (!scene.clip) return null;
      const clip = scene.clip;
      const file = await input(clip.key).catch((error: Error) => {
        throw new ClipError(`${clipLabel(i, clip.key)} cannot be decoded: ${error.message}`);
      });
      signal.throwIfAborted();
      let probe = probes.get(file);
      if (!probe) {
        probe = limit(() => runClipProbe(file));
        probes.set(file, probe);
      }
      return { file, info: judgeClipProbe(i, clip, await probe) };
    }),
  );
}

/** Runs one FFmpeg process that decodes clips; a failure that names one of them becomes an
 *  error that names its shot. */
async function runWithClips(args: string[], clips: ClipRunInput[], options: Parameters<typeof runFfmpeg>[1]) {
  try {
    return await runFfmpeg(args, options);
  } catch (error) {
    // A cancel or a time limit is not the clip's fault.
    if (!(error instanceof FfmpegError) || error.code === null) throw error;
    const clip = blameClip(error.stderr, clips);
    throw clip ? clipRunError(clip, error.stderr) : error;
  }
}

/**
 * Renders the segments (cached ones are reused), the audio, and joins them. Runs up to
 * `parallel` FFmpeg processes at once; progress counts frames done across segments.
 */
async function renderSegments(job: RenderJob, cache: SegmentCache, settings: FormatSettings, plan: Segment[]) {
  const { state, spec, timing, work, visuals: inputs, signal, log, options, timeLeft } = job;
  await cache.open();
  const started = performance.now();
  // Each shot's still or clip, hashed once per file (a clip may serve several shots).
  const hashes = new Map<string, Promise<string>>();
  const hashOnce = (file: string) => hashes.get(file) ?? hashes.set(file, hashFile(file)).get(file)!;
  const clips = inputs.clips ?? [];
  const imageHashes = await Promise.all(spec.scenes.map((_, i) => hashOnce(inputs.images[i] ?? clips[i]!.file)));
  const insets = inputs.insets ?? [];
  const insetHashes = await Promise.all(insets.map((file) => (file ? hashFile(file) : null)));
  const watermarkImageHash = inputs.watermarkImage ? await hashFile(inputs.watermarkImage) : null;
  const fontsDir = inputs.fontsDir ?? null;
  const fontHash = fontsDir ? await hashFile(path.join(fontsDir, CAPTION_FONT_FILE)) : null;
  const watermarkTextFile = inputs.watermarkTextFile ?? null;
  const parallel = options.parallel ?? Math.max(1, os.availableParallelism());
  // The cores split between the processes that run at once (formats.ts encoderThreadArgs).
  const video = { ...settings.video, videoArgs: [...settings.video.videoArgs, ...encoderThreadArgs(settings.video.name, parallel)] };
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
  // The quality measures in pieces: each segment's detector marks, and the encoded sound alone.
  // They see the frames before the encoder: a hardware encoder that wrote broken frames
  // without failing would pass them, so its renders are measured in the joined file instead.
  const inPieces = settings.video.name === "libx264";
  const marks: (SegmentMarks | null)[] = plan.map(() => null);
  let sound: RenderQuality | null = null;
  /** The marks of a segment cached without them, measured from its file and kept with it. */
  const measureCached = async (index: number, file: string) => {
    const segment = plan[index]!;
    const marksFile = path.join(work, `segment-${index}.marks.txt`);
    try {
      await runFfmpeg(buildSegmentMarksArgs(file, spec.fps, segment.frames, marksFile), {
        signal,
        timeoutMs: timeLeft(),
        onSpawn: recordPid(work, `marks-${index}`),
      });
      const measured = await readSegmentMarks(marksFile, segment.frames / spec.fps);
      await cache.keepMarks(file, measured);
      return measured;
    } catch (error) {
      if (signal.aborted) throw error;
      log.warn("cached segment's marks not measured, measuring the joined file", { segment: index, error: (error as Error).message.slice(0, 300) });
      return null;
    }
  };
  // The growing preview, when the app asked for one: told of the audio and of each segment.
  const preview = spec.output.preview
    ? new PreviewPublisher({
        storage: options.storage,
        prefix: spec.output.preview,
        plan,
        fps: spec.fps,
        scenes: spec.scenes.length,
        work,
        startedAt: job.started,
        signal,
        log,
        timeLeft,
      })
    : null;
  const onSegmentDone = (index: number, file: string) => preview?.segmentDone(index, file);
  // Each still decoded and fitted once, when the first segment that shows it is rendered (a
  // cached segment needs none): a transition shows two, so each is read by two or three runs.
  const prepared = new Map<number, Promise<PreparedStill>>();
  const prepare = (scene: number) => {
    let still = prepared.get(scene);
    if (!still) {
      const file = path.join(work, `still-${scene}.yuv`);
      const fit = stillFit(spec.scenes[scene]!, spec);
      still = runFfmpeg(buildStillPrepArgs(inputs.images[scene]!, fit, file), {
        signal,
        timeoutMs: timeLeft(),
        onSpawn: recordPid(work, `still-${scene}`),
      }).then(() => ({ file, width: fit.width, height: fit.height }));
      prepared.set(scene, still);
    }
    return still;
  };
  const ranks = startRanks(plan);
  const tasks: (() => Promise<void>)[] = [
    async () => {
      const { mix } = await job.mixAudio();
      await runFfmpeg(buildAudioEncodeArgs(mix, settings.audioArgs, audioFile), { signal, timeoutMs: timeLeft(), onSpawn: recordPid(work, "audio") });
      preview?.audioDone(audioFile);
      if (!inPieces) return;
      sound = await measureQuality(audioFile, timing.totalSec, { video: false, signal, timeoutMs: timeLeft(), onSpawn: recordPid(work, "quality") }).catch(
        (error: Error) => {
          if (signal.aborted) throw error;
          log.warn("sound not measured, measuring the joined file", { error: error.message.slice(0, 300) });
          return null;
        },
      );
    },
    // The first half in playback order (for the preview), the rest longest first
    // (preview.ts startRanks); the join still lists them in timeline order.
    ...[...plan.keys()]
      .sort((a, b) => ranks[a]! - ranks[b]!)
      .map((index) => async () => {
        const segment = plan[index]!;
        // Keyed by the settings without the thread count: workers with other cores share segments
        // (the frames do not depend on it, and pieces made with other counts join the same).
        const key = segmentKey(spec, timing, segment, { imageHashes, insetHashes, watermarkImageHash, clips, fontHash }, settings.video);
        const file = cache.fileFor(key);
        files[index] = file;
        if (await cache.reuse(file)) {
          marks[index] = inPieces ? ((await cache.marks(file)) ?? (await measureCached(index, file))) : null;
          cached++;
          cachedFrames += segment.frames;
          done.set(index, segment.frames);
          onSegmentDone(index, file);
          return report();
        }
        // The segment's stills, by scene as the images are (null for another scene's or a clip).
        const stills = await Promise.all(spec.scenes.map((s, i) => (segment.scenes.includes(i) && !s.clip && inputs.images[i] ? prepare(i) : null)));
        const ass = segmentAss(spec, segment);
        const captionsFile = ass ? path.join(work, `segment-${index}.ass`) : null;
        if (captionsFile) await writeFile(captionsFile, ass!, "utf8");
        const output = path.join(work, `segment-${index}.mp4`);
        const marksFile = inPieces ? path.join(work, `segment-${index}.marks.txt`) : null;
        const args = buildSegmentArgs(
          spec,
          timing,
          segment,
          {
            images: inputs.images,
            imageHashes,
            clips,
            insets,
            insetHashes,
            captionsFile,
            fontsDir,
            fontHash,
            watermarkTextFile,
            watermarkImage: inputs.watermarkImage ?? null,
            watermarkImageHash,
            output,
            marksFile,
            prepared: stills,
          },
          video,
        );
        // The segment's clips, by their input index (each of its shots is input k).
        const segmentClips = segment.scenes.flatMap((i, k) =>
          spec.scenes[i]!.clip && clips[i] ? [{ index: k, file: clips[i]!.file, shot: i, key: spec.scenes[i]!.clip!.key }] : [],
        );
        let written: number | null = null;
        await runWithClips(args, segmentClips, {
          signal,
          timeoutMs: timeLeft(),
          onSpawn: recordPid(work, String(index)),
          onProgress: (p) => {
            if (p.frames !== null) written = p.frames;
            done.set(index, Math.min(segment.frames, Math.round(p.outTimeSec * spec.fps)));
            report();
          },
        });
        // A damaged clip can end before its index says: its segment comes out short.
        if (segmentClips.length && written !== null && written < segment.frames) {
          const shots = segmentClips.map((c) => clipLabel(c.shot, c.key)).join(" or ");
          throw new ClipError(`${shots} ended early: ${written} of the segment's ${segment.frames} frames were decoded`);
        }
        done.set(index, segment.frames);
        report();
        marks[index] = marksFile
          ? await readSegmentMarks(marksFile, segment.frames / spec.fps).catch((error: Error) => {
              log.warn("segment's marks not read, measuring the joined file", { segment: index, error: error.message.slice(0, 300) });
              return null;
            })
          : null;
        await cache.put(output, file, marks[index]);
        onSegmentDone(index, file);
      }),
  ];
  await runLimited(tasks, parallel);
  const list = path.join(work, "segments.txt");
  await writeFile(list, concatList(files), "utf8");
  // The poster is cut from the segment that holds its frame (the join copies the frames as
  // they are) while the join runs.
  const frame = posterFrame(timing, spec.fps);
  const held = plan.findLastIndex((segment) => segment.startFrame <= frame);
  await allDone([
    runFfmpeg(buildJoinArgs(list, audioFile, inputs.chaptersFile ?? null, inputs.output, timing.totalFrames), {
      signal,
      timeoutMs: timeLeft(),
      onSpawn: recordPid(work, "join"),
    }),
    runFfmpeg(buildPosterArgs(files[held]!, (frame - plan[held]!.startFrame) / spec.fps, job.posterFile), {
      signal,
      timeoutMs: 60_000,
      onSpawn: recordPid(work, "poster"),
    }),
    // The preview's last files and its end mark, while the join runs.
    preview ? preview.finish() : Promise.resolve(),
  ]);
  job.previewReadyMs = preview?.readyMs ?? undefined;
  log.info("segments joined", { segments: plan.length, cached, elapsedSec: Math.round((performance.now() - started) / 100) / 10 });
  await cache.prune().catch((error: Error) => log.warn("cache prune failed", { error: error.message }));
  const pieces = marks.every((m) => m !== null) ? marks.map((m, i) => ({ startSec: plan[i]!.startFrame / spec.fps, marks: m })) : null;
  const quality: RenderQuality | null = sound && pieces ? { ...(sound as RenderQuality), ...joinSegmentMarks(pieces) } : null;
  return { total: plan.length, cached, quality };
}

/** One or two FFmpeg runs with the given settings; progress covers all passes. */
async function encode(job: RenderJob, settings: FormatSettings) {
  const { state, spec, timing, work, signal, timeLeft } = job;
  const inputs: RenderInputs = { ...job.visuals, audio: (await job.mixAudio()).mix };
  const started = performance.now();
  const encoder = settings.video;
  const passes: (PassOptions | undefined)[] =
    encoder.passes === 2 ? [1, 2].map((pass) => ({ pass: pass as 1 | 2, logFile: path.join(work, "pass") })) : [undefined];
  for (const [index, pass] of passes.entries()) {
    const { args } = buildRenderArgs(spec, inputs, settings, pass);
    // Each shot is input i (its still or its clip).
    const clips = spec.scenes.flatMap((s, i) => (s.clip && inputs.clips?.[i] ? [{ index: i, file: inputs.clips[i]!.file, shot: i, key: s.clip.key }] : []));
    await runWithClips(args, clips, {
      signal,
      timeoutMs: timeLeft(),
      onSpawn: recordPid(work, "encode"),
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

/** Runs tasks, at most `limit` at once; the first failure stops new ones and is thrown. */
async function runLimited(tasks: (() => Promise<void>)[], limit: number) {
  const limited = pLimit(limit);
  let failed: unknown = null;
  // After the first failure no further task starts; the running ones finish, then it throws.
  const run = async (task: () => Promise<void>) => {
    if (failed !== null) return;
    try {
      await task();
    } catch (error) {
      failed ??= error;
    }
  };
  await Promise.all(tasks.map((task) => limited(() => run(task))));
  if (failed !== null) throw failed;
}
