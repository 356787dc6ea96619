// What a media file really is, read by ffprobe from its own bytes (never from its name or a
// header someone sent): its container, length, and the first video and audio streams. Every
// clip a provider gives and every file a user uploads is probed before it is stored or used.
import { execFile } from "node:child_process";
import { z } from "zod";

export const FFPROBE = process.env.FFPROBE_BINARY || "ffprobe";
export const FFMPEG = process.env.FFMPEG_BINARY || "ffmpeg";

export type VideoStream = {
  codec: string;
  /** Pixels as stored; `rotation` says how the player turns them. */
  width: number;
  height: number;
  /** Width and height as shown (after the rotation). */
  displayWidth: number;
  displayHeight: number;
  /** Frames a second (the average; a variable-rate file has one too). */
  fps: number;
  /** Degrees the picture is turned when shown (FFmpeg's display matrix, as ffprobe reports
   *  it): 0, 90, 180 or 270. FFmpeg applies it when it decodes. */
  rotation: 0 | 90 | 180 | 270;
  pixelFormat: string;
  /** Bits per colour sample (8, 10, 12). */
  bitDepth: number;
  /** Set when the file's frame timing is not constant (r_frame_rate and avg_frame_rate differ). */
  variableFrameRate: boolean;
};
export type AudioStream = { codec: string; channels: number; sampleRate: number };
export type MediaProbe = {
  /** ffprobe's names for the container, such as "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm". */
  format: string;
  durationSec: number;
  video: VideoStream | null;
  audio: AudioStream | null;
};

const streamSchema = z.object({
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().optional(),
  height: z.number().optional(),
  pix_fmt: z.string().optional(),
  bits_per_raw_sample: z.string().optional(),
  r_frame_rate: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  channels: z.number().optional(),
  sample_rate: z.string().optional(),
  duration: z.string().optional(),
  tags: z.record(z.string(), z.string()).optional(),
  side_data_list: z.array(z.object({ rotation: z.number().optional() }).passthrough()).optional(),
  disposition: z.object({ attached_pic: z.number().optional() }).passthrough().optional(),
});
const probeSchema = z.object({
  streams: z.array(streamSchema).default([]),
  format: z.object({ format_name: z.string().optional(), duration: z.string().optional() }).optional(),
});

export class MediaProbeError extends Error {}

/** "30000/1001" → 29.97; 0 for "0/0" or nonsense. */
export function parseRate(rate: string | undefined) {
  const [n, d] = (rate ?? "").split("/").map(Number);
  if (!n || !Number.isFinite(n)) return 0;
  return d ? n / d : n;
}

const bitDepthOf = (pixFmt: string, raw?: string) => Number(raw) || Number(/p(\d+)(?:le|be)$/.exec(pixFmt)?.[1]) || 8;

