// The worker reads its inputs from and writes its outputs to the store (a shared directory or
// an S3-compatible bucket), by key. It never fetches a URL: keys follow the storage-key rule.
// From a local store an input is read in place (after following links, still inside the
// root); from a bucket it is downloaded once per render into the render's own directory.
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { LocalStore, type ObjectStore } from "@aura/object-store";

const CONTENT_TYPES: Record<string, string> = {
  mp4: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  jpg: "image/jpeg",
  srt: "application/x-subrip",
  vtt: "text/vtt",
  // The growing preview (preview.ts).
  m3u8: "application/vnd.apple.mpegurl",
  ts: "video/mp2t",
  json: "application/json",
};

export class WorkerStorage {
  constructor(readonly store: ObjectStore) {}

  /** A function that gives a local file for each input key of one render (each key fetched once). */
  inputs(workDir: string) {
    const fetched = new Map<string, Promise<string>>();
    return (key: string) => {
      let file = fetched.get(key);
      if (!file) {
        file = this.inputPath(key, workDir);
        fetched.set(key, file);
      }
      return file;
    };
  }

  private async inputPath(key: string, workDir: string) {
    if (this.store instanceof LocalStore) {
      const full = this.store.localPath(key);
      let real: string;
      try {
        real = await realpath(full);
      } catch {
        throw new Error(`input ${key} is not in storage`);
      }
      const root = await realpath(this.store.root);
      if (!real.startsWith(root + path.sep)) throw new Error(`input ${key} leaves the storage root`);
      const info = await stat(real);
      if (!info.isFile() || info.size === 0) throw new Error(`input ${key} is empty or not a file`);
      return real;
    }
    const dir = path.join(workDir, "inputs");
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${createHash("sha256").update(key).digest("hex").slice(0, 16)}${path.extname(key)}`);
    try {
      await this.store.download(key, file);
    } catch (error) {
      throw new Error(`input ${key} is not in storage (${(error as Error).message})`);
    }
    if ((await stat(file)).size === 0) throw new Error(`input ${key} is empty`);
    return file;
  }

  /** Moves a finished file into the store: a reader sees all of it or nothing. */
  async putFile(key: string, file: string) {
    await this.store.putFile(key, file, { contentType: CONTENT_TYPES[path.extname(key).slice(1)] });
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
