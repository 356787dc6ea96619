// Measures a finished render in one FFmpeg pass, so that a silent or broken output is never
// reported as a clean success: the audio goes through ebur128 (integrated loudness, true peak)
// and silencedetect; the video is thinned to 5 frames a second and shrunk to 320 pixels wide
// first and goes through blackdetect and freezedetect. Decoding is then most of the cost: the
// decoder skips the frames no other frame refers to (-skip_frame noref, about 40 % less CPU on
// a 60 s 1080p file, measured), which a 5 fps sample never needed.
// Ken Burns motion keeps stills moving, so freezes are only looked for over 5 s; a still shot
// without motion freezes by design, and the app's report tells those apart by the timeline.
// A render made in segments is measured in pieces instead, without decoding anything again:
// each segment's own FFmpeg run feeds a sample of its frames to the same two detectors
// (segmentDetectParts), the encoded audio is measured alone (audio only: a fraction of a second),
// and the stretches found in the segments are joined across their cuts (joinSegmentMarks). The
// join copies both streams, so the pieces hold the file's very frames and sound.
import { QUALITY_THRESHOLDS as T, renderQualitySchema, type RenderQuality, type Stretch } from "@aura/render-contract";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { escapeFilterValue, fmt } from "./filter-escape.ts";
import { runFfmpeg } from "./ffmpeg.ts";

const SAMPLE_FPS = 5;

const AUDIO_DETECTORS = `ebur128=peak=true:framelog=verbose,silencedetect=n=${T.silenceNoiseDb}dB:d=${fmt(T.silenceMinSec)}`;

/** The pass's arguments: the audio and, unless `video` is false, the thinned video. */
export function buildQualityArgs(file: string, options: { video?: boolean } = {}) {
  const video = options.video !== false;
  const graph = [`[0:a]${AUDIO_DETECTORS}[a]`];
  if (video) {
    graph.push(
      `[0:v]fps=${SAMPLE_FPS},scale=320:-2:flags=fast_bilinear,` +
        `blackdetect=d=${fmt(T.blackMinSec)}:pix_th=${fmt(T.blackPixelThreshold)}:pic_th=0.98,` +
        `freezedetect=n=${T.freezeNoiseDb}dB:d=${fmt(T.freezeMinSec)}[v]`,
    );
  }
  return [
    "-hide_banner",
    "-nostdin",
    "-nostats",
    "-loglevel",
    "info",
    ...(video ? ["-skip_frame", "noref"] : []),
    "-i",
    file,
    "-filter_complex",
    graph.join(";"),
    "-map",
    "[a]",
    ...(video ? ["-map", "[v]"] : []),
    "-f",
    "null",
    "-",
  ];
}

/** The size of the edge pictures (gray, averaged): enough to tell two pictures apart, small
 *  enough to keep beside each segment. */
const EDGE_SIZE = "32:18";
const EDGE_BYTES = 32 * 18;
/** Bumped whenever what the detectors measure in a segment changes (their thresholds, the
 *  sampling, the edge pictures): marks of another version are not reused. */
const MARKS_VERSION = 1;

/**
 * A segment's share of the pass: chains fed from `[marks]`, a copy of its final frames, and the
 * output that goes after the segment's own. Every sixth frame (at 30 fps) and the last, shrunk,
 * go into blackdetect and freezedetect, whose marks go to `marksFile` (metadata=print: the
 * segment's FFmpeg logs errors only). Both report short stretches here, black of any length and
 * freezes from one and a half sample steps on, so that a stretch cut by a segment's end still
 * joins its other part; the thresholds are applied to the joined stretches. The same samples,
 * shrunk to tiny gray pictures, go to `${marksFile}.edges`, of which the first and the last are
 * kept: a freeze that reaches a segment's end goes on into the next only if the next begins
 * with the same picture (a cut between two still shots is not one freeze). (That output gets a
 * picture every sixth frame: one that got only the first and the last made FFmpeg hold every
 * frame between them in memory, 1.1 GB for 10 s at 1080p.)
 */