/** The rotation a player applies: the display matrix's, or the older `rotate` tag's. */
function rotationOf(stream: z.infer<typeof streamSchema>): VideoStream["rotation"] {
  const matrix = stream.side_data_list?.find((d) => typeof d.rotation === "number")?.rotation;
  const degrees = matrix ?? Number(stream.tags?.rotate ?? 0);
  const r = (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
  return r as VideoStream["rotation"];
}

export function parseProbe(json: unknown): MediaProbe {
  const parsed = probeSchema.safeParse(json);
  if (!parsed.success) throw new MediaProbeError("ffprobe's answer could not be read");
  const { streams, format } = parsed.data;
  const v = streams.find((s) => s.codec_type === "video" && !s.disposition?.attached_pic);
  const a = streams.find((s) => s.codec_type === "audio");
  const duration = Number(format?.duration ?? v?.duration ?? a?.duration ?? 0) || 0;
  let video: VideoStream | null = null;
  if (v?.width && v.height) {
    const rotation = rotationOf(v);
    const turned = rotation === 90 || rotation === 270;
    const avg = parseRate(v.avg_frame_rate);
    const real = parseRate(v.r_frame_rate);
    const pixelFormat = v.pix_fmt ?? "unknown";
    video = {
      codec: v.codec_name ?? "unknown",
      width: v.width,
      height: v.height,
      displayWidth: turned ? v.height : v.width,
      displayHeight: turned ? v.width : v.height,
      fps: avg || real,
      rotation,
      pixelFormat,
      bitDepth: bitDepthOf(pixelFormat, v.bits_per_raw_sample),
      variableFrameRate: avg > 0 && real > 0 && Math.abs(avg - real) / real > 0.01,
    };
  }
  const audio = a ? { codec: a.codec_name ?? "unknown", channels: a.channels ?? 0, sampleRate: Number(a.sample_rate) || 0 } : null;
  return { format: format?.format_name ?? "unknown", durationSec: duration, video, audio };
}

function run(binary: string, args: string[], timeoutMs: number, signal?: AbortSignal) {
  return new Promise<string>((resolve, reject) => {
    execFile(binary, args, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024, signal, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) {
        const reason = stderr.trim().split("\n").at(-1)?.slice(0, 200) || (error as NodeJS.ErrnoException).code || error.message;
        reject(new MediaProbeError(String(reason)));
      } else resolve(stdout);
    });
  });
}

/** Runs FFmpeg with an argument array (never a shell string); MediaProbeError with its last
 *  error line when it fails or runs past `timeoutMs`. */
export const runFfmpeg = (args: string[], timeoutMs: number, signal?: AbortSignal) => run(FFMPEG, args, timeoutMs, signal);

/** Probes a file with ffprobe (30 s at most). Throws MediaProbeError when it is not media. */
export async function probeMedia(file: string, signal?: AbortSignal): Promise<MediaProbe> {
  const out = await run(FFPROBE, ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "--", file], 30_000, signal);
  let json: unknown;
  try {
    json = JSON.parse(out);
  } catch {
    throw new MediaProbeError("ffprobe's answer could not be read");
  }
  return parseProbe(json);
}

/** Decodes one video frame at `atSec` (a header can look right over a broken body). Throws
 *  MediaProbeError when it cannot be decoded. */
export async function decodeFrameAt(file: string, atSec: number, signal?: AbortSignal) {
  await run(
    FFMPEG,
    ["-v", "error", "-xerror", "-nostdin", "-ss", atSec.toFixed(3), "-i", file, "-map", "0:v:0", "-frames:v", "1", "-f", "null", "-"],
    60_000,
    signal,
  );
}

/** What a video clip may be before it is stored or rendered. 4K sources are allowed; larger
 *  ones are refused, as are clips too short to show or too long to be a shot. */
export const CLIP_LIMITS = {
  maxBytes: 250 * 1024 * 1024,
  maxSide: 4096,
  maxPixels: 4096 * 2304,
  minSide: 144,
  minDurationSec: 0.5,
  maxDurationSec: 30 * 60,
  maxFps: 120,
  codecs: ["h264", "hevc", "vp8", "vp9", "av1", "mpeg4", "prores"],
};

/** A clip that passed the checks: what the renderer and the shot picker need to know. */
export type CheckedClip = MediaProbe & { video: VideoStream };

/** Probes a clip and decodes a frame from its middle; throws MediaProbeError saying what is
 *  wrong (not a video, zero length, an unsupported codec, too large, undecodable). */
