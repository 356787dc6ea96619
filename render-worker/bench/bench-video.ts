// The standard bench video, shared by the render bench (render-worker/bench/render.ts) and
// the scale bench (bench/scale.ts): 8 scenes, 60 s, 1080p30, Ken Burns, crossfades, captions,
// ducked music, chapters. Its inputs are made here with FFmpeg and espeak-ng. The clip video
// (render bench only) tells the same 8 scenes in 24 shots of video clips.
import { spawnSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { computeTiming, renderSpecSchema, type RenderSpec, type RenderSpecInput } from "@aura/render-contract";

export const SENTENCES = [
  "Lighthouses stood on rocky coasts to warn ships away from danger at night.",
  "Their keepers climbed the stairs at dusk to light the great lamps.",
  "A lens of glass prisms bent the light into a beam seen for miles.",
  "Each lighthouse flashed its own pattern, so sailors knew where they were.",
  "Storms tested the towers, and some were rebuilt many times.",
  "Radio beacons and satellites slowly took over the work of guiding ships.",
  "Today most lighthouses run themselves, and many welcome visitors.",
  "They remain a symbol of care, watching over the sea.",
];
const EDITED_LINE = "An edited line about lighthouse keepers and their families.";

export function run(cmd: string, args: string[]) {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
}

/** Writes the video's inputs under `storageDir`/in: a picture and a narration per scene, and
 *  the narration of the edited scene. Returns their keys. */
export function makeBenchInputs(storageDir: string) {
  mkdirSync(path.join(storageDir, "in"), { recursive: true });
  const keys: string[] = [];
  SENTENCES.forEach((text, i) => {
    run("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", `testsrc2=s=2400x1350,hue=h=${i * 45}`, "-frames:v", "1", path.join(storageDir, `in/scene-${i}.png`)]);
    run("espeak-ng", ["-w", path.join(storageDir, `in/voice-${i}.wav`), text]);
    keys.push(`in/scene-${i}.png`, `in/voice-${i}.wav`);
  });
  run("espeak-ng", ["-w", path.join(storageDir, "in/voice-edited.wav"), EDITED_LINE]);
  keys.push("in/voice-edited.wav");
  return keys;
}

const MOTIONS = ["zoom-in", "pan-right", "zoom-out", "pan-left"] as const;

/** What every bench video shares besides its scenes: crossfades, captions (their cues are
 *  filled in afterwards: a fresh object each time), a ducked music bed, chapters, the loudness
 *  pass, and its outputs with the growing preview, as the app asks for it (its first playable
 *  time is a figure). */
export function benchLook(tag: string) {
  return {
    transition: { kind: "crossfade", duration: 0.5 },
    captions: { enabled: true, cues: [] as NonNullable<RenderSpecInput["captions"]>["cues"] },
    music: { source: { kind: "generated", mood: "calm" }, volumeDb: -16, duck: true },
    chapters: true,
    loudness: { integratedLufs: -16, truePeakDb: -1.5 },
    output: { video: `out/${tag}.mp4`, poster: `out/${tag}.jpg`, preview: `out/${tag}-preview` },
  } satisfies Partial<RenderSpecInput>;
}

/** The video's render spec; `edited`: with scene 4's narration and caption changed. */
export function benchSpec(quality: "draft" | "standard", edited: boolean, tag: string): RenderSpec {
  const duration = 60.5 / 8 + 0.5; // 8 scenes, 0.5 s transitions: 60 s in all
  const input: RenderSpecInput = {
    version: 1,
    width: 1920,
    height: 1080,
    fps: 30,
    quality,
    scenes: SENTENCES.map((_, i) => ({
      image: `in/scene-${i}.png`,
      narration: edited && i === 3 ? "in/voice-edited.wav" : `in/voice-${i}.wav`,
      duration,
      narrationOffset: 0.4,
      motion: { kind: MOTIONS[i % 4]!, strength: 0.12 },
      title: `Scene ${i + 1}`,
    })),
    ...benchLook(tag),
  };
  const timing = computeTiming(renderSpecSchema.parse(input));
  input.captions.cues = SENTENCES.map((text, i) => ({
    start: timing.scenes[i]!.startSec + 0.4,
    end: timing.scenes[i]!.startSec + duration - 0.3,
    text: edited && i === 3 ? EDITED_LINE : text,
  }));
  return renderSpecSchema.parse(input);
}

