// The worker reads inputs from and writes outputs to the shared storage directory, by key.
// It never fetches a URL: a key that leaves the storage root is refused.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, realpath, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { storageKeySchema } from "@aura/render-contract";

export class LocalStorage {
  constructor(readonly root: string) {}

  pathFor(key: string) {
    storageKeySchema.parse(key);
    const full = path.resolve(this.root, key);
    if (!full.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`storage key ${key} leaves the storage root`);
    return full;
  }

  /** The local path of an existing input, after following links, still inside the root. */
  async inputPath(key: string) {
    const full = this.pathFor(key);
    let real: string;
    try {
      real = await realpath(full);
    } catch {
      throw new Error(`input ${key} is not in storage`);
    }
    const root = await realpath(this.root);
    if (!real.startsWith(root + path.sep)) throw new Error(`input ${key} leaves the storage root`);
    const info = await stat(real);
    if (!info.isFile() || info.size === 0) throw new Error(`input ${key} is empty or not a file`);
    return real;
  }

  /** Moves a finished file into storage atomically: a reader sees all of it or nothing. */
  async putFile(key: string, source: string) {
    const target = this.pathFor(key);
    await mkdir(path.dirname(target), { recursive: true });
    const staging = `${target}.partial-${process.pid}-${Date.now()}`;
    try {
      await rename(source, staging);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
      await copyFile(source, staging);
      await rm(source, { force: true });
    }
    await rename(staging, target);
    return target;
  }
}

export async function describeFile(file: string) {
  const hash = createHash("sha256");
  let bytes = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { bytes, sha256: hash.digest("hex") };
}
