// Pure functions that turn a render spec plus local file paths into FFmpeg arguments.
// Nothing here touches the disk or spawns a process, so all of it is unit-tested.
import { escapeFilterValue } from "./filter-escape.ts";
import { formatSettings, type FormatSettings } from "./formats.ts";
import type { RenderSpec, SceneSpec } from "./spec.ts";
import { computeTiming, type TimelineTiming } from "./timeline.ts";

export type { EncoderSettings } from "./quality.ts";

export type RenderInputs = {
  images: string[];
  /** One per scene; null where the scene has no narration. */
  narrations: (string | null)[];
  /** A music file, or null (no music, or music generated inside the graph). */
  musicFile: string | null;
  /** The ASS captions file, or null for none. */
  captionsFile: string | null;
  /** The watermark: its text in a UTF-8 file, or its image. */
  watermarkTextFile?: string | null;
  watermarkImage?: string | null;
  /** The ffmetadata file with one chapter per scene, or null. */
  chaptersFile?: string | null;
  /** Per scene: gain applied to its narration before mixing (a clipped file is turned down). */
  narrationGainDb?: number[];
  output: string;
};

/** FFmpeg's xfade names for the spec's transitions. */
export const XFADE: Record<RenderSpec["transition"]["kind"], string> = {
  crossfade: "fade",
  dissolve: "dissolve",
  "wipe-left": "wipeleft",
  "wipe-right": "wiperight",
  "wipe-up": "wipeup",
  "wipe-down": "wipedown",
  "slide-left": "slideleft",
  "slide-right": "slideright",
  "fade-black": "fadeblack",
};

export const WATERMARK_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";

/** Where the watermark goes: x and y expressions for drawtext (tw/th) or overlay (w/h). */
export function watermarkPosition(position: NonNullable<RenderSpec["watermark"]>["position"], margin: number, kind: "text" | "image") {
  const [ow, oh, mw, mh] = kind === "text" ? ["tw", "th", "w", "h"] : ["w", "h", "W", "H"];
  const x = { left: `${margin}`, right: `${mw}-${ow}-${margin}`, center: `(${mw}-${ow})/2` };
  const y = { top: `${margin}`, bottom: `${mh}-${oh}-${margin}`, center: `(${mh}-${oh})/2` };
  if (position === "center") return { x: x.center, y: y.center };
  const [v, h] = position.split("-") as ["top" | "bottom", "left" | "right"];
  return { x: x[h], y: y[v] };
}

const fmt = (n: number) => Number(n.toFixed(6)).toString();
const even = (expr: string) => `2*trunc((${expr})/2)`;

/** Motion on a still: a per-frame scale then a crop whose offset follows the frame number
 *  (crop fixes `iw` at setup, so it cannot be used while the size changes). */
export function buildMotionFilter(scene: Pick<SceneSpec, "motion">, width: number, height: number, frames: number, offset = 0) {
  const { kind, strength } = scene.motion;
  const last = Math.max(frames - 1, 1);
  // `offset`: this run starts at that frame of the scene (a segment of it).
  const progress = offset ? `((n+${offset})/${last})` : `(n/${last})`;
  if (kind === "none" || strength === 0) return "null";
  if (kind === "zoom-in" || kind === "zoom-out") {
    const z = kind === "zoom-in" ? `(1+${fmt(strength)}*${progress})` : `(1+${fmt(strength)}*(1-${progress}))`;
    const w = even(`${width}*${z}`);
    const h = even(`${height}*${z}`);
    return `scale=w='${w}':h='${h}':eval=frame:flags=bicubic,crop=w=${width}:h=${height}:x='(${w}-${width})/2':y='(${h}-${height})/2'`;
  }
  const sw = Math.round((width * (1 + strength)) / 2) * 2;
  const sh = Math.round((height * (1 + strength)) / 2) * 2;
  const travel = sw - width;
  const x = kind === "pan-right" ? `${travel}*${progress}` : `${travel}*(1-${progress})`;
  return `scale=${sw}:${sh}:flags=bicubic,crop=w=${width}:h=${height}:x='${x}':y=${(sh - height) / 2}`;
}

const MUSIC_CHORDS: Record<"calm" | "bright" | "dark", number[]> = {
  calm: [220, 277.18, 329.63], // A major
  bright: [261.63, 329.63, 392], // C major
  dark: [220, 261.63, 329.63], // A minor
};

/** A soft sustained chord (each tone with its octave) with a slow swell, made inside FFmpeg
 *  from sine sources (no file, no user text). `sine` is ~10× cheaper than evaluating the same
 *  sum with aevalsrc (measured: 0.16 s against 1.86 s for 61 s). */
export function generatedMusicSource(mood: keyof typeof MUSIC_CHORDS, durationSec: number) {
  // sine's amplitude is 1/8: 0.48 of it is 0.06, the octave 0.3 of that.
  const tones = MUSIC_CHORDS[mood].flatMap((f) => [
    [f, 0.48],
    [f * 2, 0.144],
  ]);
  const sources = tones.map(([f, gain], i) => `sine=f=${fmt(f!)}:sample_rate=48000:d=${fmt(durationSec)},volume=${gain}[gm${i}]`);
  const mix = `${tones.map((_, i) => `[gm${i}]`).join("")}amix=inputs=${tones.length}:normalize=0,volume=eval=frame:volume='0.75+0.25*sin(2*PI*0.08*t)'`;
  return [...sources, mix].join(";");
}

