// The composed music bed with the real fluidsynth and FFmpeg: exactly the video's length
// (ffprobe), at the bed's loudness (ebur128, ±1 LU), no clipping (true peak), made once and
// reused from the cache, each render reading its own file that pruning the cache leaves alone;
// another sound font makes new beds; stale partial files are pruned. Without fluidsynth or its
// sound font, a reason instead. Then the bed in the mix: it ducks under the narration as the
// chord did.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { computeTiming, renderSpecSchema } from "@aura/render-contract";
import { base } from "../../packages/render-contract/test/fixtures.ts";
import { buildMixArgs } from "../src/audio-mix.ts";
import { runFfmpeg } from "../src/ffmpeg.ts";
import { BED_LOUDNESS_LUFS, checkMusicTools, DEFAULT_SOUND_FONT, makeMusicBed, pruneBeds, STALE_PARTIAL_MS, type MusicTools } from "../src/music/bed.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "aura-music-"));
const tools: MusicTools = { fluidsynth: "fluidsynth", soundFont: DEFAULT_SOUND_FONT, cacheDir: path.join(root, "cache") };

/** Makes a bed in a work folder of its own, counting the fluidsynth runs it starts. */
async function bed(mood: "calm" | "bright" | "dark", seed: string, durationSec: number, spawned: string[] = [], bedTools: MusicTools = tools) {
  const work = mkdtempSync(path.join(root, "work-"));
  const made = await makeMusicBed(mood, seed, durationSec, bedTools, {
    work,
    signal: new AbortController().signal,
    timeoutMs: 60_000,
    onSpawn: (name) => () => void spawned.push(name),
  });
  return { ...made, spawned, work };
}

const cachedBeds = (dir: string) => readdirSync(dir).filter((f) => f.startsWith("bed-") && f.endsWith(".wav"));

/** ebur128's integrated loudness and true peak of a file, measured by FFmpeg. */
function measure(file: string) {
  const { stderr } = spawnSync("ffmpeg", ["-hide_banner", "-nostats", "-i", file, "-af", "ebur128=peak=true", "-f", "null", "-"], { encoding: "utf8" });
  const summary = stderr.slice(stderr.lastIndexOf("Summary:"));
  return { lufs: Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)?.[1]), truePeak: Number(/Peak:\s+(-?[\d.]+) dBFS/.exec(summary)?.[1]) };
}