export async function checkClip(file: string, limits = CLIP_LIMITS, signal?: AbortSignal): Promise<CheckedClip> {
  const probe = await probeMedia(file, signal).catch((error: unknown) => {
    throw new MediaProbeError(`it is not a video file ffprobe can read (${(error as Error).message})`);
  });
  const { video } = probe;
  if (!video) throw new MediaProbeError("it has no video stream");
  if (!limits.codecs.includes(video.codec)) throw new MediaProbeError(`its video codec ${video.codec} is not supported (${limits.codecs.join(", ")})`);
  if (!(probe.durationSec >= limits.minDurationSec))
    throw new MediaProbeError(`it lasts ${probe.durationSec.toFixed(2)} s, less than ${limits.minDurationSec} s`);
  if (probe.durationSec > limits.maxDurationSec) throw new MediaProbeError(`it lasts ${Math.round(probe.durationSec)} s, more than ${limits.maxDurationSec} s`);
  const { width, height } = video;
  if (Math.min(width, height) < limits.minSide) throw new MediaProbeError(`it is ${width}×${height}, smaller than ${limits.minSide} px on a side`);
  if (Math.max(width, height) > limits.maxSide || width * height > limits.maxPixels)
    throw new MediaProbeError(`it is ${width}×${height}, larger than ${limits.maxSide} px on a side`);
  if (!(video.fps > 0) || video.fps > limits.maxFps)
    throw new MediaProbeError(`its frame rate (${video.fps.toFixed(2)}) is not between 1 and ${limits.maxFps}`);
  await decodeFrameAt(file, probe.durationSec / 2, signal).catch((error: unknown) => {
    throw new MediaProbeError(`its pictures cannot be decoded (${(error as Error).message})`);
  });
  return { ...probe, video };
}

/** What an audio file (music, a sound effect, a voice-over) may be before it is stored. */
export const AUDIO_LIMITS = {
  maxBytes: 50 * 1024 * 1024,
  minDurationSec: 0.1,
  maxDurationSec: 60 * 60,
  maxChannels: 8,
  codecs: ["mp3", "aac", "vorbis", "opus", "flac", "alac", "pcm_s16le", "pcm_s24le", "pcm_s32le", "pcm_f32le", "pcm_u8"],
};

/** Audio that passed the checks. */
export type CheckedAudio = MediaProbe & { audio: AudioStream };

/** Decodes a second of the first audio stream from `atSec`; throws MediaProbeError when it cannot. */
export async function decodeAudioAt(file: string, atSec: number, signal?: AbortSignal) {
  await run(FFMPEG, ["-v", "error", "-xerror", "-nostdin", "-ss", atSec.toFixed(3), "-i", file, "-map", "0:a:0", "-t", "1", "-f", "null", "-"], 60_000, signal);
}

/** Probes an audio file and decodes a second from its middle; throws MediaProbeError saying
 *  what is wrong (not audio, a picture track, an unsupported codec, too short or long,
 *  undecodable). A cover picture (an MP3's album art) is no video and is allowed. */
export async function checkAudio(file: string, limits = AUDIO_LIMITS, signal?: AbortSignal): Promise<CheckedAudio> {
  const probe = await probeMedia(file, signal).catch((error: unknown) => {
    throw new MediaProbeError(`it is not an audio file ffprobe can read (${(error as Error).message})`);
  });
  const { audio } = probe;
  if (!audio) throw new MediaProbeError("it has no audio stream");
  if (probe.video) throw new MediaProbeError("it has a video stream: add it as a video clip instead");
  if (!limits.codecs.includes(audio.codec)) throw new MediaProbeError(`its audio codec ${audio.codec} is not supported (${limits.codecs.join(", ")})`);
  if (!(audio.channels >= 1) || audio.channels > limits.maxChannels)
    throw new MediaProbeError(`it has ${audio.channels} audio channels; 1 to ${limits.maxChannels} are supported`);
  if (!(probe.durationSec >= limits.minDurationSec))
    throw new MediaProbeError(`it lasts ${probe.durationSec.toFixed(2)} s, less than ${limits.minDurationSec} s`);
  if (probe.durationSec > limits.maxDurationSec) throw new MediaProbeError(`it lasts ${Math.round(probe.durationSec)} s, more than ${limits.maxDurationSec} s`);
  await decodeAudioAt(file, Math.max(0, probe.durationSec / 2 - 0.5), signal).catch((error: unknown) => {
    throw new MediaProbeError(`its sound cannot be decoded (${(error as Error).message})`);
  });
  return { ...probe, audio };
}
