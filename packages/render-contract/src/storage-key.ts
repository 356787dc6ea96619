// The storage-key rule, shared by the app's storage and the worker's: what a key in the shared
// storage may look like.
import { z } from "zod";

/** A key inside the shared storage. Never a URL, never an absolute path, never `..`. */
export const storageKeySchema = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9_-][A-Za-z0-9_\-./]*$/, "must be a relative storage key of letters, digits, '-', '_', '.', '/'")
  .refine((key) => !key.split("/").some((part) => part === ".." || part === "." || part === ""), "must not contain empty, '.' or '..' segments");

/** Where render workers keep the segments they rendered, for every worker to reuse (in an S3
 *  store): `<prefix>/<segment key>.mp4`, with its commit record beside it (`.mp4.json`). */
export const SHARED_SEGMENT_PREFIX = "cache/segments";
