// The segment cache: rendered segments kept under a key made of everything that goes into
// them (segments.ts segmentKey), so a later render reuses the ones it shares; the least
// recently used go first when it outgrows its size. With a shared store (an S3 bucket that
// every worker uses), each segment is also kept there, content-addressed under
// cache/segments/, so a render on any worker reuses what any other worker rendered: the local
// directory is then a cache in front of the store.
// Each segment keeps beside it what the quality pass's detectors found in it (its marks: black
// and frozen stretches, quality-report.ts), so that a render that reuses it need not decode it
// again; in the shared store they ride in the segment's commit record.
import { createHash, randomUUID } from "node:crypto";
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import type { ObjectStore } from "@aura/object-store";
import { SHARED_SEGMENT_PREFIX } from "@aura/render-contract";
import { type SegmentMarks, segmentMarksSchema as marksSchema } from "../quality-report.ts";

export class SegmentCache {
  constructor(
    readonly dir: string,
    private readonly maxBytes: number,
    /** Where every worker keeps its segments (null: this worker's directory only). */
    private readonly shared: ObjectStore | null = null,
    private readonly onShareFailed?: (error: Error) => void,
  ) {}

  async open() {
    await mkdir(this.dir, { recursive: true });
  }

  fileFor(key: string) {
    return path.join(this.dir, `${key}.mp4`);
  }

  private sharedKey(file: string) {
    return `${SHARED_SEGMENT_PREFIX}/${path.basename(file)}`;
  }

  /**
   * Marks an entry as just used; false when it does not exist here nor in the shared store.
   * One found only in the shared store is fetched into the local directory first, and only
   * once its commit record exists and its bytes match it: a segment still being uploaded by
   * another worker, or cut short, is a miss, never a broken video.
   */
  async reuse(file: string) {
    const now = new Date();
    const here = await utimes(file, now, now).then(
      () => true,
      () => false,
    );
    if (here || !this.shared) return here;
    const staging = `${file}.partial-${process.pid}-${randomUUID()}`;
    try {
      const record = JSON.parse((await this.shared.getBuffer(this.recordKey(file))).toString("utf8")) as { bytes: number; sha256: string; marks?: unknown };
      await this.shared.download(this.sharedKey(file), staging);
      const got = await readFile(staging);
      if (got.length !== record.bytes || createHash("sha256").update(got).digest("hex") !== record.sha256) throw new Error("not the committed bytes");
      const marks = marksSchema.safeParse(record.marks);
      if (marks.success) await this.keepMarks(file, marks.data);
      await rename(staging, file);
      return true;
    } catch {
      await rm(staging, { force: true });
      return false;
    }
  }

  /** Moves a rendered segment in atomically (a reader never sees half a segment), its marks
   *  first, and puts a copy in the shared store for the other workers, then its commit record
   *  (size, hash and marks). */
  async put(rendered: string, file: string, marks: SegmentMarks | null = null) {
    // Marks that cannot be kept cost a later render a measure, never this render.
    if (marks && !(await this.keepMarks(file, marks))) marks = null;
    const staging = `${file}.partial-${process.pid}-${randomUUID()}`;
    await rename(rendered, staging).catch(async () => copyFile(rendered, staging));
    await rename(staging, file);
    if (this.shared) await this.share(file, marks);
  }

  /** The detectors' marks kept for a segment, or null when there are none (a segment cached
   *  before they were kept, or a damaged file): the render then measures the segment's file. */
  async marks(file: string): Promise<SegmentMarks | null> {
    try {
      const parsed = marksSchema.safeParse(JSON.parse(await readFile(this.marksFile(file), "utf8")));
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  private marksFile(file: string) {
    return `${file}.marks.json`;
  }

  /** Keeps marks measured for a segment already here; false when they could not be written. */
  async keepMarks(file: string, marks: SegmentMarks) {
    return this.writeMarks(file, marks).then(
      () => true,
      () => false,
    );
  }

  private async writeMarks(file: string, marks: SegmentMarks) {
    const staging = `${this.marksFile(file)}.partial-${process.pid}-${randomUUID()}`;
    await writeFile(staging, JSON.stringify(marks), "utf8");
    await rename(staging, this.marksFile(file));
  }

  /** The copy for the other workers is a help, not the render's work: a store that fails
   *  here costs a later render its reuse, never this render. */
  private async share(file: string, marks: SegmentMarks | null) {
    const copy = `${file}.upload-${process.pid}-${randomUUID()}`;
    try {
      const bytes = await readFile(file);
      await copyFile(file, copy);
      await this.shared!.putFile(this.sharedKey(file), copy, { contentType: "video/mp4" });
      const record = { bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex"), ...(marks ? { marks } : {}) };
      await this.shared!.put(this.recordKey(file), Buffer.from(JSON.stringify(record)), { contentType: "application/json" });
    } catch (error) {
      this.onShareFailed?.(error as Error);
    } finally {
      await rm(copy, { force: true });
    }
  }

  private recordKey(file: string) {
    return `${this.sharedKey(file)}.json`;
  }

  /** Keeps the local directory under its size: the least recently used files go first. */
  async prune() {
    const entries = await Promise.all(
      (await readdir(this.dir)).filter((f) => f.endsWith(".mp4")).map(async (f) => ({ file: path.join(this.dir, f), ...(await stat(path.join(this.dir, f))) })),
    );
    let total = entries.reduce((a, e) => a + e.size, 0);
    for (const entry of entries.sort((a, b) => a.mtimeMs - b.mtimeMs)) {
      if (total <= this.maxBytes) break;
      await rm(entry.file, { force: true });
      await rm(this.marksFile(entry.file), { force: true });
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
