// Rendering in segments: each scene's body (the frames outside transitions) and each
// transition is its own short FFmpeg run, run in parallel; the audio is mixed once; the
// pieces are joined with the concat demuxer without re-encoding. A segment's file is cached
// under a hash of everything that goes into it, so editing one scene re-renders only that
// scene's body, its transitions, the audio and the join. Pure planning here; renders.ts runs it.
import { createHash } from "node:crypto";
import { buildAssFile } from "./captions.ts";
import { audioParts, overlayParts, stillChain, XFADE } from "./build-command.ts";
import type { FormatSettings } from "./formats.ts";
import type { RenderSpec } from "./spec.ts";
import type { TimelineTiming } from "./timeline.ts";

/** Bumped whenever what a segment's arguments produce changes, so old cache entries miss. */
export const SEGMENT_VERSION = 1;

export type Segment = {
  kind: "body" | "transition";
  /** Scenes it shows: one for a body, two (from, to) for a transition. */
  scenes: number[];
  /** Frames of each scene it starts from. */
  offsets: number[];
  frames: number;
  /** Its first frame in the whole video. */
  startFrame: number;
};

/**
 * The segments of a timeline, in order, or null when it cannot be cut into them (a scene
 * shorter than its two transitions: they would overlap).
 */
export function planSegments(timing: TimelineTiming): Segment[] | null {
  const T = timing.transitionFrames;
  const n = timing.scenes.length;
  const out: Segment[] = [];
  for (let i = 0; i < n; i++) {
    const s = timing.scenes[i]!;
    const from = i > 0 ? T : 0;
    const to = i < n - 1 ? s.frames - T : s.frames;
    if (to - from < 1) return null;
    out.push({ kind: "body", scenes: [i], offsets: [from], frames: to - from, startFrame: s.startFrame + from });
    if (i < n - 1 && T > 0) out.push({ kind: "transition", scenes: [i, i + 1], offsets: [s.frames - T, 0], frames: T, startFrame: timing.scenes[i + 1]!.startFrame });
  }
  return out;
}

const ms = (sec: number) => Math.round(sec * 1000) / 1000;

/** The caption cues that show during a segment, in the segment's own time. */
export function segmentCues(spec: RenderSpec, segment: Segment) {
  if (!spec.captions.enabled) return [];
  const start = segment.startFrame / spec.fps;
  const end = (segment.startFrame + segment.frames) / spec.fps;
  return spec.captions.cues
    .filter((c) => c.end > start && c.start < end)
    // Rounded to the millisecond: the same cue shifted by another scene's new length must give
    // the same numbers (and the same cache key), not ones that differ in the 15th digit.
    .map((c) => ({
      start: ms(Math.max(0, c.start - start)),
      end: ms(Math.min(end, c.end) - start),
      text: c.text,
      ...(c.words ? { words: c.words.map((w) => ({ text: w.text, start: ms(Math.max(0, w.start - start)), end: ms(Math.max(0, w.end - start)) })) } : {}),
    }));
}

export type SegmentFiles = {
  images: string[];
  /** sha256 of each scene's image, for the cache key. */
  imageHashes: string[];
  captionsFile: string | null;
  watermarkTextFile: string | null;
  watermarkImage: string | null;
  watermarkImageHash: string | null;
  output: string;
};

/** A hash of everything that decides a segment's pixels and encoding. */
export function segmentKey(spec: RenderSpec, timing: TimelineTiming, segment: Segment, files: Pick<SegmentFiles, "imageHashes" | "watermarkImageHash">, video: FormatSettings["video"]) {
  const payload = {
    v: SEGMENT_VERSION,
    size: [spec.width, spec.height, spec.fps],
    kind: segment.kind,
    frames: segment.frames,
    scenes: segment.scenes.map((i, k) => ({ image: files.imageHashes[i], motion: spec.scenes[i]!.motion, sceneFrames: timing.scenes[i]!.frames, offset: segment.offsets[k] })),
    transition: segment.kind === "transition" ? spec.transition.kind : null,
    cues: segmentCues(spec, segment),
    captionStyle: spec.captions.enabled ? spec.captions.style : null,
    watermark: spec.watermark ? { ...spec.watermark, image: files.watermarkImageHash } : null,
    video: { name: video.name, args: video.videoArgs, tail: video.filterTail, input: video.inputArgs },
  };
  return createHash("sha256").update(JSON.stringify(payload)).digest("hex");
}

