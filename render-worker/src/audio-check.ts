// Narration checks before a render: each file must be audio and must not be silent; a
// clipped one is turned down, and mono or other sample rates are converted by the graph
// (aresample/aformat). What was found and fixed is reported in the render's result.
import { spawn } from "node:child_process";
import { ffprobe } from "./ffmpeg.ts";

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
    const child = spawn("ffmpeg", ["-hide_banner", "-nostdin", "-i", file, "-af", "volumedetect", "-vn", "-f", "null", "-"], { stdio: ["ignore", "ignore", "pipe"], signal });
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

export async function checkNarration(scene: number, file: string, signal?: AbortSignal): Promise<NarrationReport> {
  const probe = await ffprobe(file).catch((error: Error) => {
    throw new AudioCheckError(`scene ${scene}'s narration cannot be read: ${error.message}`);
  });
  if (!probe.audio) throw new AudioCheckError(`scene ${scene}'s narration has no audio stream`);
  return judgeNarration(scene, { sampleRate: probe.audio.sampleRate, channels: probe.audio.channels, maxDb: await maxVolumeDb(file, signal) });
}
