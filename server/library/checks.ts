// What a media library upload may be, judged by its bytes. The file name's extension says
// which kind the user means (a picture, a video clip, audio) and so which limit applies while
// the bytes arrive; once they are in, the bytes themselves must be that kind: a PNG by its
// magic bytes and header (never decoded before its size is known to be safe), a clip or audio
// by ffprobe and a decoded frame or second. A text file named .mp4 or an MP3 named .png is
// refused, saying why.
import { open } from "node:fs/promises";
import type { MediaKind } from "../db/generated/enums.ts";
import { getEnv } from "../env.ts";
import { ImageCheckError, inspectImage } from "../media/image.ts";
import { AUDIO_LIMITS, CLIP_LIMITS, checkAudio, checkClip, MediaProbeError } from "../media/probe.ts";

/** Pictures' pixel limits: small logos and icons are welcome, a header claiming more is refused unread. */
export const LIBRARY_IMAGE_LIMITS = { maxPixels: 40_000_000, maxSide: 10_000, minSide: 16 };

/** A refusal of an upload: the message says why, for the person who sent it. */
export class LibraryCheckError extends Error {}

/** The largest upload of a kind, in bytes (LIBRARY_MAX_*_MB). */
export function maxBytesOf(kind: MediaKind) {
  const env = getEnv();
  const mb = { image: env.LIBRARY_MAX_IMAGE_MB, video: env.LIBRARY_MAX_VIDEO_MB, audio: env.LIBRARY_MAX_AUDIO_MB }[kind];
  return Math.floor(mb * 1024 * 1024);
}

/** What the checks learned about a file, for its row. */
export type CheckedMedia = {
  kind: MediaKind;
  mimeType: string;
  ext: string;
  width: number | null;
  height: number | null;
  durationSec: number | null;
  hasAudio: boolean;
};

/** The container as a browser names it, from ffprobe's format names (and the codec, for Matroska). */
function videoType(format: string, codec: string, ext: string) {
  if (format.includes("webm") && ["vp8", "vp9", "av1"].includes(codec)) return { mimeType: "video/webm", ext: "webm" };
  if (format.includes("matroska")) return { mimeType: "video/x-matroska", ext: "mkv" };
  if (format.includes("mp4") || format.includes("mov"))
    return ext === "mov" ? { mimeType: "video/quicktime", ext: "mov" } : { mimeType: "video/mp4", ext: "mp4" };
  throw new LibraryCheckError(`its container (${format}) is not MP4, QuickTime, WebM or Matroska`);
}

function audioType(format: string, codec: string) {
  if (format === "mp3") return { mimeType: "audio/mpeg", ext: "mp3" };
  if (format === "wav") return { mimeType: "audio/wav", ext: "wav" };
  if (format === "flac") return { mimeType: "audio/flac", ext: "flac" };
  if (format === "ogg") return { mimeType: "audio/ogg", ext: codec === "opus" ? "opus" : "ogg" };
  if (format === "aac") return { mimeType: "audio/aac", ext: "aac" };
  if (format.includes("mp4") || format.includes("mov")) return { mimeType: "audio/mp4", ext: "m4a" };
  if (format.includes("webm") || format.includes("matroska")) return { mimeType: "audio/webm", ext: "weba" };
  throw new LibraryCheckError(`its container (${format}) is not MP3, WAV, FLAC, Ogg, AAC or MP4 audio`);
}

/** The first bytes of a file (a picture's header, read without decoding anything). */
async function readAll(file: string, max: number) {
  const handle = await open(file, "r");
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(size, max + 1));
    await handle.read(buffer, 0, buffer.length, 0);
    return buffer;
  } finally {
    await handle.close();
  }
}

/** Checks a received file as the kind its name stands for; throws LibraryCheckError saying
 *  what is wrong with it. */
export async function checkMediaFile(kind: MediaKind, file: string, nameExt: string, signal?: AbortSignal): Promise<CheckedMedia> {
  const maxBytes = maxBytesOf(kind);
  try {
    if (kind === "image") {
      const image = inspectImage(await readAll(file, maxBytes), { ...LIBRARY_IMAGE_LIMITS, maxBytes });
      return { kind, mimeType: image.mime, ext: image.ext, width: image.width, height: image.height, durationSec: null, hasAudio: false };
    }
    if (kind === "video") {
      const clip = await checkClip(file, CLIP_LIMITS, signal);
      const type = videoType(clip.format, clip.video.codec, nameExt);
      return {
        kind,
        ...type,
        width: clip.video.displayWidth,
        height: clip.video.displayHeight,
        durationSec: clip.durationSec,
        hasAudio: Boolean(clip.audio),
      };
    }
    const audio = await checkAudio(file, AUDIO_LIMITS, signal);
    return { kind, ...audioType(audio.format, audio.audio.codec), width: null, height: null, durationSec: audio.durationSec, hasAudio: true };
  } catch (error) {
    if (error instanceof ImageCheckError || error instanceof MediaProbeError) throw new LibraryCheckError(error.message);
    throw error;
  }
}
