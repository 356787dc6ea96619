// The growing preview: while a segmented render runs, each finished segment is muxed with its
// stretch of the mixed narration into an MPEG-TS file (both copied, nothing re-encoded) and
// added to an HLS event playlist in storage, in playback order, so that a player can start at
// the first scene while later ones still render; the playlist gets its end mark once the last
// segment is in. The audio is encoded once for the whole video and cut at the segments' starts
// by FFmpeg's segment muxer, which splits between AAC packets and keeps their timestamps: the
// pieces follow each other without a gap or an overlap. Every file keeps the video's own
// timeline (shifted by PTS_OFFSET_SEC, so that no decode time is negative), so a player joins
// them as one stream. A preview that fails is logged and given up; the render goes on.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { PREVIEW_PLAYLIST, PREVIEW_STATUS, previewChunkName, type PreviewStatus, type Segment } from "@aura/render-contract";
import { runFfmpeg } from "./ffmpeg.ts";
import type { Logger } from "./log.ts";
import { recordPid } from "./renders/orphan-sweep.ts";
import type { WorkerStorage } from "./storage.ts";

/** Every file's timestamps start here: B-frames give the first frames decode times a little
 *  before their presentation times, which must not fall below zero in MPEG-TS. */
export const PTS_OFFSET_SEC = 10;

/**
 * When each segment of the plan starts (its rank: 0 first): the first half in playback order,
 * so that the preview can begin early and keeps ahead of a viewer, then the rest longest
 * first, so that short transitions fill the gaps at the end instead of a long body running
 * alone (a viewer who started at the first segment reaches those after they are done at any
 * render speed faster than real time).
 */
export function startRanks(plan: Segment[]): number[] {
  const half = Math.ceil(plan.length / 2);
  const rest = [...plan.keys()].slice(half).sort((a, b) => plan[b]!.frames - plan[a]!.frames || a - b);
  const ranks: number[] = [];
  for (const [rank, index] of [...[...plan.keys()].slice(0, half), ...rest].entries()) ranks[index] = rank;
  return ranks;
}

/** Cuts the encoded audio at the segments' starts (seconds, after the first): one MPEG-TS file
 *  per segment, `pattern` numbered from 0. (The offset is given to the input: given to the
 *  segment muxer's output instead, it packs a piece's whole audio into one PES packet, of
 *  which hls.js plays only the first frame.) */
export function buildAudioSplitArgs(audioFile: string, startsSec: number[], pattern: string) {
  const args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-itsoffset", String(PTS_OFFSET_SEC), "-i", audioFile, "-map", "0:a", "-c", "copy"];
  args.push("-copyts", "-muxdelay", "0", "-muxpreload", "0", "-f", "segment", "-segment_format", "mpegts");
  if (startsSec.length) args.push("-segment_times", startsSec.map((s) => (PTS_OFFSET_SEC + s).toFixed(6)).join(","));
  args.push(pattern);
  return args;
}

/** A preview file to make: a segment's video at its place in the timeline and its piece of the audio. */
export type PreviewChunk = { videoFile: string; audioPiece: string; startSec: number; output: string };

/** The preview files of several segments in one FFmpeg run (each run costs about 0.2 s of CPU
 *  to start, more than muxing a file): each segment's video at its place in the timeline and
 *  its piece of the audio, both copied. */
export function buildChunkArgs(chunks: PreviewChunk[]) {
  const args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-copyts"];
  for (const chunk of chunks) args.push("-itsoffset", (PTS_OFFSET_SEC + chunk.startSec).toFixed(6), "-i", chunk.videoFile, "-i", chunk.audioPiece);
  for (const [k, chunk] of chunks.entries()) {
    args.push("-map", `${2 * k}:v`, "-map", `${2 * k + 1}:a`, "-c", "copy", "-muxdelay", "0", "-muxpreload", "0", "-f", "mpegts", chunk.output);
  }
  return args;
}

/** The most preview files one FFmpeg run makes: a video of many scenes can have dozens ready at
 *  once (the transitions rendered last), and each file is two inputs. */
export const PREVIEW_BATCH_MAX = 32;

/** The positions from `first` on that are rendered, without a gap, at most `max` of them. */
export function readyRun(first: number, isRendered: (position: number) => boolean, max: number) {
  const run: number[] = [];
  while (run.length < max && isRendered(first + run.length)) run.push(first + run.length);
  return run;
}

/** The HLS event playlist of the first `durations.length` files; `ended` adds the end mark. */
export function buildPlaylist(durations: number[], targetSec: number, ended: boolean) {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:3", `#EXT-X-TARGETDURATION:${Math.ceil(targetSec)}`, "#EXT-X-MEDIA-SEQUENCE:0", "#EXT-X-PLAYLIST-TYPE:EVENT"];
  for (const [i, d] of durations.entries()) lines.push(`#EXTINF:${d.toFixed(6)},`, previewChunkName(i));
  if (ended) lines.push("#EXT-X-ENDLIST");
  return `${lines.join("\n")}\n`;
}

type PublisherOptions = {
  storage: WorkerStorage;
  /** The storage prefix the preview goes under (the spec's `output.preview`). */
  prefix: string;
  plan: Segment[];
  fps: number;
  scenes: number;
  /** The render's temp directory. */
  work: string;
  /** performance.now() at the render's start, for `readyMs`. */
  startedAt: number;
  signal: AbortSignal;
  log: Logger;
  timeLeft: () => number;
};

/** Publishes one render's preview as its audio and segments finish (in any order). */
export class PreviewPublisher {
  /** Milliseconds from the render's start to the first playable file in the playlist. */
  readyMs: number | null = null;
  private readonly dir: string;
  private readonly rendered = new Map<number, string>();
  private audioPieces = false;
  private published = 0;
  private failed = false;
  private queue: Promise<void>;

