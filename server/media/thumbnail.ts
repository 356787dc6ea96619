// Small JPEG pictures of media for lists and pickers, made by FFmpeg: a picture scaled down
// (transparent parts on white), a video clip's frame from its middle, and audio's waveform.
// The filter graphs are fixed text: file paths go to FFmpeg as their own arguments, and no
// name or other user text ever enters a graph.
import { runFfmpeg } from "./probe.ts";

/** The box a thumbnail fits in, in pixels. */
export const THUMBNAIL_BOX = 480;
/** Scaled down into the box, never up. */
const FIT = `scale=w='min(${THUMBNAIL_BOX}\\,iw)':h='min(${THUMBNAIL_BOX}\\,ih)':force_original_aspect_ratio=decrease`;
const WAVE = { width: 480, height: 270 };

export type ThumbnailSource = { kind: "image" } | { kind: "video"; durationSec: number } | { kind: "audio" };

/** Writes `output` (a JPEG) from the media file `input`; throws MediaProbeError when FFmpeg cannot. */
export async function makeThumbnail(source: ThumbnailSource, input: string, output: string, signal?: AbortSignal) {
  const head = ["-v", "error", "-nostdin", "-y"];
  const tail = ["-frames:v", "1", "-q:v", "4", "-f", "image2", "-c:v", "mjpeg", output];
  if (source.kind === "image") {
    const graph = `[0:v]${FIT},format=rgba[p];color=c=white:s=16x16[bg];[bg][p]scale2ref[bg2][p2];[bg2][p2]overlay=shortest=1:format=auto,format=yuvj420p`;
    await runFfmpeg([...head, "-i", input, "-filter_complex", graph, ...tail], 60_000, signal);
  } else if (source.kind === "video") {
    const at = (source.durationSec / 2).toFixed(3);
    await runFfmpeg([...head, "-ss", at, "-i", input, "-map", "0:v:0", "-vf", `${FIT},format=yuvj420p`, ...tail], 60_000, signal);
  } else {
    const size = `${WAVE.width}x${WAVE.height}`;
    const graph = `[0:a]aformat=channel_layouts=mono,showwavespic=s=${size}:colors=0x38bdf8[w];color=c=0x0f172a:s=${size}[bg];[bg][w]overlay=shortest=1:format=auto,format=yuvj420p`;
    await runFfmpeg([...head, "-i", input, "-filter_complex", graph, ...tail], 120_000, signal);
  }
}