/** The clip video's sources: moving test patterns, each tinted its own way, at the sizes and
 *  rates stock footage comes in: 1080p at 30, 25 and 60 fps, a 1080x1920 portrait one, and
 *  three 4K ones; some with sound. Keys in the order clipBenchSpec uses them. */
const CLIP_SOURCES = [
  { key: "in/clip-1080p30.mp4", size: "1920x1080", rate: "30", seconds: 4, sound: true },
  { key: "in/clip-4k-a.mp4", size: "3840x2160", rate: "30", seconds: 3, sound: false },
  { key: "in/clip-1080p25.mp4", size: "1920x1080", rate: "25", seconds: 4, sound: false },
  { key: "in/clip-portrait.mp4", size: "1080x1920", rate: "30", seconds: 4, sound: true },
  { key: "in/clip-4k-b.mp4", size: "3840x2160", rate: "30", seconds: 3, sound: true },
  { key: "in/clip-1080p60.mp4", size: "1920x1080", rate: "60", seconds: 4, sound: false },
  { key: "in/clip-4k-c.mp4", size: "3840x2160", rate: "30", seconds: 3, sound: false },
  { key: "in/clip-1080p30-b.mp4", size: "1920x1080", rate: "30", seconds: 4, sound: false },
] as const;

/** Writes the clip video's sources under `storageDir`/in (the narrations come from
 *  makeBenchInputs). Returns their keys. */
export function makeClipBenchInputs(storageDir: string) {
  mkdirSync(path.join(storageDir, "in"), { recursive: true });
  CLIP_SOURCES.forEach((clip, i) => {
    run("ffmpeg", [
      ...["-v", "error", "-y", "-f", "lavfi", "-i", `testsrc2=s=${clip.size}:r=${clip.rate}:d=${clip.seconds},hue=h=${i * 40}`],
      ...(clip.sound ? ["-f", "lavfi", "-i", `sine=f=${220 + i * 60}:sample_rate=48000:d=${clip.seconds}`, "-c:a", "aac", "-shortest"] : []),
      ...["-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", "-g", clip.rate],
      path.join(storageDir, clip.key),
    ]);
  });
  return CLIP_SOURCES.map((c) => c.key);
}

/** The clip video's render spec: the 8 scenes of benchSpec, each three shots of about 3 s
 *  (the first carries the scene's narration, two continue it), each a clip from CLIP_SOURCES
 *  (their starts vary; the 3 s 4K ones loop where a shot outlasts them), the portrait one
 *  fitted over its blurred copy, every third shot with its own sound at -18 dB. `edited`:
 *  shot 11 starts elsewhere in its clip. */
export function clipBenchSpec(quality: "draft" | "standard", edited: boolean, tag: string): RenderSpec {
  const shots = SENTENCES.length * 3;
  const duration = (60 + (shots - 1) * 0.5) / shots; // 0.5 s transitions: 60 s in all
  const input: RenderSpecInput = {
    version: 1,
    width: 1920,
    height: 1080,
    fps: 30,
    quality,
    scenes: Array.from({ length: shots }, (_, i) => {
      const source = CLIP_SOURCES[i % CLIP_SOURCES.length]!;
      const first = i % 3 === 0;
      return {
        clip: {
          key: source.key,
          start: edited && i === 10 ? 0.2 : [0, 0.5, 1][i % 3]!,
          volumeDb: i % 3 === 2 ? -18 : null,
          fit: source.key === "in/clip-portrait.mp4" ? ("blur" as const) : ("crop" as const),
        },
        continues: !first,
        narration: first ? `in/voice-${i / 3}.wav` : null,
        duration,
        narrationOffset: first ? 0.4 : 0,
        motion: { kind: "none" as const, strength: 0 },
        ...(first ? { title: `Scene ${i / 3 + 1}` } : {}),
      };
    }),
    ...benchLook(tag),
  };
  const timing = computeTiming(renderSpecSchema.parse(input));
  input.captions.cues = SENTENCES.map((text, i) => ({
    start: timing.scenes[i * 3]!.startSec + 0.4,
    end: timing.scenes[i * 3 + 2]!.startSec + duration - 0.3,
    text,
  }));
  return renderSpecSchema.parse(input);
}
