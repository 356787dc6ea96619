// Video clips as shots: what the worker learns from each clip file (ffprobe, once per render),
// where each piece of a clip shot starts in the file and how often the file must loop, and
// which clip an FFmpeg failure is about. Everything but runClipProbe is pure, so it is
// unit-tested. The filter chain of a clip shot is clipChain in build-command.ts.
import { spawn } from "node:child_process";
import type { Clip } from "@aura/render-contract";
import { fmt } from "./filter-escape.ts";

/** What the render needs to know about a clip file. `pictureEndsEarly`: its video stream ends
 *  before the file does (its sound runs on), so its last frame is held to the end. */
export type ClipInfo = { durationSec: number; hasAudio: boolean; pictureEndsEarly?: boolean };
/** A clip shot's file, ready to use. */
export type ClipInput = { file: string; info: ClipInfo };

/** A clip that cannot be used; its message names the shot. */
export class ClipError extends Error {}

/** "shot 3's clip (key in/a.mp4)": how errors name a clip. */
export const clipLabel = (shot: number, key: string) => `shot ${shot + 1}'s clip (key ${key})`;

/** ffprobe's arguments: the container and streams, and every packet of the file read (not
 *  decoded), so that a file cut short shows as fewer packets than its index promises. */
export function clipProbeArgs(file: string) {
  return ["-v", "error", "-count_packets", "-print_format", "json", "-show_format", "-show_streams", file];
}

type ProbeStream = {
  codec_type?: string;
  codec_name?: string;
  duration?: string;
  nb_frames?: string;
  nb_read_packets?: string;
  tags?: { DURATION?: string };
  disposition?: { attached_pic?: number };
};

/** What demuxers say when a file stops before its end (MP4: "partial file"; Matroska and
 *  WebM, which promise no frame count: "File ended prematurely"). */
const CUT_SHORT = /partial file|ended prematurely|truncated/i;

/** A stream's length: its own, or Matroska's DURATION tag ("00:00:03.000000000"). */
function streamSeconds(stream: ProbeStream) {
  const own = Number(stream.duration);
  if (own > 0) return own;
  const [h, m, sec] = (stream.tags?.DURATION ?? "").split(":").map(Number);
  return h! >= 0 && m! >= 0 && sec! >= 0 ? h! * 3600 + m! * 60 + sec! : Number.NaN;
}

/** Judges ffprobe's answer about shot `shot`'s clip: its length and whether it has sound, or a
 *  ClipError that names the shot and says what is wrong. */
export function judgeClipProbe(shot: number, clip: Pick<Clip, "key" | "start">, probe: ClipProbe): ClipInfo {
  const fail = (why: string) => new ClipError(`${clipLabel(shot, clip.key)} cannot be decoded: ${why}`);
  const lastLine = probe.stderr.trim().split("\n").at(-1)?.trim();
  if (probe.code !== 0) throw fail(lastLine || `ffprobe exited with ${probe.code}`);
  let data: { format?: { duration?: string }; streams?: ProbeStream[] };
  try {
    data = JSON.parse(probe.stdout);
  } catch {
    throw fail("ffprobe's answer could not be read");
  }
  const streams = data.streams ?? [];
  const video = streams.find((s) => s.codec_type === "video" && !s.disposition?.attached_pic);
  if (!video) throw fail("it has no video stream");
  if (!video.codec_name || video.codec_name === "none") throw fail("its video codec is not supported");
  const durationSec = Number(data.format?.duration);
  if (!(durationSec > 0)) throw fail("it has no length");
  const promised = Number(video.nb_frames);
  const read = Number(video.nb_read_packets);
  if (promised > 0 && read >= 0 && read < promised) throw fail(`the file ends early (${read} of its ${promised} frames are there)`);
  if (read === 0) throw fail("it has no frames");
  const cut = probe.stderr.split("\n").find((line) => CUT_SHORT.test(line));
  if (cut) throw fail(`the file ends early (${cut.trim()})`);
  if (clip.start >= durationSec) throw new ClipError(`${clipLabel(shot, clip.key)} starts at ${fmt(clip.start)} s, past its end (${fmt(durationSec)} s)`);
  const pictureSec = streamSeconds(video);
  return { durationSec, hasAudio: streams.some((s) => s.codec_type === "audio"), pictureEndsEarly: pictureSec > 0 && pictureSec < durationSec - 0.1 };
}