const fmt = (n: number) => Number(n.toFixed(6)).toString();

/** One segment's FFmpeg arguments: video only, starting with a keyframe. */
export function buildSegmentArgs(spec: RenderSpec, timing: TimelineTiming, segment: Segment, files: SegmentFiles, video: FormatSettings["video"]) {
  const args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats", ...video.inputArgs];
  for (const i of segment.scenes) args.push("-i", files.images[i]!);
  const watermarkInput = files.watermarkImage ? segment.scenes.length : null;
  if (files.watermarkImage) args.push("-i", files.watermarkImage);
  const chains = segment.scenes.map((scene, k) => stillChain(`${k}:v`, spec.scenes[scene]!, spec, timing.scenes[scene]!.frames, segment.frames, segment.offsets[k], `s${k}`));
  let last = "s0";
  if (segment.kind === "transition") {
    chains.push(`[s0][s1]xfade=transition=${XFADE[spec.transition.kind]}:duration=${fmt(segment.frames / spec.fps)}:offset=0[x]`);
    last = "x";
  }
  const overlay = overlayParts(spec, { captionsFile: files.captionsFile, watermarkTextFile: files.watermarkTextFile, watermarkInput }, last);
  // No fps filter here: it drops a short stream's last frames at its end, and the frames are
  // already at the right rate (setpts N/fps).
  const graph = [...chains, ...overlay.parts, `[${overlay.last}]format=yuv420p${video.filterTail}[vout]`].join(";\n");
  args.push("-filter_complex", graph, "-map", "[vout]", ...video.videoArgs, "-r", String(spec.fps), "-g", String(spec.fps * 2));
  args.push("-frames:v", String(segment.frames), "-an", "-f", "mp4", files.output);
  return args;
}

/** The audio of the whole video, mixed once, as AAC in an M4A file. */
export function buildAudioArgs(spec: RenderSpec, timing: TimelineTiming, inputs: { narrations: (string | null)[]; narrationGainDb?: number[]; musicFile: string | null }, audioArgs: string[], output: string) {
  const args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats"];
  for (const narration of inputs.narrations) if (narration) args.push("-i", narration);
  if (spec.music?.source.kind === "asset") {
    if (!inputs.musicFile) throw new Error("the spec asks for a music file but none was given");
    args.push("-stream_loop", "-1", "-i", inputs.musicFile);
  }
  args.push("-filter_complex", audioParts(spec, inputs, timing, 0).join(";\n"), "-map", "[aout]", ...audioArgs, "-t", fmt(timing.totalSec), "-vn", "-f", "mp4", output);
  return args;
}

/** Joins the segments (listed in a concat file) with the audio, copying both. */
export function buildJoinArgs(listFile: string, audioFile: string, chaptersFile: string | null, output: string, totalFrames: number) {
  const args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", listFile, "-i", audioFile];
  if (chaptersFile) args.push("-f", "ffmetadata", "-i", chaptersFile);
  args.push("-map", "0:v", "-map", "1:a", ...(chaptersFile ? ["-map_chapters", "2"] : []), "-c", "copy", "-frames:v", String(totalFrames), "-movflags", "+faststart", "-f", "mp4", output);
  return args;
}

/** The concat demuxer's list: absolute paths, quoted as its syntax requires. */
export function concatList(files: string[]) {
  return files.map((f) => `file '${f.replaceAll("'", "'\\''")}'`).join("\n") + "\n";
}

/** The segment's own captions file contents (cues shifted to the segment's time), or null. */
export function segmentAss(spec: RenderSpec, segment: Segment) {
  const cues = segmentCues(spec, segment);
  return cues.length ? buildAssFile(cues, spec.width, spec.height, spec.captions.style) : null;
}