  constructor(private readonly o: PublisherOptions) {
    this.dir = path.join(o.work, "preview");
    // An earlier attempt's files must not show in this one's playlist.
    this.queue = this.run(async () => {
      await mkdir(this.dir, { recursive: true });
      await o.storage.store.deletePrefix(o.prefix);
    });
  }

  /** The whole video's encoded audio is ready. */
  audioDone(file: string) {
    this.queue = this.queue.then(() =>
      this.run(async () => {
        const starts = this.o.plan.slice(1).map((s) => s.startFrame / this.o.fps);
        await runFfmpeg(buildAudioSplitArgs(file, starts, path.join(this.dir, "audio-%05d.ts")), {
          signal: this.o.signal,
          timeoutMs: this.o.timeLeft(),
          onSpawn: recordPid(this.o.work, "preview-audio"),
        });
        this.audioPieces = true;
        this.o.log.info("preview audio cut", { atMs: Math.round(performance.now() - this.o.startedAt), segmentsRendered: this.rendered.size });
        await this.publishReady();
      }),
    );
  }

  /** The segment at this index of the plan is rendered (or found in the cache) in this file. */
  segmentDone(index: number, file: string) {
    this.rendered.set(index, file);
    this.queue = this.queue.then(() => this.run(() => this.publishReady()));
  }

  /** Waits for every file to be published and marks the playlist complete. */
  async finish() {
    await this.queue;
    await this.run(async () => {
      if (this.published < this.o.plan.length) throw new Error(`${this.published} of ${this.o.plan.length} segments were published`);
      await this.write(true);
    });
    if (!this.failed) this.o.log.info("preview complete", { segments: this.o.plan.length, readyMs: this.readyMs });
  }

  /** Runs a step of the preview unless it has failed: a failure is logged once and stops it. */
  private async run(step: () => Promise<void>) {
    if (this.failed || this.o.signal.aborted) return;
    try {
      await step();
    } catch (error) {
      if (this.o.signal.aborted) return;
      this.failed = true;
      this.o.log.warn("preview given up", { error: (error as Error).message.slice(0, 300) });
    }
  }

  /** Publishes every file whose segment and audio are ready, in playback order, made in FFmpeg
   *  runs of up to PREVIEW_BATCH_MAX files, each followed by the playlist and the status (a
   *  player can start after the first). A transition is shorter than the body before it and
   *  starts with it, so it is usually done first and the two go out together. */
  private async publishReady() {
    let batches = 0;
    for (; ; batches++) {
      const ready = this.audioPieces ? readyRun(this.published, (i) => this.rendered.has(i), PREVIEW_BATCH_MAX) : [];
      if (!ready.length) break;
      const chunks = ready.map((position) => ({
        videoFile: this.rendered.get(position)!,
        audioPiece: path.join(this.dir, `audio-${String(position).padStart(5, "0")}.ts`),
        startSec: this.o.plan[position]!.startFrame / this.o.fps,
        output: path.join(this.dir, previewChunkName(position)),
      }));
      await runFfmpeg(buildChunkArgs(chunks), {
        signal: this.o.signal,
        timeoutMs: this.o.timeLeft(),
        onSpawn: recordPid(this.o.work, `preview-${ready[0]}`),
      });
      for (const [k, position] of ready.entries()) await this.o.storage.putFile(`${this.o.prefix}/${previewChunkName(position)}`, chunks[k]!.output);
      this.published += ready.length;
      this.readyMs ??= Math.round(performance.now() - this.o.startedAt);
      await this.write(false);
    }
    // A segment rendered out of order still shows in the status.
    if (!batches) await this.write(false);
  }

  /** Writes the playlist of the published files (none before the first), then the status. */
  private async write(ended: boolean) {
    const { plan, fps, prefix, storage } = this.o;
    if (this.published > 0) {
      const durations = plan.slice(0, this.published).map((s) => s.frames / fps);
      const target = Math.max(...plan.map((s) => s.frames / fps));
      const playlist = path.join(this.dir, PREVIEW_PLAYLIST);
      await writeFile(playlist, buildPlaylist(durations, target, ended), "utf8");
      await storage.putFile(`${prefix}/${PREVIEW_PLAYLIST}`, playlist);
    }
    const status = path.join(this.dir, PREVIEW_STATUS);
    await writeFile(status, JSON.stringify(previewStatus(plan, fps, this.o.scenes, new Set(this.rendered.keys()), this.published, ended)), "utf8");
    await storage.putFile(`${prefix}/${PREVIEW_STATUS}`, status);
  }
}

/** What the status document says: a scene is rendered when its body is, and playable when the
 *  playlist reaches past its body. */
export function previewStatus(plan: Segment[], fps: number, scenes: number, rendered: Set<number>, published: number, ended: boolean): PreviewStatus {
  const sceneStates = Array.from({ length: scenes }, (_, scene): PreviewStatus["sceneStates"][number] => {
    const body = plan.findIndex((s) => s.kind === "body" && s.scenes[0] === scene);
    if (body >= 0 && body < published) return "playable";
    return rendered.has(body) ? "rendered" : "waiting";
  });
  const playable = sceneStates.findIndex((s) => s !== "playable");
  return {
    scenes,
    playableScenes: playable < 0 ? scenes : playable,
    sceneStates,
    segments: plan.length,
    published,
    playableSec: plan.slice(0, published).reduce((sum, s) => sum + s.frames / fps, 0),
    totalSec: plan.reduce((sum, s) => sum + s.frames / fps, 0),
    ended,
  };
}
