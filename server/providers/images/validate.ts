// Every downloaded or generated image is checked before it is stored: its type from its magic
// bytes (not from a header or a file name), its size in bytes, and its pixel dimensions read
// from the file's own header, so a decompression bomb never reaches the renderer. The checks
// themselves are server/media/image.ts's; a failure here is the provider's malformed answer.
import { ImageCheckError, inspectImage } from "../../media/image.ts";
import { ProviderError } from "../errors.ts";

export const IMAGE_LIMITS = { maxBytes: 25 * 1024 * 1024, maxPixels: 40_000_000, maxSide: 10_000, minSide: 256 };

export type CheckedImage = { bytes: Buffer; mime: string; ext: string; width: number; height: number };

export function checkImage(provider: string, bytes: Buffer, limits = IMAGE_LIMITS): CheckedImage {
  try {
    return { bytes, ...inspectImage(bytes, limits) };
  } catch (error) {
    if (error instanceof ImageCheckError) throw new ProviderError(provider, "malformed", `the image: ${error.message}`);
    throw error;
  }
}
