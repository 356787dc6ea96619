// The bench's baseline: the same stills video rendered the way a hand-written FFmpeg command
// does it (and the renderers of MoneyPrinterTurbo-style tools do): one process, one filter
// graph of zoompan per still, a chain of xfade, the captions burned by the subtitles filter,
// the narrations delayed and mixed in the same graph. Same size, rate, encoder settings and
// captions as Aura's render; no music, no loudness pass.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { computeTiming, type RenderSpec } from "@aura/render-contract";
import { buildAssFile } from "../src/captions.ts";
import { escapeFilterValue } from "../src/filter-escape.ts";
import type { FormatSettings } from "../src/formats.ts";

/** FFmpeg's arguments (without the leading options) for the one-graph render of a stills
 *  spec; the captions file is written into `work`. */
export function singleGraphArgs(spec: RenderSpec, storageDir: string, work: string, settings: FormatSettings, output: string) {
  const timing = computeTiming(spec);
  const { width: w, height: h, fps } = spec;
  const ass = path.join(work, "one-graph.ass");
  writeFileSync(ass, buildAssFile(spec.captions.cues, w, h, spec.captions.style, [], spec.language));
  const args: string[] = [];
  const graph: string[] = [];
  spec.scenes.forEach((scene, i) => {
    args.push("-i", path.join(storageDir, scene.image!));
    const frames = timing.scenes[i]!.frames;
    const step = (scene.motion.strength / frames).toFixed(6);
    const zoom = scene.motion.kind === "zoom-out" ? `max(${1 + scene.motion.strength}-on*${step},1)` : `min(1+on*${step},${1 + scene.motion.strength})`;
    graph.push(
      `[${i}:v]scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},scale=out_range=tv,format=yuv420p,` +
        `zoompan=z='${zoom}':x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)':d=${frames}:s=${w}x${h}:fps=${fps},setsar=1[s${i}]`,
    );
  });
  let last = "s0";
  for (let i = 1; i < spec.scenes.length; i++) {
    // Rounded down, or the video gains a frame.
    const offset = Math.floor((timing.scenes[i]!.startFrame / fps) * 1000) / 1000;
    graph.push(`[${last}][s${i}]xfade=transition=fade:duration=${timing.transitionFrames / fps}:offset=${offset}[x${i}]`);
    last = `x${i}`;
  }
  graph.push(`[${last}]subtitles=filename=${escapeFilterValue(ass)},format=yuv420p[vout]`);
  const voices = spec.scenes.flatMap((scene, i) => (scene.narration ? [{ file: path.join(storageDir, scene.narration), i }] : []));
  voices.forEach((v, k) => {
    args.push("-i", v.file);
    const delay = Math.round((timing.scenes[v.i]!.startSec + spec.scenes[v.i]!.narrationOffset) * 1000);
    graph.push(`[${spec.scenes.length + k}:a]aresample=48000,adelay=${delay}:all=1[a${k}]`);
  });
  graph.push(`${voices.map((_, k) => `[a${k}]`).join("")}amix=inputs=${voices.length}:normalize=0,aformat=sample_fmts=fltp:channel_layouts=stereo[aout]`);
  return [
    ...args,
    "-filter_complex",
    graph.join(";"),
    "-map",
    "[vout]",
    "-map",
    "[aout]",
    ...settings.video.videoArgs,
    "-g",
    String(fps * 2),
    "-frames:v",
    String(timing.totalFrames),
    ...settings.audioArgs,
    ...settings.muxerArgs,
    output,
  ];
}
