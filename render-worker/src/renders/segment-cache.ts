// The segment cache: rendered segments kept under a key made of everything that goes into
// them (segments.ts segmentKey), so a later render reuses the ones it shares; the least
// recently used go first when it outgrows its size.
import { createHash, randomUUID } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, utimes } from "node:fs/promises";
import path from "node:path";

export class SegmentCache {
  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
  ) {}

  async open() {
    await mkdir(this.dir, { recursive: true });
  }

  fileFor(key: string) {
    return path.join(this.dir, `${key}.mp4`);
  }

  /** Marks an entry as just used; false when it does not exist. */
  async reuse(file: string) {
    const now = new Date();
    return utimes(file, now, now).then(
      () => true,
      () => false,
    );
  }

  /** Moves a rendered segment in atomically: a reader never sees half a segment. */
  async put(rendered: string, file: string) {
    const staging = `${file}.partial-${process.pid}-${randomUUID()}`;
    await rename(rendered, staging).catch(async () => copyFile(rendered, staging));
    await rename(staging, file);
  }

  /** Keeps the cache under its size: the least recently used files go first. */
  async prune() {
    const entries = await Promise.all(
      (await readdir(this.dir)).filter((f) => f.endsWith(".mp4")).map(async (f) => ({ file: path.join(this.dir, f), ...(await stat(path.join(this.dir, f))) })),
    );
    let total = entries.reduce((a, e) => a + e.size, 0);
    for (const entry of entries.sort((a, b) => a.mtimeMs - b.mtimeMs)) {
      if (total <= this.maxBytes) break;
      await rm(entry.file, { force: true });
      total -= entry.size;
    }
  }
}

/** The hash of an input file, part of the keys of the segments that show it. */
export async function hashFile(file: string) {
  return createHash("sha256")
    .update(await readFile(file))
    .digest("hex");
}
