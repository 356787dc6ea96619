// Every downloaded or generated image is checked before it is stored: its type from its magic
// bytes (not from a header or a file name), its size in bytes, and its pixel dimensions read
// from the file's own header, so a decompression bomb never reaches the renderer.
import { imageSize } from "image-size";
import { ProviderError } from "../errors.ts";

export const IMAGE_LIMITS = { maxBytes: 25 * 1024 * 1024, maxPixels: 40_000_000, maxSide: 10_000, minSide: 256 };

const TYPES = [
  { mime: "image/png", ext: "png", test: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: "image/jpeg", ext: "jpg", test: (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: "image/webp", ext: "webp", test: (b: Buffer) => b.toString("ascii", 0, 4) === "RIFF" && b.toString("ascii", 8, 12) === "WEBP" },
] as const;

export type CheckedImage = { bytes: Buffer; mime: string; ext: string; width: number; height: number };

export function checkImage(provider: string, bytes: Buffer, limits = IMAGE_LIMITS): CheckedImage {
  if (bytes.length > limits.maxBytes) throw new ProviderError(provider, "malformed", `the image is ${bytes.length} bytes, more than ${limits.maxBytes}`);
  const type = TYPES.find((t) => t.test(bytes));
  if (!type) throw new ProviderError(provider, "malformed", "the answer is not a PNG, JPEG or WebP image");
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch (error) {
    throw new ProviderError(provider, "malformed", `the image header cannot be read: ${(error as Error).message}`);
  }
  const { width = 0, height = 0 } = size;
  if (width < limits.minSide || height < limits.minSide)
    throw new ProviderError(provider, "malformed", `the image is ${width}×${height}, smaller than ${limits.minSide} px on a side`);
  if (width > limits.maxSide || height > limits.maxSide || width * height > limits.maxPixels) {
    throw new ProviderError(provider, "malformed", `the image is ${width}×${height}, more pixels than allowed`);
  }
  return { bytes, mime: type.mime, ext: type.ext, width, height };
}
