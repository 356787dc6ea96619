// Every byte of media goes through the store: a local directory (STORAGE_DIR, the embedded
// default) or an S3-compatible bucket (STORAGE_BACKEND=s3), the same interface either way
// (packages/object-store). The render worker opens the same store from the same settings.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { ObjectNotFoundError, openStore, type ObjectStore } from "@aura/object-store";
import { getEnv } from "../env.ts";

let opened: Promise<ObjectStore> | undefined;

export function getStore(): Promise<ObjectStore> {
  opened ??= openStore(getEnv().storage, getEnv().storageDir);
  return opened;
}

/** Writes bytes under a key and returns what an Asset row records. */
export async function putObject(key: string, data: Buffer, contentType?: string) {
  return (await getStore()).put(key, data, { contentType });
}

/** Moves a finished local file into the store under a key (the file is gone afterwards) and
 *  returns what an Asset row records: its size and sha256, read from the file first. */
export async function putFileObject(key: string, file: string, contentType?: string) {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  await (await getStore()).putFile(key, file, { contentType });
  return { key, bytes, sha256: hash.digest("hex") };
}

/** A stored JSON document, parsed; null when there is no such object. */
export async function readJsonObject(key: string): Promise<unknown> {
  try {
    return JSON.parse((await (await getStore()).getBuffer(key)).toString("utf8"));
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return null;
    throw error;
  }
}
