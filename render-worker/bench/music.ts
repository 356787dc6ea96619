// Music bed benchmark: for each mood, a 61 s piece composed and played by fluidsynth, with the
// worker's settings and with the options tried against them; prints the CPU time and peak
// memory of each fluidsynth run (GNU time), and the wall time of making a whole bed (score,
// fluidsynth, measure, level) as a render does it without its cache.
// Run: npm run bench:music
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { MUSIC_MOODS } from "@aura/render-contract";
import { DEFAULT_SOUND_FONT, fluidsynthArgs, makeMusicBed } from "../src/music/bed.ts";
import { composeMusic } from "../src/music/compose.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "aura-bench-music-"));
const seconds = 61;
const variants: [string, string[]][] = [
  ["worker's settings (dynamic sample loading, reverb and chorus on)", []],
  ["all samples loaded at start", ["-o", "synth.dynamic-sample-loading=0"]],
  ["reverb and chorus off", ["-R", "0", "-C", "0"]],
  ["44.1 kHz", ["-r", "44100"]],
  ["polyphony 32", ["-o", "synth.polyphony=32"]],
];

console.log(`music bed benchmark: ${seconds} s per mood, ${os.cpus().length} cores`);
console.log("mood    variant                                                         CPU      peak memory");
for (const mood of MUSIC_MOODS) {
  const midi = path.join(root, `${mood}.mid`);
  writeFileSync(midi, composeMusic(mood, "bench", seconds).bytes);
  for (const [name, extra] of variants) {
    const args = fluidsynthArgs(DEFAULT_SOUND_FONT, midi, path.join(root, "out.wav"));
    // The extra options go before the sound font (the last two arguments).
    args.splice(args.length - 2, 0, ...extra);
    const run = spawnSync("/usr/bin/time", ["-f", "%U %S %M", "fluidsynth", ...args], { encoding: "utf8" });
    const [user, sys, kb] = run.stderr.trim().split("\n").at(-1)!.split(" ").map(Number);
    console.log(`${mood.padEnd(8)}${name.padEnd(64)}${(user! + sys!).toFixed(2).padStart(6)} s ${(kb! / 1024).toFixed(0).padStart(8)} MB`);
  }
}
for (const mood of MUSIC_MOODS) {
  const work = mkdtempSync(path.join(root, "work-"));
  const started = performance.now();
  await makeMusicBed(
    mood,
    "bench",
    seconds,
    { fluidsynth: "fluidsynth", soundFont: DEFAULT_SOUND_FONT, cacheDir: null },
    {
      work,
      signal: new AbortController().signal,
      timeoutMs: 300_000,
    },
  );
  console.log(`${mood.padEnd(8)}whole bed (score, fluidsynth, measure, level): ${((performance.now() - started) / 1000).toFixed(2)} s wall`);
}
rmSync(root, { recursive: true, force: true });