function durationOf(file: string) {
  return Number(spawnSync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", file], { encoding: "utf8" }).stdout);
}

describe("music bed", () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  test("each mood: exactly the video's length, at the bed's loudness, no clipping", async () => {
    for (const [mood, seed, duration] of [
      ["calm", "video-a", 61.0333],
      ["bright", "video-b", 20.5],
      ["dark", "video-c", 8.5],
    ] as const) {
      const { file, reused } = await bed(mood, seed, duration);
      assert.equal(reused, false);
      assert.ok(Math.abs(durationOf(file) - duration) < 0.002, `${mood}: ${durationOf(file)} s, not ${duration} s`);
      const { lufs, truePeak } = measure(file);
      assert.ok(Math.abs(lufs - BED_LOUDNESS_LUFS) <= 1, `${mood}: ${lufs} LUFS, not ${BED_LOUDNESS_LUFS}`);
      assert.ok(truePeak < -1, `${mood}: true peak ${truePeak} dBTP`);
    }
  });

  test("a second render of the same mood, seed and length reuses the bed: fluidsynth runs once", async () => {
    const first = await bed("bright", "video-d", 12);
    const second = await bed("bright", "video-d", 12);
    assert.deepEqual(first.spawned, ["fluidsynth", "music-measure", "music-level"]);
    assert.deepEqual([second.reused, second.spawned], [true, []]);
    assert.equal(path.dirname(second.file), second.work, "the render reads its own file, not the cache's");
    assert.ok(readFileSync(second.file).equals(readFileSync(first.file)), "the same bed");
    // Another seed or another length is another bed, with other samples.
    const other = await bed("bright", "video-e", 12);
    const longer = await bed("bright", "video-d", 13);
    assert.deepEqual([other.reused, longer.reused], [false, false]);
    const pcm = (file: string) => spawnSync("ffmpeg", ["-v", "error", "-i", file, "-t", "10", "-f", "s16le", "-"]).stdout;
    assert.ok(!pcm(first.file).equals(pcm(other.file)), "another seed, other music");
    assert.equal(cachedBeds(tools.cacheDir!).length, 6);
  });

  test("a render's bed survives another render pruning the cache; stale partial files are pruned", async () => {
    const own: MusicTools = { ...tools, cacheDir: path.join(root, "cache-prune") };
    const made = await bed("dark", "video-f", 4, [], own);
    const reused = await bed("dark", "video-f", 4, [], own);
    assert.deepEqual([made.reused, reused.reused], [false, true]);
    for (const { file, work } of [made, reused]) assert.equal(path.dirname(file), work);
    const stale = path.join(own.cacheDir!, `${cachedBeds(own.cacheDir!)[0]}.partial-1-stale`);
    const fresh = path.join(own.cacheDir!, `${cachedBeds(own.cacheDir!)[0]}.partial-2-fresh`);
    writeFileSync(stale, "half a bed");
    writeFileSync(fresh, "half a bed");
    const old = new Date(Date.now() - STALE_PARTIAL_MS - 60_000);
    utimesSync(stale, old, old);
    // Another render's prune with no room left: every bed leaves the cache.
    await pruneBeds(own.cacheDir!, 0);
    assert.deepEqual(cachedBeds(own.cacheDir!), []);
    assert.deepEqual([existsSync(stale), existsSync(fresh)], [false, true], "only the partial file older than an hour goes");
    for (const { file } of [made, reused]) assert.ok(Math.abs(durationOf(file) - 4) < 0.002, `${file} is still a whole bed`);
  });

  test("another sound font, or the same font changed, makes a new bed", async () => {
    const own: MusicTools = { ...tools, cacheDir: path.join(root, "cache-font") };
    mkdirSync(path.join(root, "fonts"));
    const font = path.join(root, "fonts", "gm.sf3");
    copyFileSync(DEFAULT_SOUND_FONT, font);
    const first = await bed("calm", "video-g", 4, [], own);
    const again = await bed("calm", "video-g", 4, [], own);
    const moved = await bed("calm", "video-g", 4, [], { ...own, soundFont: font });
    const later = new Date(Date.now() + 60_000);
    utimesSync(font, later, later);
    const changed = await bed("calm", "video-g", 4, [], { ...own, soundFont: font });
    assert.deepEqual(
      [first, again, moved, changed].map((b) => [b.reused, b.spawned.includes("fluidsynth")]),
      [
        [false, true],
        [true, false],
        [false, true],
        [false, true],
      ],
    );
    assert.equal(cachedBeds(own.cacheDir!).length, 3);
  });

  test("a missing fluidsynth or sound font is named", async () => {
    assert.equal(await checkMusicTools(tools), null);
    assert.match((await checkMusicTools({ ...tools, fluidsynth: "/nowhere/fluidsynth" }))!, /fluidsynth \(\/nowhere\/fluidsynth\) is not there/);
    assert.match((await checkMusicTools({ ...tools, fluidsynth: "no-such-fluidsynth" }))!, /not on PATH/);
    assert.match((await checkMusicTools({ ...tools, soundFont: "/nowhere/gm.sf3" }))!, /the sound font \/nowhere\/gm\.sf3 cannot be read/);
  });

  test("in the mix, the composed bed ducks under the narration", async () => {
    // A "voice" of a 5 kHz tone from 2 s to 5 s; the music is measured below 1 kHz, where the
    // voice is not, in the mix with and without ducking (the voice path is the same in both).
    const voice = path.join(root, "voice.wav");
    spawnSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=f=5000:sample_rate=48000:d=3,volume=0.5", voice]);
    const spec = (duck: boolean) =>
      renderSpecSchema.parse({
        ...base,
        scenes: [{ ...base.scenes[0], duration: 8, narrationOffset: 2 }],
        music: { source: { kind: "generated", mood: "calm", seed: "duck" }, volumeDb: -16, duck },
      });
    const timing = computeTiming(spec(true));
    const { file: music } = await bed("calm", "duck", timing.totalSec);
    const levels = async (duck: boolean) => {
      const mix = path.join(root, `mix-${duck}.wav`);
      const args = buildMixArgs(spec(duck), timing, { narrations: [voice], musicFile: music }, mix);
      assert.ok(args.includes(music) && !args.join(" ").includes("sine="), "the bed is read, no chord made");
      await runFfmpeg(args);
      const window = (from: number, to: number) => {
        const { stderr } = spawnSync(
          "ffmpeg",
          ["-hide_banner", "-i", mix, "-af", `atrim=${from}:${to},lowpass=f=1000,lowpass=f=1000,lowpass=f=1000,volumedetect`, "-f", "null", "-"],
          { encoding: "utf8" },
        );
        return Number(/mean_volume: (-?[\d.]+) dB/.exec(stderr)?.[1]);
      };
      return { speech: window(2.5, 4.8), after: window(6, 7.5) };
    };
    const ducked = await levels(true);
    const open = await levels(false);
    assert.ok(open.speech - ducked.speech > 6, `under the voice the music drops: ${open.speech} → ${ducked.speech} dB`);
    assert.ok(Math.abs(open.after - ducked.after) < 1.5, `after the voice it comes back: ${open.after} vs ${ducked.after} dB`);
  });
});