/** One still as `count` frames of its scene's motion, from frame `offset` of `frames`. */
export function stillChain(input: string, scene: SceneSpec, spec: Pick<RenderSpec, "width" | "height" | "fps">, frames: number, count = frames, offset = 0, out: string) {
  const { width: W, height: H, fps } = spec;
  return (
    `[${input}]scale=${W}:${H}:force_original_aspect_ratio=increase:out_range=tv,crop=${W}:${H},format=yuv420p,setsar=1,` +
    // settb: an image input's time base is 1/25; at 1/fps every frame keeps its own timestamp.
    `loop=loop=${count - 1}:size=1:start=0,settb=1/${fps},setpts=N,${buildMotionFilter(scene, W, H, frames, offset)},setsar=1,format=yuv420p[${out}]`
  );
}

/** Captions and the watermark on top of a video chain; returns the parts and the new label. */
export function overlayParts(spec: RenderSpec, files: { captionsFile: string | null; watermarkTextFile?: string | null; watermarkInput?: number | null }, last: string) {
  const { height: H } = spec;
  const parts: string[] = [];
  if (files.captionsFile) {
    parts.push(`[${last}]ass=filename=${escapeFilterValue(files.captionsFile)}[vcap]`);
    last = "vcap";
  }
  if (spec.watermark) {
    const { position, opacity, margin } = spec.watermark;
    const m = Math.round(H * margin);
    if (spec.watermark.source.kind === "text") {
      if (!files.watermarkTextFile) throw new Error("the spec asks for a text watermark but no text file was given");
      const { x, y } = watermarkPosition(position, m, "text");
      const size = Math.round(H * 0.035);
      // The text comes from a file and is drawn as is (expansion=none): it is never parsed.
      parts.push(
        `[${last}]drawtext=textfile=${escapeFilterValue(files.watermarkTextFile)}:expansion=none:fontfile=${escapeFilterValue(WATERMARK_FONT)}:` +
          `fontsize=${size}:fontcolor=white@${fmt(opacity)}:borderw=${Math.max(1, Math.round(size / 16))}:bordercolor=black@${fmt(opacity * 0.6)}:x=${x}:y=${y}[vwm]`,
      );
    } else {
      if (files.watermarkInput == null) throw new Error("the spec asks for an image watermark but no image was given");
      const { x, y } = watermarkPosition(position, m, "image");
      parts.push(`[${files.watermarkInput}:v]scale=-2:${Math.round(H * 0.1)},format=rgba,colorchannelmixer=aa=${fmt(opacity)}[wm]`);
      parts.push(`[${last}][wm]overlay=x=${x}:y=${y}:eof_action=repeat[vwm]`);
    }
    last = "vwm";
  }
  return { parts, last };
}

/** The audio graph: narrations delayed to their scenes, music ducked under them, loudness
 *  normalised. Narration inputs start at `firstInput`; a music file follows them. */
export function audioParts(spec: RenderSpec, inputs: Pick<RenderInputs, "narrations" | "narrationGainDb">, timing: TimelineTiming, firstInput: number) {
  const parts: string[] = [];
  const audioFormat = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo";
  const total = fmt(timing.totalSec);
  let inputIndex = firstInput;
  const voices: string[] = [];
  spec.scenes.forEach((scene, i) => {
    if (!inputs.narrations[i]) return;
    const delayMs = Math.round((timing.scenes[i]!.startSec + scene.narrationOffset) * 1000);
    const gain = inputs.narrationGainDb?.[i] ? `volume=${inputs.narrationGainDb[i]}dB,` : "";
    parts.push(`[${inputIndex}:a]${gain}${audioFormat},adelay=delays=${delayMs}:all=1[n${i}]`);
    voices.push(`[n${i}]`);
    inputIndex++;
  });
  if (voices.length === 0) parts.push(`anullsrc=r=48000:cl=stereo,atrim=0:${total}[voice]`);
  else if (voices.length === 1) parts.push(`${voices[0]}apad=whole_dur=${total},atrim=0:${total}[voice]`);
  else parts.push(`${voices.join("")}amix=inputs=${voices.length}:normalize=0:duration=longest,apad=whole_dur=${total},atrim=0:${total}[voice]`);

  let mixed = "voice";
  if (spec.music) {
    const fadeOut = Math.max(0, timing.totalSec - 2);
    const source = spec.music.source.kind === "generated" ? `${generatedMusicSource(spec.music.source.mood, timing.totalSec)},` : `[${inputIndex}:a]`;
    parts.push(
      `${source}${audioFormat},atrim=0:${total},volume=${spec.music.volumeDb}dB,afade=t=in:st=0:d=1,afade=t=out:st=${fmt(fadeOut)}:d=2[music]`,
    );
    if (spec.music.duck) {
      // The narration is the sidechain: the music drops while someone speaks.
      parts.push(`[voice]asplit=2[voicemix][voicekey]`);
      parts.push(`[music][voicekey]sidechaincompress=threshold=0.015:ratio=8:attack=20:release=450:makeup=1[ducked]`);
      parts.push(`[voicemix][ducked]amix=inputs=2:normalize=0:duration=first[mixed]`);
    } else {
      parts.push(`[voice][music]amix=inputs=2:normalize=0:duration=first[mixed]`);
    }
    mixed = "mixed";
  }
  const { integratedLufs, truePeakDb } = spec.loudness;
  parts.push(`[${mixed}]loudnorm=I=${integratedLufs}:TP=${truePeakDb}:LRA=11,${audioFormat},atrim=0:${total}[aout]`);
  return parts;
}