export function segmentDetectParts(fps: number, frames: number, marksFile: string) {
  const every = Math.max(1, Math.round(fps / SAMPLE_FPS));
  // A segment shorter than that (a short transition) is one freeze when its first and last
  // frames are the same: the detector then needs just its whole length.
  const freezeSec = Math.min((1.5 * every) / fps, (0.99 * Math.max(1, frames - 1)) / fps);
  return {
    graph: [
      `[marks]select=not(mod(n\\,${every}))+eq(n\\,${frames - 1}),scale=320:-2:flags=fast_bilinear,split[detect][edges]`,
      `[detect]blackdetect=d=0:pix_th=${fmt(T.blackPixelThreshold)}:pic_th=0.98,` +
        `freezedetect=n=${T.freezeNoiseDb}dB:d=${fmt(freezeSec)},` +
        `metadata=mode=print:file=${escapeFilterValue(marksFile)},nullsink`,
      `[edges]scale=${EDGE_SIZE}:flags=area,format=gray[edgesout]`,
    ],
    output: ["-map", "[edgesout]", "-fps_mode", "passthrough", "-c:v", "rawvideo", "-f", "rawvideo", `${marksFile}.edges`],
  };
}

export const segmentMarksSchema = renderQualitySchema.pick({ blacks: true, freezes: true }).extend({
  version: z.literal(MARKS_VERSION),
  /** The first and last frames as tiny gray pictures (base64), to compare across a cut. */
  edges: z.object({ first: z.string(), last: z.string() }),
});
export type SegmentMarks = z.infer<typeof segmentMarksSchema>;

/** The stretches in a segment's marks file, in the segment's own time (one still open at the
 *  segment's end ends there), and its edge pictures. */
export async function readSegmentMarks(marksFile: string, durationSec: number): Promise<SegmentMarks> {
  const reader = createStretchReader();
  for (const line of (await readFile(marksFile, "utf8")).split("\n")) reader.read(line);
  const { blacks, freezes } = reader.stretches(durationSec);
  const edges = await readFile(`${marksFile}.edges`);
  if (edges.length === 0 || edges.length % EDGE_BYTES) throw new Error(`the segment's edge pictures are ${edges.length} bytes`);
  return {
    version: MARKS_VERSION,
    blacks,
    freezes,
    edges: { first: edges.subarray(0, EDGE_BYTES).toString("base64"), last: edges.subarray(-EDGE_BYTES).toString("base64") },
  };
}

/** FFmpeg's arguments that run a segment's detectors over its encoded file: for a segment
 *  cached without its marks (by a worker before they were kept). */
export function buildSegmentMarksArgs(file: string, fps: number, frames: number, marksFile: string) {
  const detect = segmentDetectParts(fps, frames, marksFile);
  return [
    "-hide_banner",
    "-nostdin",
    "-y",
    "-loglevel",
    "error",
    "-i",
    file,
    "-filter_complex",
    ["[0:v]format=yuv420p[marks]", ...detect.graph].join(";"),
    ...detect.output,
  ];
}

/** Whether two edge pictures show the same frame: no point of them differs by more than 2
 *  levels of gray (a small label changed on a plain slide moves its point by far more). */
function samePicture(a: string, b: string) {
  const x = Buffer.from(a, "base64");
  const y = Buffer.from(b, "base64");
  if (x.length !== y.length || x.length === 0) return false;
  for (let i = 0; i < x.length; i++) if (Math.abs(x[i]! - y[i]!) > 2) return false;
  return true;
}

/**
 * The whole video's black and frozen stretches from its segments' marks, in playback order
 * (each with its start in seconds): a stretch that reaches a segment's end and one
 * that begins the next are one (a freeze only when the two frames at the cut are the same
 * picture); those shorter than the thresholds are dropped.
 */
export function joinSegmentMarks(pieces: { startSec: number; marks: SegmentMarks }[]): Pick<RenderQuality, "blacks" | "freezes"> {
  const EPS = 0.011; // the readers round to 0.01 s
  const join = (kind: "blacks" | "freezes", minSec: number) => {
    const joined: Stretch[] = [];
    for (const [k, piece] of pieces.entries()) {
      for (const [j, s] of piece.marks[kind].entries()) {
        const last = joined.at(-1);
        const before = pieces[k - 1];
        const continues =
          j === 0 &&
          s.start <= EPS &&
          before !== undefined &&
          last !== undefined &&
          Math.abs(last.end - piece.startSec) <= EPS &&
          (kind === "blacks" || samePicture(before.marks.edges.last, piece.marks.edges.first));
        if (continues) last.end = piece.startSec + s.end;
        else joined.push({ start: piece.startSec + s.start, end: piece.startSec + s.end });
      }
    }
    return joined.filter((s) => s.end - s.start >= minSec - EPS).map((s) => ({ start: round(s.start), end: round(s.end) }));
  };
  return { blacks: join("blacks", T.blackMinSec), freezes: join("freezes", T.freezeMinSec) };
}

const round = (n: number) => Math.round(n * 100) / 100;
const num = (s: string) => (s === "-inf" ? null : Number(s));

