// The composed music bed as a file: the score (compose.ts) played by fluidsynth with a General
// MIDI sound font, measured (ebur128) and brought to one loudness, cut to the video's exact
// length. Kept in a cache directory by mood, seed, length and composer version, so a render
// that changes a scene but not the length reuses it without running fluidsynth again. A
// worker without fluidsynth or the sound font gets null here (the caller falls back to the
// chord made inside FFmpeg and says so).
import { createHash, randomUUID } from "node:crypto";
import { access, copyFile, mkdir, readdir, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { constants } from "node:fs";
import path from "node:path";
import type { MusicMood } from "@aura/render-contract";
import { fmt } from "../filter-escape.ts";
import { runFfmpeg } from "../ffmpeg.ts";
import { COMPOSER_VERSION, composeMusic } from "./compose.ts";

/** The bed's loudness before the spec's volumeDb: the old chord bed's (measured: −25.1 LUFS for
 *  each mood), so every mood and seed sits under the voice where that bed did. */
export const BED_LOUDNESS_LUFS = -25;
/** No peak of the bed above this (dBTP), whatever the gain. */
export const BED_TRUE_PEAK_DB = -2;

export const DEFAULT_SOUND_FONT = "/usr/share/sounds/sf3/MuseScore_General_Lite.sf3";

export type MusicTools = {
  /** The fluidsynth program (a name on PATH or a path). */
  fluidsynth: string;
  soundFont: string;
  /** Where finished beds are kept; null: no reuse, the bed is made in the render's folder. */
  cacheDir: string | null;
  /** The cache's largest size; the least recently used beds go first. */
  cacheMaxBytes?: number;
};

export type BedOptions = { work: string; signal: AbortSignal; timeoutMs: number; onSpawn?: (name: string) => (pid: number) => void };

/** fluidsynth's settings for an offline render: 48 kHz like the mix, reverb and chorus on (the
 *  pad and strings sound dry without them; turning them off saved no measurable time). Most of
 *  its time is decompressing the sf3 font's samples: dynamic sample loading decompresses only
 *  those of the three instruments played (measured on 66 s: 3.6 → 1.9 s of CPU, 240 → 137 MB,
 *  the same samples out). */
export function fluidsynthArgs(soundFont: string, midiFile: string, output: string) {
  return ["-ni", "-q", "-F", output, "-T", "wav", "-O", "s16", "-r", "48000", "-g", "0.5", "-o", "synth.dynamic-sample-loading=1", soundFont, midiFile];
}

/** The cache file of one bed. */
export function bedCacheName(mood: MusicMood, seed: string, durationSec: number) {
  const seedHash = createHash("sha256").update(seed).digest("hex").slice(0, 16);
  return `bed-v${COMPOSER_VERSION}-${mood}-${seedHash}-${Math.round(durationSec * 1000)}ms.wav`;
}

/** Whether fluidsynth and the sound font are there; the reason when not. */
export async function checkMusicTools(tools: MusicTools): Promise<string | null> {
  const fontMissing = await access(tools.soundFont, constants.R_OK).then(
    () => null,
    () => `the sound font ${tools.soundFont} cannot be read`,
  );
  if (fontMissing) return fontMissing;
  if (tools.fluidsynth.includes("/")) {
    return access(tools.fluidsynth, constants.X_OK).then(
      () => null,
      () => `fluidsynth (${tools.fluidsynth}) is not there`,
    );
  }
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (
      dir &&
      (await access(path.join(dir, tools.fluidsynth), constants.X_OK).then(
        () => true,
        () => false,
      ))
    )
      return null;
  }
  return `fluidsynth (${tools.fluidsynth}) is not on PATH`;
}

/**
 * The bed for a mood and seed, `durationSec` long, at BED_LOUDNESS_LUFS: from the cache, or
 * composed and rendered now (and put in the cache). `reused` says which.
 */
export async function makeMusicBed(mood: MusicMood, seed: string, durationSec: number, tools: MusicTools, options: BedOptions) {
  const name = bedCacheName(mood, seed, durationSec);
  if (tools.cacheDir) {
    const cached = path.join(tools.cacheDir, name);
    const now = new Date();
    if (
      await utimes(cached, now, now).then(
        () => true,
        () => false,
      )
    )
      return { file: cached, reused: true };
  }
  const midiFile = path.join(options.work, "music.mid");
  const raw = path.join(options.work, "music-raw.wav");
  await writeFile(midiFile, composeMusic(mood, seed, durationSec).bytes);
  const run = { signal: options.signal, timeoutMs: options.timeoutMs };
  await runFfmpeg(fluidsynthArgs(tools.soundFont, midiFile, raw), { ...run, binary: tools.fluidsynth, onSpawn: options.onSpawn?.("fluidsynth") }).catch(
    (error: Error) => {
      throw new Error(`music: fluidsynth failed: ${error.message.replace(/^ffmpeg /, "")}`);
    },
  );
  // Cut or padded to the exact length first, so that what is measured is what is played.
  const exact = `apad=whole_dur=${fmt(durationSec)},atrim=0:${fmt(durationSec)}`;
  const { stderr } = await runFfmpeg(["-hide_banner", "-nostdin", "-nostats", "-i", raw, "-af", `${exact},ebur128=peak=true`, "-f", "null", "-"], {
    ...run,
    onSpawn: options.onSpawn?.("music-measure"),
  });
  const summary = stderr.slice(stderr.lastIndexOf("Summary:"));
  const measured = Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]);
  const truePeak = Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary)?.[1]);
  if (!Number.isFinite(measured) || measured < -69) throw new Error("music: fluidsynth's bed came out silent");
  // The gain to the bed's loudness, unless it would lift a peak past the ceiling (at −25 LUFS
  // the beds measured here peak 9 to 14 dB below it).
  const gain = Math.min(BED_LOUDNESS_LUFS - measured, BED_TRUE_PEAK_DB - (Number.isFinite(truePeak) ? truePeak : 0));
  const bed = path.join(options.work, "music-bed.wav");
  await runFfmpeg(
    ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-i", raw, "-af", `${exact},volume=${gain.toFixed(2)}dB`, "-c:a", "pcm_s16le", bed],
    { ...run, onSpawn: options.onSpawn?.("music-level") },
  );
  await rm(raw, { force: true });
  if (!tools.cacheDir) return { file: bed, reused: false };
  // Moved in whole, so that a render reading the cache never sees half a bed.
  await mkdir(tools.cacheDir, { recursive: true });
  const cached = path.join(tools.cacheDir, name);
  const staging = `${cached}.partial-${process.pid}-${randomUUID()}`;
  await rename(bed, staging).catch(() => copyFile(bed, staging));
  await rename(staging, cached);
  await pruneBeds(tools.cacheDir, tools.cacheMaxBytes ?? 512 * 1024 ** 2);
  return { file: cached, reused: false };
}

/** Keeps the bed cache under its size: the least recently used go first. */
async function pruneBeds(dir: string, maxBytes: number) {
  const names = (await readdir(dir)).filter((f) => f.startsWith("bed-") && f.endsWith(".wav"));
  const entries = await Promise.all(names.map(async (f) => ({ file: path.join(dir, f), ...(await stat(path.join(dir, f))) })));
  let total = entries.reduce((a, e) => a + e.size, 0);
  for (const entry of entries.sort((a, b) => a.mtimeMs - b.mtimeMs)) {
    if (total <= maxBytes) break;
    await rm(entry.file, { force: true });
    total -= entry.size;
  }
}
