// The store on a local directory: the embedded default, and any shared volume. Writes go to a
// staging file beside their target and are renamed into place, so a reader sees all or nothing.
import { createHash, randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { copyFile, mkdir, readdir, readFile, realpath, rename, rm, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { createWriteStream } from "node:fs";
import { checkedKey, checkedPrefix } from "./keys.ts";
import { ObjectNotFoundError, type ByteRange, type ObjectInfo, type ObjectStore } from "./types.ts";

const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";

export class LocalStore implements ObjectStore {
  readonly kind = "local" as const;
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  get description() {
    return `directory ${this.root}`;
  }

  /** The file behind a key, inside the root. */
  localPath(key: string) {
    const full = path.resolve(this.root, checkedKey(key));
    if (!full.startsWith(this.root + path.sep)) throw new Error(`storage key ${key} leaves the storage root`);
    return full;
  }

  private staging(target: string) {
    return `${target}.partial-${process.pid}-${randomUUID()}`;
  }

  async put(key: string, data: Buffer) {
    const target = this.localPath(key);
    await mkdir(path.dirname(target), { recursive: true });
    const staging = this.staging(target);
    await writeFile(staging, data);
    await rename(staging, target);
    return { key, bytes: data.length, sha256: createHash("sha256").update(data).digest("hex") };
  }

  async putFile(key: string, file: string) {
    const target = this.localPath(key);
    await mkdir(path.dirname(target), { recursive: true });
    const staging = this.staging(target);
    try {
      await rename(file, staging);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EXDEV") throw error;
      await copyFile(file, staging);
      await rm(file, { force: true });
    }
    await rename(staging, target);
  }

  async getBuffer(key: string) {
    try {
      return await readFile(this.localPath(key));
    } catch (error) {
      if (missing(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const info = await stat(this.localPath(key));
      return info.isFile() ? { bytes: info.size } : null;
    } catch (error) {
      if (missing(error)) return null;
      throw error;
    }
  }

  async read(key: string, range?: ByteRange) {
    const info = await this.head(key);
    if (!info) return null;
    const body = createReadStream(this.localPath(key), range ? { start: range.start, end: range.end } : {});
    return { body, info };
  }

  async download(key: string, file: string) {
    const source = this.localPath(key);
    const staging = this.staging(file);
    try {
      await pipeline(createReadStream(source), createWriteStream(staging));
    } catch (error) {
      await rm(staging, { force: true });
      if (missing(error)) throw new ObjectNotFoundError(key);
      throw error;
    }
    await rename(staging, file);
  }

  async delete(key: string) {
    await unlink(this.localPath(key)).catch((error: unknown) => {
      if (!missing(error)) throw error;
    });
  }

  async deletePrefix(prefix: string) {
    const keys = await this.list(prefix);
    await rm(this.localPath(checkedPrefix(prefix).slice(0, -1)), { recursive: true, force: true });
    return keys.length;
  }

  async list(prefix: string) {
    const dir = this.localPath(checkedPrefix(prefix).slice(0, -1));
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: unknown) => {
      if (missing(error)) return [];
      throw error;
    });
    return entries
      .filter((e) => e.isFile() && !e.name.includes(".partial-"))
      .map((e) => path.relative(this.root, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
      .sort();
  }

  async listModified(prefix: string) {
    const keys = await this.list(prefix);
    return Promise.all(keys.map(async (key) => ({ key, modifiedAt: (await stat(this.localPath(key))).mtime })));
  }

  async presignGet() {
    return null;
  }

  async check() {
    await mkdir(this.root, { recursive: true });
    await realpath(this.root);
  }
}
