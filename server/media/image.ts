// What a picture is, read from its own bytes: its type from its magic bytes (never from a name
// or a header someone sent), and its pixel dimensions from the file's own header, so a
// decompression bomb (a small file whose header claims 60000×60000) is refused before anything
// decodes it. Provider images (server/providers/images/validate.ts) and library uploads
// (server/library) are both checked here.
import { imageSize } from "image-size";

export type ImageLimits = { maxBytes: number; maxPixels: number; maxSide: number; minSide: number };

const TYPES = [
  { mime: "image/png", ext: "png", test: (b: Buffer) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { mime: "image/jpeg", ext: "jpg", test: (b: Buffer) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: "image/webp", ext: "webp", test: (b: Buffer) => b.toString("ascii", 0, 4) === "RIFF" && b.toString("ascii", 8, 12) === "WEBP" },
] as const;

/** A picture's bytes are not a usable picture; the message says why ("it is …"). */
export class ImageCheckError extends Error {}

export type ImageInfo = { mime: string; ext: string; width: number; height: number };

/** Type and size of a PNG, JPEG or WebP from its bytes; throws ImageCheckError saying what is
 *  wrong (another type, too many bytes, an unreadable header, too small, too many pixels). */
export function inspectImage(bytes: Buffer, limits: ImageLimits): ImageInfo {
  if (bytes.length > limits.maxBytes) throw new ImageCheckError(`it is ${bytes.length} bytes, more than ${limits.maxBytes}`);
  const type = TYPES.find((t) => t.test(bytes));
  if (!type) throw new ImageCheckError("it is not a PNG, JPEG or WebP image");
  let size: { width?: number; height?: number };
  try {
    size = imageSize(bytes);
  } catch (error) {
    throw new ImageCheckError(`its image header cannot be read: ${(error as Error).message}`);
  }
  const { width = 0, height = 0 } = size;
  if (width < limits.minSide || height < limits.minSide) throw new ImageCheckError(`it is ${width}×${height}, smaller than ${limits.minSide} px on a side`);
  if (width > limits.maxSide || height > limits.maxSide || width * height > limits.maxPixels) {
    throw new ImageCheckError(
      `it is ${width}×${height}, more pixels than allowed (at most ${limits.maxSide} px a side and ${Math.round(limits.maxPixels / 1e6)} megapixels)`,
    );
  }
  return { mime: type.mime, ext: type.ext, width, height };
}