export type ClipProbe = { code: number | null; stdout: string; stderr: string };

/** Runs ffprobe on a clip file (stopped after `timeoutMs`); judgeClipProbe reads the answer. */
export function runClipProbe(file: string, timeoutMs = 120_000): Promise<ClipProbe> {
  return new Promise((resolve, reject) => {
    const child = spawn("ffprobe", clipProbeArgs(file), { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr = (stderr + c).slice(-20000)));
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new Error(`could not start ffprobe: ${error.message}`));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      // The worker's own path of the file means nothing to whoever reads the error.
      const said = stderr.replaceAll(`${file}: `, "").replaceAll(file, "the clip");
      resolve({ code, stdout, stderr: timedOut ? `ffprobe took more than ${timeoutMs / 1000} s` : said });
    });
  });
}

/** Looping is asked for with this much to spare: a container's length can be a little longer
 *  than its last frame. Extra loops cost nothing: reading stops when the piece has its frames. */
const LOOP_MARGIN_SEC = 0.25;

/**
 * Where a piece of a clip shot starts in the clip file (`seek`, seconds) and how many more
 * times the file must play after the first (`loops`, for -stream_loop), for `lengthSec`
 * seconds of the shot from `offsetSec` into it. The shot plays the clip from `clip.start` to
 * its end, then the whole clip again from its beginning, as often as needed: a segment that
 * starts after the first end seeks to the same frame the looped whole would show there.
 */
export function clipWindow(clip: Pick<Clip, "start">, info: Pick<ClipInfo, "durationSec">, offsetSec: number, lengthSec: number) {
  const D = info.durationSec;
  let seek = clip.start + offsetSec;
  if (seek >= D) seek = (seek - D) % D;
  const firstRun = D - seek;
  const loops = lengthSec + LOOP_MARGIN_SEC > firstRun ? Math.ceil((lengthSec + LOOP_MARGIN_SEC - firstRun) / D) : 0;
  return { seek: Number(seek.toFixed(6)), loops };
}

/**
 * The input arguments of a piece of a clip shot: the seek before -i (FFmpeg decodes from the
 * keyframe before it and drops what comes before, so the first frame is exact), the loop only
 * when the clip ends before the piece does, and a read limit of the piece's length (plus a
 * frame) so that no more of the file is decoded than the piece shows.
 */
export function clipInputArgs(clip: Pick<Clip, "start">, input: ClipInput, offsetSec: number, lengthSec: number, fps: number) {
  const { seek, loops } = clipWindow(clip, input.info, offsetSec, lengthSec);
  return [...(seek > 0 ? ["-ss", fmt(seek)] : []), ...(loops > 0 ? ["-stream_loop", String(loops)] : []), "-t", fmt(lengthSec + 1 / fps), "-i", input.file];
}

/** The shots whose clips a run decodes, by input index, to say which one a failure is about. */
export type ClipRunInput = { index: number; file: string; shot: number; key: string };

/**
 * Which clip an FFmpeg failure is about, from its error output: a line that names the clip's
 * file or its input (`#3:0`). Null when no clip is named (the failure is something else).
 */
export function blameClip(stderr: string, clips: readonly ClipRunInput[]) {
  const lines = stderr.split("\n").filter((line) => line.trim());
  for (const line of lines) {
    const clip = clips.find((c) => line.includes(c.file) || new RegExp(`#${c.index}:\\d`).test(line));
    if (clip) return clip;
  }
  return null;
}

/** The error for a run that failed on a clip: names its shot and keeps FFmpeg's last words. */
export function clipRunError(clip: ClipRunInput, stderr: string) {
  const words = stderr
    .trim()
    .split("\n")
    .slice(-3)
    .map((line) => line.replaceAll(clip.file, "the clip").trim())
    .join(" | ");
  return new ClipError(`${clipLabel(clip.shot, clip.key)} cannot be decoded: ${words}`);
}
