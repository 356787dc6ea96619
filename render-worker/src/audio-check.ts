// Narration checks before a render: each file must be audio and must not be silent; a
// clipped one is turned down, and mono or other sample rates are converted by the graph
// (aresample/aformat). What was found and fixed is reported in the render's result.
// All narrations are measured in one FFmpeg run (each process costs ~0.3 s of CPU to start;
// one run per file and per measure took 2.2 s before a 60 s render could begin), and what was
// measured is remembered per file, so an edit re-measures only the narration that changed.
import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { ffprobe, runFfmpeg } from "./ffmpeg.ts";

export type NarrationReport = { scene: number; sampleRate: number; channels: number; maxDb: number; gainDb: number; fixes: string[] };

export class AudioCheckError extends Error {}

export const SILENT_BELOW_DB = -60;
export const CLIPPED_FROM_DB = -0.1;
export const CLIP_GAIN_DB = -3;

/** What to do about one narration, from its measurements. Pure. */
export function judgeNarration(scene: number, m: { sampleRate: number; channels: number; maxDb: number }): NarrationReport {
  if (m.maxDb <= SILENT_BELOW_DB) throw new AudioCheckError(`scene ${scene}'s narration is silent (loudest sample ${m.maxDb} dB)`);
  const fixes: string[] = [];
  let gainDb = 0;
  if (m.maxDb >= CLIPPED_FROM_DB) {
    gainDb = CLIP_GAIN_DB;
    fixes.push(`clipped (peaks at ${m.maxDb} dB): turned down ${-CLIP_GAIN_DB} dB before mixing`);
  }
  if (m.channels === 1) fixes.push("mono: played on both channels");
  else if (m.channels > 2) fixes.push(`${m.channels} channels: mixed down to stereo`);
  if (m.sampleRate !== 48000) fixes.push(`${m.sampleRate} Hz: resampled to 48000 Hz`);
  return { scene, sampleRate: m.sampleRate, channels: m.channels, maxDb: m.maxDb, gainDb, fixes };
}

/** The loudest sample of a file in dB (FFmpeg's volumedetect). */
export function maxVolumeDb(file: string, signal?: AbortSignal): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn("ffmpeg", ["-hide_banner", "-nostdin", "-i", file, "-af", "volumedetect", "-vn", "-f", "null", "-"], {
      stdio: ["ignore", "ignore", "pipe"],
      signal,
    });
    let err = "";
    child.stderr.setEncoding("utf8").on("data", (c) => (err += c));
    child.on("error", reject);
    child.on("close", (code) => {
      const max = /max_volume: (-?[\d.]+|-inf) dB/.exec(err)?.[1];
      if (code !== 0 || max === undefined) return reject(new AudioCheckError(`could not measure ${file}: ${err.trim().split("\n").at(-1)}`));
      resolve(max === "-inf" ? -Infinity : Number(max));
    });
  });
}

type Measure = { sampleRate: number; channels: number; maxDb: number };

const NAMED_LAYOUTS: Record<string, number> = { mono: 1, stereo: 2, downmix: 2, quad: 4, hexagonal: 6, octagonal: 8, hexadecagonal: 16 };

/** Channels from the layout FFmpeg prints: "mono", "stereo", "5.1(side)", "6 channels". */
export function channelsOfLayout(layout: string) {
  const name = layout.trim();
  const count = /^(\d+) channels/.exec(name)?.[1];
  if (count) return Number(count);
  if (NAMED_LAYOUTS[name] !== undefined) return NAMED_LAYOUTS[name];
  const digits = /^(\d+)\.(\d+)/.exec(name);
  return digits ? Number(digits[1]) + Number(digits[2]) : NaN;
}

/** Reads one combined run's stderr: each input's rate and layout, each volumedetect's peak. */
export function parseMeasures(stderr: string, count: number): Measure[] {
  const inputs = stderr.split("Stream mapping:")[0]!;
  return Array.from({ length: count }, (_, k) => {
    const stream = new RegExp(`Stream #${k}:\\d+[^\\n]*?: Audio: [^\\n]*?(\\d+) Hz, ([^,\\n]+)`).exec(inputs);
    const max = new RegExp(`\\[volumedetect@n${k} @ [^\\]]+\\] max_volume: (-?[\\d.]+|-inf) dB`).exec(stderr)?.[1];
    if (!stream || max === undefined) throw new AudioCheckError(`input ${k} was not measured`);
    return { sampleRate: Number(stream[1]), channels: channelsOfLayout(stream[2]!), maxDb: max === "-inf" ? -Infinity : Number(max) };
  });
}

const measured = new Map<string, Measure>();
const MEASURES_KEPT = 2000;
const fileKey = async (file: string) => {
  const s = await stat(file);
  return `${file}\0${s.size}\0${s.mtimeMs}`;
};

/**
 * Checks every scene's narration (null: the scene has none). Unknown files are measured in one
 * FFmpeg run; if that run fails (a file without audio, say), each is checked alone so that the
 * error names its scene.
 */
export async function checkNarrations(files: (string | null)[], signal?: AbortSignal): Promise<(NarrationReport | null)[]> {
  const keys = await Promise.all(files.map((f) => (f ? fileKey(f) : null)));
  const unknown = [...new Set(files.filter((f, i): f is string => f !== null && !measured.has(keys[i]!)))];
  if (unknown.length) {
    const args = ["-hide_banner", "-nostdin", "-loglevel", "info"];
    for (const file of unknown) args.push("-i", file);
    const graph = unknown.map((_, k) => `[${k}:a]volumedetect@n${k}[m${k}]`);
    graph.push(unknown.length > 1 ? `${unknown.map((_, k) => `[m${k}]`).join("")}amix=inputs=${unknown.length}[out]` : "[m0]anull[out]");
    args.push("-filter_complex", graph.join(";"), "-map", "[out]", "-f", "null", "-");
    const results = await runFfmpeg(args, { signal, timeoutMs: 120_000 }).then(
      ({ stderr }) => parseMeasures(stderr, unknown.length),
      (error: Error) => {
        if (signal?.aborted) throw error;
        return null;
      },
    );
    if (!results) return Promise.all(files.map((file, i) => (file ? checkNarration(i + 1, file, signal) : null)));
    for (const [k, file] of unknown.entries()) measured.set(keys[files.indexOf(file)]!, results[k]!);
    while (measured.size > MEASURES_KEPT) measured.delete(measured.keys().next().value!);
  }
  return files.map((file, i) => (file ? judgeNarration(i + 1, measured.get(keys[i]!)!) : null));
}

/** One narration checked alone, with ffprobe and volumedetect. */
export async function checkNarration(scene: number, file: string, signal?: AbortSignal): Promise<NarrationReport> {
  const probe = await ffprobe(file).catch((error: Error) => {
    throw new AudioCheckError(`scene ${scene}'s narration cannot be read: ${error.message}`);
  });
  if (!probe.audio) throw new AudioCheckError(`scene ${scene}'s narration has no audio stream`);
  return judgeNarration(scene, { sampleRate: probe.audio.sampleRate, channels: probe.audio.channels, maxDb: await maxVolumeDb(file, signal) });
}