export function buildFilterGraph(spec: RenderSpec, inputs: RenderInputs, timing: TimelineTiming = computeTiming(spec)) {
  const { fps } = spec;
  const n = spec.scenes.length;
  const parts = spec.scenes.map((scene, i) => stillChain(`${i}:v`, scene, spec, timing.scenes[i]!.frames, undefined, 0, `v${i}`));

  let last = "v0";
  const T = timing.transitionFrames / fps;
  for (let i = 1; i < n; i++) {
    const offset = timing.scenes[i]!.startFrame / fps;
    const label = `x${i}`;
    parts.push(`[${last}][v${i}]xfade=transition=${XFADE[spec.transition.kind]}:duration=${fmt(T)}:offset=${fmt(offset)}[${label}]`);
    last = label;
  }
  const overlay = overlayParts(
    spec,
    { captionsFile: inputs.captionsFile, watermarkTextFile: inputs.watermarkTextFile, watermarkInput: inputs.watermarkImage ? watermarkInputIndex(spec, inputs) : null },
    last,
  );
  // Every frame already has its own timestamp at 1/fps (stillChain): an fps filter here
  // would only drop the last frame at the end of the stream.
  parts.push(...overlay.parts, `[${overlay.last}]format=yuv420p[vout]`);
  parts.push(...audioParts(spec, inputs, timing, n));
  return parts.join(";\n");
}

/** Inputs come in this order: images, narrations, the music file, the watermark image, chapters. */
function watermarkInputIndex(spec: RenderSpec, inputs: RenderInputs) {
  return spec.scenes.length + inputs.narrations.filter(Boolean).length + (spec.music?.source.kind === "asset" ? 1 : 0);
}

export type PassOptions = { pass: 1 | 2; logFile: string };

export function buildRenderArgs(
  spec: RenderSpec,
  inputs: RenderInputs,
  settings: FormatSettings = formatSettings(spec.format, spec.quality, spec),
  pass?: PassOptions,
) {
  const encoder = settings.video;
  if (inputs.images.length !== spec.scenes.length || inputs.narrations.length !== spec.scenes.length) {
    throw new Error("one image and one narration slot per scene are required");
  }
  const timing = computeTiming(spec);
  const args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats", ...encoder.inputArgs];
  for (const image of inputs.images) args.push("-i", image);
  for (const narration of inputs.narrations) if (narration) args.push("-i", narration);
  if (spec.music?.source.kind === "asset") {
    if (!inputs.musicFile) throw new Error("the spec asks for a music file but none was given");
    args.push("-stream_loop", "-1", "-i", inputs.musicFile);
  }
  if (spec.watermark?.source.kind === "image" && inputs.watermarkImage) args.push("-i", inputs.watermarkImage);
  const chaptersIndex = watermarkInputIndex(spec, inputs) + (spec.watermark?.source.kind === "image" ? 1 : 0);
  const withChapters = spec.chapters && Boolean(inputs.chaptersFile) && pass?.pass !== 1;
  if (withChapters) args.push("-f", "ffmetadata", "-i", inputs.chaptersFile!);
  const graph = buildFilterGraph(spec, inputs, timing).replace("[vout]", `${encoder.filterTail}[vout]`);
  args.push("-filter_complex", graph);
  args.push("-map", "[vout]", "-map", "[aout]");
  if (withChapters) args.push("-map_chapters", String(chaptersIndex));
  args.push(...encoder.videoArgs, "-r", String(spec.fps), "-g", String(spec.fps * 2));
  if (pass) args.push("-pass", String(pass.pass), "-passlogfile", pass.logFile);
  args.push(...settings.audioArgs);
  args.push("-frames:v", String(timing.totalFrames), "-t", fmt(timing.totalSec));
  // The first of two passes only writes its log: its video goes nowhere.
  if (pass?.pass === 1) args.push("-f", "null", "-");
  else args.push(...settings.muxerArgs, inputs.output);
  return { args, timing };
}

export function buildPosterArgs(video: string, atSec: number, output: string) {
  return ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-ss", fmt(atSec), "-i", video, "-frames:v", "1", "-q:v", "3", "-f", "image2", output];
}
