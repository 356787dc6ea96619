// Reading rendered frames back: the mean colour of a frame (or of part of it), and how many
// colours it has, from FFmpeg's raw RGB output.
import { execFileSync } from "node:child_process";

/** The frame at `sec` of a video, scaled to `width`×`height`, as RGB bytes; `crop` (an FFmpeg
 *  crop such as "iw:ih/2:0:0") takes part of it first. */
export function frameRgb(file: string, sec: number, options: { width?: number; height?: number; crop?: string } = {}) {
  const scale = `scale=${options.width ?? 32}:${options.height ?? 18}`;
  const filter = options.crop ? `crop=${options.crop},${scale}` : scale;
  return execFileSync(
    "ffmpeg",
    ["-v", "error", "-nostdin", "-ss", sec.toFixed(3), "-i", file, "-frames:v", "1", "-vf", filter, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
}

/** The mean colour of RGB bytes, as [r, g, b]. */
export function meanColour(rgb: Buffer) {
  const sum = [0, 0, 0];
  for (let i = 0; i < rgb.length; i += 3) for (let c = 0; c < 3; c++) sum[c] = sum[c]! + rgb[i + c]!;
  return sum.map((v) => v / (rgb.length / 3));
}

/** How many distinct colours RGB bytes hold, each channel cut to its top `bits` bits. */
export function colourCount(rgb: Buffer, bits = 3) {
  const colours = new Set<number>();
  const shift = 8 - bits;
  for (let i = 0; i < rgb.length; i += 3) colours.add(((rgb[i]! >> shift) << (2 * bits)) | ((rgb[i + 1]! >> shift) << bits) | (rgb[i + 2]! >> shift));
  return colours.size;
}
