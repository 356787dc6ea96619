// Rendering in segments: each scene's body (the frames outside transitions) and each
// transition is its own short FFmpeg run, run in parallel; the audio is mixed once; the
// pieces are joined with the concat demuxer without re-encoding. A segment's file is cached
// under a hash of everything that goes into it, so editing one scene re-renders only that
// scene's body, its transitions, the audio and the join. Pure planning here; renders/render-job.ts runs it.
// (A transition is not folded into the body after it: FFmpeg 5.1's xfade keeps blending every
// frame of its second input after the transition ends, which made such a segment cost more
// than a separate 15-frame run: 4.0 s of CPU against 3.4 s, measured with render-worker/bench/render.ts.)
import { createHash } from "node:crypto";
import type { RenderSpec, Segment, TimelineTiming } from "@aura/render-contract";
import { buildAssFile, type PlacedOverlay } from "./captions.ts";
import { overlayParts, type PreparedStill, segmentChains, shotInputArgs } from "./build-command.ts";
import type { ClipInput } from "./clips.ts";
import type { FormatSettings } from "./formats.ts";
import { segmentDetectParts } from "./quality-report.ts";

/** Bumped whenever what a segment's arguments produce changes, so old cache entries miss
 *  (3: text in Noto faces per language, lines broken by the worker, the watermark by libass;
 *  4: titles fitted, text in the safe area, captions above a player's controls). */
export const SEGMENT_VERSION = 4;

export { planSegments, type Segment } from "@aura/render-contract";

const ms = (sec: number) => Math.round(sec * 1000) / 1000;

/** The caption cues that show during a segment, in the segment's own time. */
export function segmentCues(spec: RenderSpec, segment: Segment) {
  if (!spec.captions.enabled) return [];
  const start = segment.startFrame / spec.fps;
  const end = (segment.startFrame + segment.frames) / spec.fps;
  return (
    spec.captions.cues
      .filter((c) => c.end > start && c.start < end)
      // Rounded to the millisecond: the same cue shifted by another scene's new length must give
      // the same numbers (and the same cache key), not ones that differ in the 15th digit.
      .map((c) => ({
        start: ms(Math.max(0, c.start - start)),
        end: ms(Math.min(end, c.end) - start),
        text: c.text,
        ...(c.words ? { words: c.words.map((w) => ({ text: w.text, start: ms(Math.max(0, w.start - start)), end: ms(Math.max(0, w.end - start)) })) } : {}),
      }))
  );
}

/** The titles and lower thirds that show during a segment, in the segment's own time; each
 *  keeps its whole span (`from`, `to`) so its animation continues across the cut. */
export function segmentOverlays(spec: RenderSpec, segment: Segment): PlacedOverlay[] {
  const start = segment.startFrame / spec.fps;
  const end = (segment.startFrame + segment.frames) / spec.fps;
  return spec.overlays
    .filter((o) => o.end > start && o.start < end)
    .map((o) => ({ ...o, start: ms(Math.max(0, o.start - start)), end: ms(Math.min(end, o.end) - start), from: ms(o.start - start), to: ms(o.end - start) }));
}

export type SegmentFiles = {
  /** Each shot's still, or null for a clip shot. */
  images: (string | null)[];
  /** sha256 of each shot's still or clip file, for the cache key. */
  imageHashes: (string | null)[];
  /** Each clip shot's file and what ffprobe found in it, or null for a still. */
  clips?: (ClipInput | null)[];
  /** Each scene's inset picture and its sha256, or null. */
  insets: (string | null)[];
  insetHashes: (string | null)[];
  captionsFile: string | null;
  /** The captions' own font's folder and the font's sha256, or null. */
  fontsDir?: string | null;
  fontHash?: string | null;
  watermarkTextFile: string | null;
  watermarkImage: string | null;
  watermarkImageHash: string | null;
  output: string;
  /** Where the black and freeze detectors write their marks (quality-report.ts
   *  segmentDetectParts), or null to leave them out. */
  marksFile?: string | null;
  /** Each still shot's picture decoded and fitted once for the render, or null to read the
   *  still itself. */
  prepared?: (PreparedStill | null)[];
};

