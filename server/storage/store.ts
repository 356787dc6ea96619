// Every byte of media goes through the store: a local directory (STORAGE_DIR, the embedded
// default) or an S3-compatible bucket (STORAGE_BACKEND=s3), the same interface either way
// (packages/object-store). The render worker opens the same store from the same settings.
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

/** A stored JSON document, parsed; null when there is no such object. */
export async function readJsonObject(key: string): Promise<unknown> {
  try {
    return JSON.parse((await (await getStore()).getBuffer(key)).toString("utf8"));
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return null;
    throw error;
  }
}
