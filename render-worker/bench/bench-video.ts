// The standard bench video, shared by the render bench (render-worker/bench/render.ts) and
// the scale bench (bench/scale.ts): 8 scenes, 60 s, 1080p30, Ken Burns, crossfades, captions,
// ducked music, chapters. Its inputs are made here with FFmpeg and espeak-ng.
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
    transition: { kind: "crossfade", duration: 0.5 },
    captions: { enabled: true, cues: [] },
    music: { source: { kind: "generated", mood: "calm" }, volumeDb: -16, duck: true },
    chapters: true,
    loudness: { integratedLufs: -16, truePeakDb: -1.5 },
    output: { video: `out/${tag}.mp4`, poster: `out/${tag}.jpg` },
  };
  const timing = computeTiming(renderSpecSchema.parse(input));
  input.captions.cues = SENTENCES.map((text, i) => ({
    start: timing.scenes[i]!.startSec + 0.4,
    end: timing.scenes[i]!.startSec + duration - 0.3,
    text: edited && i === 3 ? EDITED_LINE : text,
  }));
  return renderSpecSchema.parse(input);
}