/** A hash of everything that decides a segment's pixels and encoding. */
export function segmentKey(
  spec: RenderSpec,
  timing: TimelineTiming,
  segment: Segment,
  files: Pick<SegmentFiles, "imageHashes" | "insetHashes" | "watermarkImageHash" | "clips" | "fontHash">,
  video: FormatSettings["video"],
) {
  const payload = {
    v: SEGMENT_VERSION,
    size: [spec.width, spec.height, spec.fps],
    kind: segment.kind,
    frames: segment.frames,
    // The language picks the faces, the line breaks and the direction of every drawn text.
    language: spec.language,
    scenes: segment.scenes.map((i, k) => {
      const scene = spec.scenes[i]!;
      const inset = scene.inset ? { ...scene.inset, image: files.insetHashes[i] } : null;
      // A clip's frames depend on its file, where it starts, how it fits and its length (where
      // a loop begins again); not on motion (clips have none) nor on its sound (mixed apart).
      if (scene.clip) {
        const { start, fit } = scene.clip;
        return { clip: { file: files.imageHashes[i], start, fit, durationSec: files.clips?.[i]?.info.durationSec }, inset, offset: segment.offsets[k] };
      }
      return { image: files.imageHashes[i], motion: scene.motion, inset, sceneFrames: timing.scenes[i]!.frames, offset: segment.offsets[k] };
    }),
    transition: segment.kind === "transition" ? spec.transition.kind : null,
    cues: segmentCues(spec, segment),
    overlays: segmentOverlays(spec, segment),
    // A caption font by its bytes, not its key: another font under the same key misses.
    captionStyle: spec.captions.enabled ? { ...spec.captions.style, ...(spec.captions.style.fontKey ? { fontKey: files.fontHash ?? "missing" } : {}) } : null,
    watermark: spec.watermark ? { ...spec.watermark, image: files.watermarkImageHash } : null,
    video: { name: video.name, args: video.videoArgs, tail: video.filterTail, input: video.inputArgs },
  };
  return createHash("sha256").update(JSON.stringify(payload)).digest("hex");
}

/** One segment's FFmpeg arguments: video only, starting with a keyframe. */
export function buildSegmentArgs(spec: RenderSpec, timing: TimelineTiming, segment: Segment, files: SegmentFiles, video: FormatSettings["video"]) {
  const args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats", ...video.inputArgs];
  // Inputs: the scenes' pictures (a still, or its clip from this segment's first frame), their
  // insets, the watermark image.
  let inputs = segment.scenes.length;
  const input = (file: string) => {
    args.push("-i", file);
    return inputs++;
  };
  const prepared = segment.scenes.map((i) => (spec.scenes[i]!.clip ? null : (files.prepared?.[i] ?? null)));
  for (const [k, i] of segment.scenes.entries()) args.push(...shotInputArgs(spec, files, i, segment.offsets[k]!, segment.frames, prepared[k]));
  const insetLabels = segment.scenes.map((i) => (spec.scenes[i]!.inset && files.insets[i] ? `${input(files.insets[i]!)}:v` : null));
  const watermarkInput = files.watermarkImage ? input(files.watermarkImage) : null;
  const chains = segmentChains(
    spec,
    timing,
    segment,
    segment.scenes.map((_, k) => `${k}:v`),
    "x",
    insetLabels,
    [],
    files.clips,
    prepared.map((p) => p !== null),
  );
  const last = "x";
  const overlay = overlayParts(
    spec,
    { captionsFile: files.captionsFile, fontsDir: files.fontsDir ?? null, watermarkTextFile: files.watermarkTextFile, watermarkInput },
    last,
  );
  // No fps filter here: it drops a short stream's last frames at its end, and the frames are
  // already at the right rate (setpts N/fps).
  const detect = files.marksFile ? segmentDetectParts(spec.fps, segment.frames, files.marksFile) : null;
  const tail = detect
    ? [`[${overlay.last}]format=yuv420p,split[enc][marks]`, `[enc]null${video.filterTail}[vout]`, ...detect.graph]
    : [`[${overlay.last}]format=yuv420p${video.filterTail}[vout]`];
  const graph = [...chains, ...overlay.parts, ...tail].join(";\n");
  args.push("-filter_complex", graph, "-map", "[vout]", ...video.videoArgs, "-r", String(spec.fps), "-g", String(spec.fps * 2));
  args.push("-frames:v", String(segment.frames), "-an", "-f", "mp4", files.output);
  if (detect) args.push(...detect.output);
  return args;
}

/** Joins the segments (listed in a concat file) with the audio, copying both. */
export function buildJoinArgs(listFile: string, audioFile: string, chaptersFile: string | null, output: string, totalFrames: number) {
  const args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", "concat", "-safe", "0", "-i", listFile, "-i", audioFile];
  if (chaptersFile) args.push("-f", "ffmetadata", "-i", chaptersFile);
  args.push(
    "-map",
    "0:v",
    "-map",
    "1:a",
    ...(chaptersFile ? ["-map_chapters", "2"] : []),
    "-c",
    "copy",
    "-frames:v",
    String(totalFrames),
    "-movflags",
    "+faststart",
    "-f",
    "mp4",
    output,
  );
  return args;
}

/** The concat demuxer's list: absolute paths, quoted as its syntax requires. */
export function concatList(files: string[]) {
  return `${files.map((f) => `file '${f.replaceAll("'", "'\\''")}'`).join("\n")}\n`;
}

/** The segment's own captions file contents (cues and overlays shifted to the segment's
 *  time), or null when nothing is drawn in it. */
export function segmentAss(spec: RenderSpec, segment: Segment) {
  const cues = segmentCues(spec, segment);
  const overlays = segmentOverlays(spec, segment);
  return cues.length || overlays.length ? buildAssFile(cues, spec.width, spec.height, spec.captions.style, overlays, spec.language) : null;
}
