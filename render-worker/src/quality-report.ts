// Measures a finished render in one FFmpeg pass, so that a silent or broken output is never
// reported as a clean success: the audio goes through ebur128 (integrated loudness, true peak)
// and silencedetect; the video is thinned to 5 frames a second and shrunk to 320 pixels wide
// first and goes through blackdetect and freezedetect. Decoding is then most of the cost: the
// decoder skips the frames no other frame refers to (-skip_frame noref, about 40 % less CPU on
// a 60 s 1080p file, measured), which a 5 fps sample never needed.
// Ken Burns motion keeps stills moving, so freezes are only looked for over 5 s; a still shot
// without motion freezes by design, and the app's report tells those apart by the timeline.
import { QUALITY_THRESHOLDS as T, type RenderQuality, type Stretch } from "@aura/render-contract";
import { fmt } from "./filter-escape.ts";
import { runFfmpeg } from "./ffmpeg.ts";

const SAMPLE_FPS = 5;

export function buildQualityArgs(file: string) {
  const audio = `[0:a]ebur128=peak=true:framelog=verbose,silencedetect=n=${T.silenceNoiseDb}dB:d=${fmt(T.silenceMinSec)}[a]`;
  const video =
    `[0:v]fps=${SAMPLE_FPS},scale=320:-2:flags=fast_bilinear,` +
    `blackdetect=d=${fmt(T.blackMinSec)}:pix_th=${fmt(T.blackPixelThreshold)}:pic_th=0.98,` +
    `freezedetect=n=${T.freezeNoiseDb}dB:d=${fmt(T.freezeMinSec)}[v]`;
  return [
    "-hide_banner",
    "-nostdin",
    "-nostats",
    "-loglevel",
    "info",
    "-skip_frame",
    "noref",
    "-i",
    file,
    "-filter_complex",
    `${audio};${video}`,
    "-map",
    "[a]",
    "-map",
    "[v]",
    "-f",
    "null",
    "-",
  ];
}

const round = (n: number) => Math.round(n * 100) / 100;
const num = (s: string) => (s === "-inf" ? null : Number(s));

/** Pairs start and end marks in order; a stretch still open when the file ends ends there. */
function pair(starts: number[], ends: number[], durationSec: number): Stretch[] {
  return starts.map((start, i) => ({ start: round(start), end: round(ends[i] ?? durationSec) }));
}

const all = (stderr: string, pattern: RegExp) => [...stderr.matchAll(pattern)].map((m) => Number(m[1]));

/** Reads the pass's stderr. The ebur128 summary is the last one printed (FFmpeg may set the graph
 *  up twice and print an empty one first). Throws when the summary is missing. */
export function parseQuality(stderr: string, durationSec: number): Omit<RenderQuality, "elapsedSec"> {
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
    silences: pair(all(stderr, /silence_start: (-?[\d.]+)/g), all(stderr, /silence_end: (-?[\d.]+)/g), durationSec),
    blacks: [...stderr.matchAll(/black_start:\s*(-?[\d.]+) black_end:\s*(-?[\d.]+)/g)].map((m) => ({ start: round(Number(m[1])), end: round(Number(m[2])) })),
    freezes: pair(all(stderr, /freeze_start: (-?[\d.]+)/g), all(stderr, /freeze_end: (-?[\d.]+)/g), durationSec),
  };
}

/** Measures the finished file (one FFmpeg run). */
export async function measureQuality(
  file: string,
  durationSec: number,
  options: { signal?: AbortSignal; timeoutMs?: number; onSpawn?: (pid: number) => void } = {},
): Promise<RenderQuality> {
  const started = performance.now();
  const { stderr } = await runFfmpeg(buildQualityArgs(file), { timeoutMs: 300_000, ...options });
  return { ...parseQuality(stderr, durationSec), elapsedSec: round((performance.now() - started) / 1000) };
}