/** Each detector's start and end, as FFmpeg's log prints them (`freeze_start: 12.2`; black's
 *  both on one line at its end) and as metadata=print writes them (`lavfi.black_start=8`). */
const MARKS = [
  { kind: "silences", start: /silence_start[:=]\s*(-?[\d.]+)/, end: /silence_end[:=]\s*(-?[\d.]+)/ },
  { kind: "freezes", start: /freeze_start[:=]\s*(-?[\d.]+)/, end: /freeze_end[:=]\s*(-?[\d.]+)/ },
  { kind: "blacks", start: /black_start[:=]\s*(-?[\d.]+)/, end: /black_end[:=]\s*(-?[\d.]+)/ },
] as const;

type Stretches = Pick<RenderQuality, "silences" | "blacks" | "freezes">;

/**
 * Reads the detectors' lines one at a time, as FFmpeg prints them: on a long render the stderr
 * is far more than runFfmpeg keeps (ebur128 logs every 100 ms), so the pass is read as it runs.
 * Each end closes the start of its kind still open; an end without one (its start was never
 * read) and an end before its start are dropped, so one lost line cannot shift the stretches
 * after it. A stretch still open when the file ends ends there.
 */
export function createStretchReader() {
  const found: Stretches = { silences: [], blacks: [], freezes: [] };
  const open: Record<(typeof MARKS)[number]["kind"], number | null> = { silences: null, freezes: null, blacks: null };
  const add = (list: Stretch[], start: number, end: number) => {
    if (end >= start) list.push({ start: round(start), end: round(end) });
  };
  return {
    read(line: string) {
      for (const mark of MARKS) {
        const start = mark.start.exec(line);
        // A second start while one is open (its end was lost) keeps the first: the stretch covers both.
        if (start) open[mark.kind] ??= Number(start[1]);
        const end = mark.end.exec(line);
        if (end) {
          const from = open[mark.kind];
          open[mark.kind] = null;
          if (from !== null) add(found[mark.kind], from, Number(end[1]));
        }
      }
    },
    stretches(durationSec: number): Stretches {
      const result = { silences: [...found.silences], blacks: [...found.blacks], freezes: [...found.freezes] };
      for (const mark of MARKS) {
        const from = open[mark.kind];
        if (from !== null) add(result[mark.kind], from, durationSec);
      }
      return result;
    },
  };
}

/** The loudness from the ebur128 summary: the last one printed (FFmpeg may set the graph up
 *  twice and print an empty one first). Throws when the summary is missing. */
function readLoudness(stderr: string): Pick<RenderQuality, "integratedLufs" | "truePeakDb"> {
  const summary = stderr.slice(stderr.lastIndexOf("Summary:"));
  const integrated = /I:\s+(-?[\d.]+|-inf) LUFS/.exec(summary)?.[1];
  const peak = /True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS/.exec(summary)?.[1];
  if (!summary.startsWith("Summary:") || integrated === undefined || peak === undefined) {
    throw new Error("the rendered file's loudness was not measured (no ebur128 summary)");
  }
  const lufs = num(integrated);
  return {
    // ebur128 reports -70 LUFS (its gate) for a file with no sound above it.
    integratedLufs: lufs === null || lufs <= -70 ? null : lufs,
    truePeakDb: num(peak),
  };
}

/** Reads the pass's whole stderr at once (the stretches as createStretchReader does). Throws
 *  when the ebur128 summary is missing. */
export function parseQuality(stderr: string, durationSec: number): Omit<RenderQuality, "elapsedSec"> {
  const reader = createStretchReader();
  for (const line of stderr.split("\n")) reader.read(line);
  return { ...readLoudness(stderr), ...reader.stretches(durationSec) };
}

/** Measures the finished file (one FFmpeg run); with `video: false` its sound only (its black
 *  and freeze lists then come back empty). */
export async function measureQuality(
  file: string,
  durationSec: number,
  options: { signal?: AbortSignal; timeoutMs?: number; onSpawn?: (pid: number) => void; video?: boolean } = {},
): Promise<RenderQuality> {
  const started = performance.now();
  const reader = createStretchReader();
  const { video, ...run } = options;
  // The summary is at the end of the stderr kept; the stretches' lines are read as they come.
  const { stderr } = await runFfmpeg(buildQualityArgs(file, { video }), { timeoutMs: 300_000, ...run, onStderrLine: reader.read });
  return { ...readLoudness(stderr), ...reader.stretches(durationSec), elapsedSec: round((performance.now() - started) / 1000) };
}
