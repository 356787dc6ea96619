// The scheduled cleanup: what finished jobs leave behind, never a kept video.
// - JobEvents older than the retention of jobs that have ended, except the job.* lifecycle
//   events (the history keeps its outline, and every step's attempts stay).
// - Scene media (narration, visuals, timeline) of jobs that ended without a video
//   (failed, cancelled, expired) longer ago than the retention. A video's output, its
//   poster and the scene media of a ready video are kept: they are the video.
// - Rendered segments the workers share in an S3 store, when none was written for
//   RENDER_SHARED_CACHE_DAYS (a render that needs one again renders it again).
// - Staging files (*.partial-<pid>-*) a crashed process left in a local store: at once when
//   that process is gone, after an hour in any case. (An S3 store has none: an object appears
//   only when its upload completes, and the SDK aborts a failed multipart upload.)
import type { Dirent } from "node:fs";
import { readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { LocalStore } from "@aura/object-store";
import { isProcessAlive, SHARED_SEGMENT_PREFIX } from "@aura/render-contract";
import type { Db } from "../db/client.ts";
import { TERMINAL_JOB_STATUSES } from "./job-status.ts";
import { getStore } from "../storage/store.ts";

export type CleanupResult = { events: number; assets: number; stagingFiles: number; cachedSegments: number };

/** `segmentDays`: shared segments (in an S3 store) not written for this long are removed. */
export async function runCleanup(db: Db, options: { retentionDays: number; segmentDays: number; now?: Date }): Promise<CleanupResult> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - options.retentionDays * 86400_000);

  const events = await db.jobEvent.deleteMany({
    where: {
      createdAt: { lt: cutoff },
      type: { not: { startsWith: "job." } },
      job: { status: { in: [...TERMINAL_JOB_STATUSES] }, finishedAt: { lt: cutoff } },
    },
  });

  const stale = await db.asset.findMany({
    where: {
      kind: { in: ["narration", "visual", "timeline"] },
      outputOf: null,
      thumbnailOf: null,
      video: { status: { in: ["failed", "cancelled", "expired"] }, outputAssetId: null, updatedAt: { lt: cutoff } },
    },
    select: { id: true, storageKey: true },
  });
  const store = await getStore();
  for (const asset of stale) await store.delete(asset.storageKey);
  await db.asset.deleteMany({ where: { id: { in: stale.map((a) => a.id) } } });

  const stagingFiles = store instanceof LocalStore ? await removeOrphanStaging(store.root, now) : 0;

  // The workers' shared segments: a later render reuses them; one not written for the segment
  // days goes (with its record), and a render that needs it again renders it again.
  const segmentCutoff = now.getTime() - options.segmentDays * 86400_000;
  const oldSegments = (await store.listModified(SHARED_SEGMENT_PREFIX)).filter((o) => o.modifiedAt.getTime() < segmentCutoff);
  for (const { key } of oldSegments) await store.delete(key);
  return { events: events.count, assets: stale.length, stagingFiles, cachedSegments: oldSegments.filter((o) => o.key.endsWith(".mp4")).length };
}

/** Removes staging files whose writer died (or that are over an hour old). */
export async function removeOrphanStaging(dir: string, now = new Date()): Promise<number> {
  return removeStaging(dir, now.getTime() - 3600_000);
}

async function removeStaging(dir: string, olderThanMs: number): Promise<number> {
  let removed = 0;
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const writer = Number(/\.partial-(\d+)-/.exec(entry.name)?.[1]);
    if (entry.isDirectory()) removed += await removeStaging(full, olderThanMs);
    else if (writer && ((writer !== process.pid && !isProcessAlive(writer)) || (await stat(full)).mtimeMs < olderThanMs)) {
      await rm(full, { force: true });
      removed++;
    }
  }
  return removed;
}
