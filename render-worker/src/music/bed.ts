// The composed music bed as a file: the score (compose.ts) played by fluidsynth with a General
// MIDI sound font, measured (ebur128) and brought to one loudness, cut to the video's exact
// length. Kept in a cache directory by mood, seed, length, composer version and sound font, so
// a render that changes a scene but not the length reuses it without running fluidsynth again.
// The render always reads its own link (or copy) of the bed in its work folder: another
// render's pruning may remove the cache's file at any time. A worker without fluidsynth or the
// sound font gets null here (the caller falls back to the chord made inside FFmpeg and says so).
import { createHash, randomUUID } from "node:crypto";
import { access, copyFile, link, mkdir, readdir, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import { constants } from "node:fs";
import path from "node:path";
import type { MusicMood } from "@aura/render-contract";
import { fmt } from "../filter-escape.ts";
import { runFfmpeg } from "../ffmpeg.ts";
import { deadlineIn, timeLeftMs } from "../deadline.ts";
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

/** `timeoutMs`: the time for all the bed's processes together (each gets what is left). */
export type BedOptions = { work: string; signal: AbortSignal; timeoutMs: number; onSpawn?: (name: string) => (pid: number) => void };

/** fluidsynth's settings for an offline render: 48 kHz like the mix, reverb and chorus on (the
 *  pad and strings sound dry without them; turning them off saved no measurable time). Most of
 *  its time is decompressing the sf3 font's samples: dynamic sample loading decompresses only
 *  those of the three instruments played (measured on 66 s: 3.6 → 1.9 s of CPU, 240 → 137 MB,
 *  the same samples out). */
export function fluidsynthArgs(soundFont: string, midiFile: string, output: string) {
  return ["-ni", "-q", "-F", output, "-T", "wav", "-O", "s16", "-r", "48000", "-g", "0.5", "-o", "synth.dynamic-sample-loading=1", soundFont, midiFile];
}

/** A partial file in the cache older than this was left by a render that died while
 *  putting its bed there; pruning removes it. */
export const STALE_PARTIAL_MS = 60 * 60 * 1000;

/** The sound font as the cache knows it: its path, size and modification time, so that
 *  another font (or the same path rewritten) makes new beds instead of reusing old ones. */
export async function soundFontId(soundFont: string) {
  const { size, mtimeMs } = await stat(soundFont);
  return createHash("sha256")
    .update(`${path.resolve(soundFont)}\n${size}\n${mtimeMs}`)
    .digest("hex")
    .slice(0, 12);
}

/** The cache file of one bed. */
export function bedCacheName(mood: MusicMood, seed: string, durationSec: number, fontId: string) {
  const seedHash = createHash("sha256").update(seed).digest("hex").slice(0, 16);
  return `bed-v${COMPOSER_VERSION}-${mood}-${seedHash}-${fontId}-${Math.round(durationSec * 1000)}ms.wav`;
}

/** A hard link to `from` at `to`, or a copy where a link cannot be made (another file system). */
async function linkOrCopy(from: string, to: string) {
  await link(from, to).catch(() => copyFile(from, to));
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
  const name = bedCacheName(mood, seed, durationSec, await soundFontId(tools.soundFont));
  const bed = path.join(options.work, "music-bed.wav");
  if (tools.cacheDir) {
    const cached = path.join(tools.cacheDir, name);
    // Linked into the render's folder first: once linked, pruning the cache cannot take it away.
    // A bed pruned before the link is made here again.
    if (
      await linkOrCopy(cached, bed).then(
        () => true,
        () => false,
      )
    ) {
      const now = new Date();
      await utimes(cached, now, now).catch(() => {});
      return { file: bed, reused: true };
    }
  }
  const deadline = deadlineIn(options.timeoutMs);
  const midiFile = path.join(options.work, "music.mid");
  const raw = path.join(options.work, "music-raw.wav");
  await writeFile(midiFile, composeMusic(mood, seed, durationSec).bytes);
  const run = () => ({ signal: options.signal, timeoutMs: timeLeftMs(deadline) });
  await runFfmpeg(fluidsynthArgs(tools.soundFont, midiFile, raw), { ...run(), binary: tools.fluidsynth, onSpawn: options.onSpawn?.("fluidsynth") }).catch(
    (error: Error) => {
      throw new Error(`music: fluidsynth failed: ${error.message.replace(/^ffmpeg /, "")}`);
    },
  );
  // Cut or padded to the exact length first, so that what is measured is what is played.
  const exact = `apad=whole_dur=${fmt(durationSec)},atrim=0:${fmt(durationSec)}`;
  const { stderr } = await runFfmpeg(["-hide_banner", "-nostdin", "-nostats", "-i", raw, "-af", `${exact},ebur128=peak=true`, "-f", "null", "-"], {
    ...run(),
    onSpawn: options.onSpawn?.("music-measure"),
  });
  const summary = stderr.slice(stderr.lastIndexOf("Summary:"));
  const measured = Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]);
  const truePeak = Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary)?.[1]);
  if (!Number.isFinite(measured) || measured < -69) throw new Error("music: fluidsynth's bed came out silent");
  // The gain to the bed's loudness, unless it would lift a peak past the ceiling (at −25 LUFS
  // the beds measured here peak 9 to 14 dB below it).
  const gain = Math.min(BED_LOUDNESS_LUFS - measured, BED_TRUE_PEAK_DB - (Number.isFinite(truePeak) ? truePeak : 0));
  await runFfmpeg(
    ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-i", raw, "-af", `${exact},volume=${gain.toFixed(2)}dB`, "-c:a", "pcm_s16le", bed],
    { ...run(), onSpawn: options.onSpawn?.("music-level") },
  );
  await rm(raw, { force: true });
  if (!tools.cacheDir) return { file: bed, reused: false };
  // Moved in whole, so that a render reading the cache never sees half a bed; the render keeps
  // reading its own file.
  await mkdir(tools.cacheDir, { recursive: true });
  const cached = path.join(tools.cacheDir, name);
  const staging = `${cached}.partial-${process.pid}-${randomUUID()}`;
  await linkOrCopy(bed, staging);
  await rename(staging, cached);
  await pruneBeds(tools.cacheDir, tools.cacheMaxBytes ?? 512 * 1024 ** 2);
  return { file: bed, reused: false };
}

/** Keeps the bed cache under its size: the least recently used go first. Removes the partial
 *  files that renders which died left behind. Files that another prune removed meanwhile are
 *  skipped. */
export async function pruneBeds(dir: string, maxBytes: number) {
  const names = (await readdir(dir)).filter((f) => f.startsWith("bed-"));
  const found = await Promise.all(
    names.map(async (f) => {
      const file = path.join(dir, f);
      const info = await stat(file).catch(() => null);
      return info && { file, partial: f.includes(".partial-"), size: info.size, mtimeMs: info.mtimeMs };
    }),
  );
  const entries = found.filter((e) => e !== null);
  for (const entry of entries) {
    if (entry.partial && Date.now() - entry.mtimeMs > STALE_PARTIAL_MS) await rm(entry.file, { force: true });
  }
  const beds = entries.filter((e) => !e.partial && e.file.endsWith(".wav"));
  let total = beds.reduce((a, e) => a + e.size, 0);
  for (const entry of beds.sort((a, b) => a.mtimeMs - b.mtimeMs)) {
    if (total <= maxBytes) break;
    await rm(entry.file, { force: true });
    total -= entry.size;
  }
}
