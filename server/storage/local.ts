// Object storage on the local disk, addressed by keys. The render worker reads and writes
// the same directory (STORAGE_DIR) by the same keys.
import { createHash, randomUUID } from "node:crypto";
import { mkdir, rename, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { storageKeySchema } from "@aura/render-contract";
import { getEnv } from "../env.ts";

/** The file behind a storage key; the key rule is the render contract's, so the app and the worker agree. */
export function storagePath(key: string, root = getEnv().storageDir) {
  if (!storageKeySchema.safeParse(key).success) throw new Error(`invalid storage key: ${key}`);
  return path.join(root, key);
}

/** Writes bytes under a key atomically and returns what an Asset row records. */
export async function putObject(key: string, data: Buffer, root?: string) {
  const target = storagePath(key, root);
  await mkdir(path.dirname(target), { recursive: true });
  const staging = `${target}.partial-${process.pid}-${randomUUID()}`;
  await writeFile(staging, data);
  await rename(staging, target);
  return { key, bytes: data.length, sha256: createHash("sha256").update(data).digest("hex") };
}

export async function objectSize(key: string) {
  return (await stat(storagePath(key))).size;
}
