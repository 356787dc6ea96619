// Pure functions that turn a render spec plus local file paths into FFmpeg arguments.
// Nothing here touches the disk or spawns a process, so all of it is unit-tested.
import { computeTiming, planSegments, type Clip, type Inset, type RenderSpec, type SceneSpec, type Segment, type TimelineTiming } from "@aura/render-contract";
import type { MixedAudio } from "./audio-mix.ts";
import { clipInputArgs, type ClipInfo, type ClipInput } from "./clips.ts";
import { escapeFilterValue, fmt } from "./filter-escape.ts";
import { formatSettings, type FormatSettings } from "./formats.ts";

export type { EncoderSettings } from "./quality.ts";

export type RenderInputs = {
  /** Each shot's still, or null for a clip shot. */
  images: (string | null)[];
  /** Each clip shot's file and what ffprobe found in it, or null for a still; absent when no
   *  shot is a clip. */
  clips?: (ClipInput | null)[];
  /** Each scene's inset picture (picture-in-picture), or null; absent when no scene has one. */
  insets?: (string | null)[];
  /** The mixed narration and music (audio-mix.ts) and the filter that sets its loudness. */
  audio: MixedAudio;
  /** The ASS captions file, or null for none. */
  captionsFile: string | null;
  /** A folder holding only the captions' own font (the spec's caption fontKey), or null. */
  fontsDir?: string | null;
  /** The watermark: its text as an ASS file (captions.ts buildWatermarkAss), or its image. */
  watermarkTextFile?: string | null;
  watermarkImage?: string | null;
  /** The ffmetadata file with one chapter per scene, or null. */
  chaptersFile?: string | null;
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

/** Where the image watermark goes: x and y expressions for overlay (the text watermark is
 *  placed in its ASS file: captions.ts watermarkAnchor). */
export function watermarkPosition(position: NonNullable<RenderSpec["watermark"]>["position"], margin: number) {
  const x = { left: `${margin}`, right: `W-w-${margin}`, center: "(W-w)/2" };
  const y = { top: `${margin}`, bottom: `H-h-${margin}`, center: "(H-h)/2" };
  if (position === "center") return { x: x.center, y: y.center };
  const [v, h] = position.split("-") as ["top" | "bottom", "left" | "right"];
  return { x: x[h], y: y[v] };
}

const even = (expr: string) => `2*trunc((${expr})/2)`;

/** Motion on a still: the size the still is prepared at (once), and the filter run on every
 *  frame. A zoom scales each frame, then crops the centre; a pan prepares the still larger
 *  and moves only the crop, which costs nothing per frame (crop fixes `iw` at setup, so
 *  offsets are computed from the frame number, never from the size). */
export function buildMotionFilter(scene: Pick<SceneSpec, "motion">, width: number, height: number, frames: number, offset = 0) {
  const { kind, strength } = scene.motion;
  const last = Math.max(frames - 1, 1);
  // `offset`: this run starts at that frame of the scene (a segment of it).
  const progress = offset ? `((n+${offset})/${last})` : `(n/${last})`;
  if (kind === "none" || strength === 0) return { width, height, perFrame: "null" };
  if (kind === "zoom-in" || kind === "zoom-out") {
    const z = kind === "zoom-in" ? `(1+${fmt(strength)}*${progress})` : `(1+${fmt(strength)}*(1-${progress}))`;
    const w = even(`${width}*${z}`);
    const h = even(`${height}*${z}`);
    // threads=1: the scaler is rebuilt for every new size, and a threaded one starts its
    // threads again each time; one thread takes less CPU time and less wall time.
    return {
      width,
      height,
      perFrame: `scale=w='${w}':h='${h}':eval=frame:flags=bicubic:threads=1,crop=w=${width}:h=${height}:x='(${w}-${width})/2':y='(${h}-${height})/2'`,
    };
  }
  const sw = Math.round((width * (1 + strength)) / 2) * 2;
  const sh = Math.round((height * (1 + strength)) / 2) * 2;
  const travel = sw - width;
  const x = kind === "pan-right" ? `${travel}*${progress}` : `${travel}*(1-${progress})`;
  return { width: sw, height: sh, perFrame: `crop=w=${width}:h=${height}:x='${x}':y=${(sh - height) / 2}` };
}

/** A still's picture at its motion's size: scaled to cover it, the middle cut out, in
 *  limited-range yuv420p (buildMotionFilter's size does not depend on the frames). */
export function stillFit(scene: Pick<SceneSpec, "motion">, spec: Pick<RenderSpec, "width" | "height">) {
  const { width, height } = buildMotionFilter(scene, spec.width, spec.height, 1);
  return {
    width,
    height,
    filter: `scale=${width}:${height}:force_original_aspect_ratio=increase:out_range=tv,crop=${width}:${height},format=yuv420p,setsar=1`,
  };
}

/** A still decoded and fitted once (stillFit), as one raw yuv420p frame, for every segment
 *  that shows it: decoding a 2400×1350 PNG and fitting it cost about 0.2 s of CPU in each. */
export type PreparedStill = { file: string; width: number; height: number };

/** FFmpeg's arguments that decode a still and fit it (`stillFit`'s filter) into `output` (PreparedStill). */
export function buildStillPrepArgs(image: string, fit: { filter: string }, output: string) {
  return [
    "-hide_banner",
    "-nostdin",
    "-y",
    "-loglevel",
    "error",
    "-i",
    image,
    "-vf",
    fit.filter,
    "-frames:v",
    "1",
    "-f",
    "rawvideo",
    "-pix_fmt",
    "yuv420p",
    output,
  ];
}

/** One still as `count` frames of its scene's motion, from frame `offset` of `frames`, with
 *  the scene's inset picture (input label `insetInput`) over it. `prepared`: the input is the
 *  still already fitted (PreparedStill), tagged as the fit tags it. */
export function stillChain(
  input: string,
  scene: SceneSpec,
  spec: Pick<RenderSpec, "width" | "height" | "fps">,
  frames: number,
  count = frames,
  offset = 0,
  out: string,
  insetInput?: string,
  prepared = false,
) {
  const { width: W, height: H, fps } = spec;
  const motion = buildMotionFilter(scene, W, H, frames, offset);
  const inset = scene.inset && insetInput ? insetParts(scene.inset, spec, insetInput, `${out}_m`, out) : null;
  const chain =
    `[${input}]${prepared ? "setparams=range=tv,setsar=1" : stillFit(scene, spec).filter},` +
    // settb: an image input's time base is 1/25; at 1/fps every frame keeps its own timestamp.
    `loop=loop=${count - 1}:size=1:start=0,settb=1/${fps},setpts=N,${motion.perFrame},setsar=1,format=yuv420p[${inset ? `${out}_m` : out}]`;
  return inset ? [chain, ...inset].join(";\n") : chain;
}

const evenDown = (n: number) => Math.max(2, Math.floor(n / 2) * 2);

/**
 * The filter chain of a clip shot: `count` frames at the render's rate from `input` (a decoded
 * clip, already turned upright), fitted to the frame, with the shot's inset picture over it.
 * - `fps` with start_time=0 takes any source rate, constant or variable, to the render's:
 *   frames are dropped or repeated on the output's clock, the first one from time 0; the
 *   last one is held when the picture ends before the file (`info.pictureEndsEarly`).
 * - crop: scaled to cover the frame (by its display aspect, so non-square pixels come out
 *   right), then the middle cut out.
 * - blur: the whole picture fitted inside the frame, over a copy of itself that covers the
 *   frame, blurred. The copy is made from the fitted picture at an eighth of the frame's size
 *   and blurred there, so its scale and blur cost little next to decoding the clip.
 * The scalers also convert any pixel format and bit depth to 8-bit yuv420p in limited range.
 */
export function clipChain(
  input: string,
  scene: Pick<SceneSpec, "inset"> & { clip: Pick<Clip, "fit"> },
  spec: Pick<RenderSpec, "width" | "height" | "fps">,
  count: number,
  out: string,
  insetInput?: string,
  info?: Pick<ClipInfo, "pictureEndsEarly">,
) {
  const { width: W, height: H, fps } = spec;
  const inset = scene.inset && insetInput ? insetParts(scene.inset, spec, insetInput, `${out}_m`, out) : null;
  const main = inset ? `${out}_m` : out;
  // tpad: a clip whose picture ends before its file does (its sound runs on) holds its last
  // frame, as players do. Only then: any other clip that runs out of frames before its piece
  // ends is damaged, and the short piece fails the render, naming it.
  const rate = `fps=${fps}:start_time=0${info?.pictureEndsEarly ? ",tpad=stop=-1:stop_mode=clone" : ""}`;
  const tail = `format=yuv420p,trim=end_frame=${count},settb=1/${fps},setpts=N`;
  let chain: string;
  if (scene.clip.fit === "crop") {
    chain = `[${input}]${rate},scale=w='max(${W},ceil(${H}*dar/2)*2)':h='max(${H},ceil(${W}/dar/2)*2)':out_range=tv,crop=${W}:${H},setsar=1,${tail}[${main}]`;
  } else {
    const bw = evenDown(W / 8);
    const bh = evenDown(H / 8);
    chain = [
      `[${input}]${rate},scale=w='min(${W},floor(${H}*dar/2)*2)':h='min(${H},floor(${W}/dar/2)*2)':out_range=tv,format=yuv420p,setsar=1,split[${out}_f][${out}_b]`,
      `[${out}_b]scale=w='max(${bw},ceil(${bh}*a/2)*2)':h='max(${bh},ceil(${bw}/a/2)*2)',crop=${bw}:${bh},` +
        `boxblur=luma_radius='min(w,h)/5':chroma_radius='min(cw,ch)/5':luma_power=2,scale=${W}:${H}:flags=bilinear,setsar=1[${out}_bg]`,
      `[${out}_bg][${out}_f]overlay=x=(W-w)/2:y=(H-h)/2,${tail}[${main}]`,
    ].join(";\n");
  }
  return inset ? [chain, ...inset].join(";\n") : chain;
}

/** Picture-in-picture: the inset fitted in its box (aspect kept), framed by its border, laid
 *  over `main` at its corner. One decoded frame, repeated by overlay: it does not move. */
export function insetParts(inset: Inset, spec: Pick<RenderSpec, "width" | "height">, insetInput: string, main: string, out: string) {
  const { width: W, height: H } = spec;
  const border = inset.border ? Math.max(2, Math.round(H * 0.004)) : 0;
  const boxW = Math.floor((W * inset.size) / 2) * 2 - 2 * border;
  const boxH = Math.floor((H * inset.size) / 2) * 2 - 2 * border;
  const m = Math.round(H * inset.margin);
  const [v, h] = inset.position.split("-") as ["top" | "bottom", "left" | "right"];
  const frame = inset.border ? `,pad=w=iw+${2 * border}:h=ih+${2 * border}:x=${border}:y=${border}:color=0x${inset.border.slice(1)}` : "";
  return [
    `[${insetInput}]scale=w=${boxW}:h=${boxH}:force_original_aspect_ratio=decrease:force_divisible_by=2:out_range=tv,format=yuv420p${frame},setsar=1[${out}_i]`,
    `[${main}][${out}_i]overlay=x=${h === "left" ? m : `W-w-${m}`}:y=${v === "top" ? m : `H-h-${m}`}:eof_action=repeat[${out}]`,
  ];
}

/** Captions and the watermark on top of a video chain; returns the parts and the new label. */
export function overlayParts(
  spec: RenderSpec,
  files: { captionsFile: string | null; fontsDir?: string | null; watermarkTextFile?: string | null; watermarkInput?: number | null },
  last: string,
) {
  const { height: H } = spec;
  const parts: string[] = [];
  if (files.captionsFile) {
    const fonts = files.fontsDir ? `:fontsdir=${escapeFilterValue(files.fontsDir)}` : "";
    parts.push(`[${last}]ass=filename=${escapeFilterValue(files.captionsFile)}${fonts}[vcap]`);
    last = "vcap";
  }
  if (spec.watermark) {
    const { position, opacity, margin } = spec.watermark;
    const m = Math.round(H * margin);
    if (spec.watermark.source.kind === "text") {
      // The text is drawn by libass from its own ASS file (shaped, in any script): it never
      // enters the graph.
      if (!files.watermarkTextFile) throw new Error("the spec asks for a text watermark but no text file was given");
      parts.push(`[${last}]ass=filename=${escapeFilterValue(files.watermarkTextFile)}[vwm]`);
    } else {
      if (files.watermarkInput == null) throw new Error("the spec asks for an image watermark but no image was given");
      const { x, y } = watermarkPosition(position, m);
      parts.push(`[${files.watermarkInput}:v]scale=-2:${Math.round(H * 0.1)},format=rgba,colorchannelmixer=aa=${fmt(opacity)}[wm]`);
      parts.push(`[${last}][wm]overlay=x=${x}:y=${y}:eof_action=repeat[vwm]`);
    }
    last = "vwm";
  }
  return { parts, last };
}

/** One piece of the timeline (a scene's body or a transition) from its pictures' input
 *  labels, ending in `[out]`. A still is moved by its motion from the piece's first frame on; a
 *  clip's input already starts at the piece's first frame (clipInputArgs). `whole[k]`: input k
 *  is already all of its shot's frames (a clip decoded once for the single graph), and the
 *  piece cuts its frames out of them. `clips`: each shot's clip file and what ffprobe found. */
export function segmentChains(
  spec: RenderSpec,
  timing: TimelineTiming,
  segment: Segment,
  inputs: string[],
  out: string,
  insets: (string | null)[] = [],
  whole: boolean[] = [],
  clips: readonly (ClipInput | null)[] = [],
  prepared: boolean[] = [],
) {
  const labels = segment.scenes.map((_, k) => (segment.kind === "transition" ? `${out}_${k}` : out));
  const parts = segment.scenes.map((scene, k) => {
    const shot = spec.scenes[scene]!;
    const offset = segment.offsets[k]!;
    if (whole[k]) return `[${inputs[k]}]trim=start_frame=${offset}:end_frame=${offset + segment.frames},setpts=N[${labels[k]}]`;
    if (shot.clip) return clipChain(inputs[k]!, { ...shot, clip: shot.clip }, spec, segment.frames, labels[k]!, insets[k] ?? undefined, clips[scene]?.info);
    return stillChain(inputs[k]!, shot, spec, timing.scenes[scene]!.frames, segment.frames, offset, labels[k]!, insets[k] ?? undefined, prepared[k]);
  });
  if (segment.kind === "transition") {
    parts.push(`[${labels[0]}][${labels[1]}]xfade=transition=${XFADE[spec.transition.kind]}:duration=${fmt(segment.frames / spec.fps)}:offset=0[${out}]`);
  }
  return parts;
}

/**
 * The video in one graph: the same pieces as a segmented render (segments.ts), each picture
 * decoded once and split among the pieces that show it, joined by concat. Chaining xfades over
 * whole scenes would cost more: FFmpeg 5.1's xfade blends every frame of its second input even
 * after the transition ends, so the last scene's frames went through every xfade before it.
 */
export function buildFilterGraph(spec: RenderSpec, inputs: RenderInputs, timing: TimelineTiming = computeTiming(spec)) {
  const { fps } = spec;
  const n = spec.scenes.length;
  const plan = planSegments(timing);
  const parts: string[] = [];
  let last: string;
  const insetIndex = insetInputIndexes(spec, inputs);
  if (plan) {
    // A picture shown by several pieces is decoded once and split among them. A clip is decoded
    // once too: all of its shot's frames (with its inset), split, and each piece cuts its own.
    const uses = spec.scenes.map((_, i) => plan.filter((p) => p.scenes.includes(i)).length);
    const taken = spec.scenes.map(() => 0);
    uses.forEach((count, i) => {
      const copies = (name: string) => Array.from({ length: count }, (_, u) => `[${name}${i}_${u}]`).join("");
      const scene = spec.scenes[i]!;
      if (scene.clip) {
        const insetLabel = insetIndex[i] == null ? undefined : `${insetIndex[i]}:v`;
        const info = inputs.clips?.[i]?.info;
        parts.push(clipChain(`${i}:v`, { ...scene, clip: scene.clip }, spec, timing.scenes[i]!.frames, count > 1 ? `s${i}` : `p${i}_0`, insetLabel, info));
        if (count > 1) parts.push(`[s${i}]split=${count}${copies("p")}`);
        return;
      }
      if (count > 1) parts.push(`[${i}:v]split=${count}${copies("p")}`);
      if (count > 1 && insetIndex[i] != null) parts.push(`[${insetIndex[i]}:v]split=${count}${copies("q")}`);
    });
    plan.forEach((segment, k) => {
      const use = segment.scenes.map((i) => (uses[i]! > 1 || spec.scenes[i]!.clip ? taken[i]!++ : null));
      const labels = segment.scenes.map((i, j) => (use[j] != null ? `p${i}_${use[j]}` : `${i}:v`));
      const insets = segment.scenes.map((i, j) =>
        insetIndex[i] == null || spec.scenes[i]!.clip ? null : use[j] != null ? `q${i}_${use[j]}` : `${insetIndex[i]}:v`,
      );
      const whole = segment.scenes.map((i) => Boolean(spec.scenes[i]!.clip));
      parts.push(...segmentChains(spec, timing, segment, labels, `c${k}`, insets, whole));
    });
    // concat counts time in microseconds; back to 1/fps, as in each segment, so that captions
    // change on the same frames either way.
    parts.push(`${plan.map((_, k) => `[c${k}]`).join("")}concat=n=${plan.length}:v=1:a=0,settb=1/${fps},setpts=N[vcat]`);
    last = "vcat";
  } else {
    // Scenes shorter than their two transitions: xfades chained over whole scenes.
    parts.push(
      ...spec.scenes.map((scene, i) => {
        const insetLabel = insetIndex[i] == null ? undefined : `${insetIndex[i]}:v`;
        const frames = timing.scenes[i]!.frames;
        return scene.clip
          ? clipChain(`${i}:v`, { ...scene, clip: scene.clip }, spec, frames, `v${i}`, insetLabel, inputs.clips?.[i]?.info)
          : stillChain(`${i}:v`, scene, spec, frames, undefined, 0, `v${i}`, insetLabel);
      }),
    );
    last = "v0";
    const T = timing.transitionFrames / fps;
    for (let i = 1; i < n; i++) {
      const offset = timing.scenes[i]!.startFrame / fps;
      parts.push(`[${last}][v${i}]xfade=transition=${XFADE[spec.transition.kind]}:duration=${fmt(T)}:offset=${fmt(offset)}[x${i}]`);
      last = `x${i}`;
    }
  }
  const overlay = overlayParts(
    spec,
    {
      captionsFile: inputs.captionsFile,
      fontsDir: inputs.fontsDir ?? null,
      watermarkTextFile: inputs.watermarkTextFile,
      watermarkInput: inputs.watermarkImage ? audioInputIndex(spec, inputs) + 1 : null,
    },
    last,
  );
  // Every frame already has its own timestamp at 1/fps (stillChain): an fps filter here
  // would only drop the last frame at the end of the stream.
  parts.push(...overlay.parts, `[${overlay.last}]format=yuv420p[vout]`);
  parts.push(`[${audioInputIndex(spec, inputs)}:a]${inputs.audio.filter}[aout]`);
  return parts.join(";\n");
}

/** Each scene's inset input index (inputs: images, insets, the mixed audio, the watermark
 *  image, chapters), or null when it has none. */
export function insetInputIndexes(spec: RenderSpec, inputs: Pick<RenderInputs, "insets">) {
  let next = spec.scenes.length;
  return spec.scenes.map((scene, i) => (scene.inset && inputs.insets?.[i] ? next++ : null));
}

/** The inset pictures, in scene order: the inputs right after the scenes' images. */
const insetFiles = (spec: RenderSpec, inputs: Pick<RenderInputs, "insets">) =>
  insetInputIndexes(spec, inputs).flatMap((index, i) => (index == null ? [] : [inputs.insets![i]!]));

/** The mixed audio comes after the images and the insets. */
const audioInputIndex = (spec: RenderSpec, inputs: Pick<RenderInputs, "insets">) => spec.scenes.length + insetFiles(spec, inputs).length;

/** The input arguments of shot `shot`'s picture for `count` frames from frame `offset` of it:
 *  its still, or its clip seeked and looped to match. */
export function shotInputArgs(
  spec: RenderSpec,
  inputs: Pick<RenderInputs, "images" | "clips">,
  shot: number,
  offset: number,
  count: number,
  prepared: PreparedStill | null = null,
) {
  const scene = spec.scenes[shot]!;
  if (scene.clip) {
    const clip = inputs.clips?.[shot];
    if (!clip) throw new Error(`shot ${shot + 1} shows a clip but no clip file was given`);
    return clipInputArgs(scene.clip, clip, offset / spec.fps, count / spec.fps, spec.fps);
  }
  if (prepared)
    return [
      "-f",
      "rawvideo",
      "-pix_fmt",
      "yuv420p",
      "-video_size",
      `${prepared.width}x${prepared.height}`,
      "-framerate",
      String(spec.fps),
      "-i",
      prepared.file,
    ];
  const image = inputs.images[shot];
  if (!image) throw new Error(`shot ${shot + 1} shows a still but no image was given`);
  // At the render's rate (not the image reader's 25): xfade refuses two inputs whose rates
  // differ, as a still's and a clip's would. The frames and the encoded file are the same.
  return ["-framerate", String(spec.fps), "-i", image];
}

export type PassOptions = { pass: 1 | 2; logFile: string };

export function buildRenderArgs(
  spec: RenderSpec,
  inputs: RenderInputs,
  settings: FormatSettings = formatSettings(spec.format, spec.quality, spec),
  pass?: PassOptions,
) {
  const encoder = settings.video;
  const timing = computeTiming(spec);
  const args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-progress", "pipe:1", "-nostats", ...encoder.inputArgs];
  // Each shot's picture: a still, or its clip from `start` for the shot's whole length.
  spec.scenes.forEach((scene, i) => {
    if (scene.inset && !inputs.insets?.[i]) throw new Error(`scene ${i + 1} has an inset but no inset picture was given`);
    args.push(...shotInputArgs(spec, inputs, i, 0, timing.scenes[i]!.frames));
  });
  for (const file of insetFiles(spec, inputs)) args.push("-i", file);
  args.push("-i", inputs.audio.file);
  if (spec.watermark?.source.kind === "image" && inputs.watermarkImage) args.push("-i", inputs.watermarkImage);
  const chaptersIndex = audioInputIndex(spec, inputs) + 1 + (spec.watermark?.source.kind === "image" && inputs.watermarkImage ? 1 : 0);
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

/** The frame the poster shows: 1.5 s in, or the middle of a shorter video. */
export const posterFrame = (timing: Pick<TimelineTiming, "totalFrames">, fps: number) => Math.min(Math.round(1.5 * fps), Math.floor(timing.totalFrames / 2));

export function buildPosterArgs(video: string, atSec: number, output: string) {
  return ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-ss", fmt(atSec), "-i", video, "-frames:v", "1", "-q:v", "3", "-f", "image2", output];
}
