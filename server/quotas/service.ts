// Workspace quotas: jobs at once, videos per day, minutes per month, and the longest video.
// Minutes count what was rendered (RenderUsage: each finished render, a new video or an edit,
// by its measured length), plus the ordered length of new videos still being made; a scene
// edit is checked with the length it would have. Each limit is the workspace's own or the
// server's default (QUOTA_*; 0 means none). Checked inside the transaction that creates the
// video or the edit, under a per-workspace lock, so two requests at once cannot both pass the
// last free place; checked again once the narration is measured, before the render.
import type { Db, Prisma } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { QuotaError } from "../lib/errors.ts";
import type { WorkspaceContext } from "../lib/service-context.ts";
import { ACTIVE_JOB_STATUSES } from "../workflow/job-status.ts";

type Tx = Prisma.TransactionClient | Db;

const startOfDay = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
const startOfMonth = (now: Date) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));

export async function limitsOf(tx: Tx, workspaceId: string) {
  const env = getEnv();
  const w = await tx.workspace.findUniqueOrThrow({
    where: { id: workspaceId },
    select: { quotaConcurrentJobs: true, quotaVideosPerDay: true, quotaMinutesPerMonth: true, quotaMaxLengthSec: true },
  });
  const pick = (own: number | null, fallback: number) => {
    const v = own ?? fallback;
    return v > 0 ? v : null;
  };
  return {
    concurrentJobs: pick(w.quotaConcurrentJobs, env.QUOTA_CONCURRENT_JOBS),
    videosPerDay: pick(w.quotaVideosPerDay, env.QUOTA_VIDEOS_PER_DAY),
    minutesPerMonth: pick(w.quotaMinutesPerMonth, env.QUOTA_MINUTES_PER_MONTH),
    maxLengthSec: pick(w.quotaMaxLengthSec, env.QUOTA_MAX_LENGTH_SEC),
  };
}

export async function usageOf(tx: Tx, workspaceId: string, now = new Date()) {
  const [activeJobs, videosToday, rendered, inProgress] = await Promise.all([
    tx.job.count({ where: { workspaceId, status: { in: ACTIVE_JOB_STATUSES } } }),
    tx.video.count({ where: { workspaceId, createdAt: { gte: startOfDay(now) } } }),
    tx.renderUsage.aggregate({ where: { workspaceId, createdAt: { gte: startOfMonth(now) } }, _sum: { seconds: true } }),
    // New videos not rendered yet count with their ordered length until their render counts.
    tx.video.findMany({
      where: { workspaceId, outputAssetId: null, jobs: { some: { status: { in: ACTIVE_JOB_STATUSES } } } },
      select: { brief: true },
    }),
  ]);
  const ordered = inProgress.reduce((a, v) => a + (Number((v.brief as { targetLengthSec?: unknown }).targetLengthSec) || 0), 0);
  const secondsThisMonth = (rendered._sum.seconds ?? 0) + ordered;
  return { activeJobs, videosToday, minutesThisMonth: Math.round((secondsThisMonth / 60) * 10) / 10 };
}

/** Limits and usage together, for the workspace's admins. */
export async function quotaReport({ db, workspaceId }: WorkspaceContext) {
  const [limits, usage] = await Promise.all([limitsOf(db, workspaceId), usageOf(db, workspaceId)]);
  return { limits, usage };
}

/** Throws a QuotaError naming the limit when one more job of `lengthSec` would exceed it.
 *  An edit of a video (`newVideo: false`) is not a video of the day, but its render counts
 *  towards the month. */
export async function assertQuota(
  { db: tx, workspaceId }: { db: Prisma.TransactionClient; workspaceId: string },
  lengthSec: number,
  options: { newVideo: boolean } = { newVideo: true },
) {
  // Serialises quota checks of one workspace until the transaction ends.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`quota:${workspaceId}`}))`;
  const limits = await limitsOf(tx, workspaceId);
  const usage = await usageOf(tx, workspaceId);
  if (limits.maxLengthSec && lengthSec > limits.maxLengthSec) {
    throw new QuotaError("maxLengthSec", `targetLengthSec: this workspace's videos can be at most ${limits.maxLengthSec} seconds long`);
  }
  if (limits.concurrentJobs && usage.activeJobs >= limits.concurrentJobs) {
    throw new QuotaError(
      "concurrentJobs",
      `This workspace already has ${usage.activeJobs} of its ${limits.concurrentJobs} jobs running or queued; wait for one to finish`,
    );
  }
  if (options.newVideo && limits.videosPerDay && usage.videosToday >= limits.videosPerDay) {
    throw new QuotaError("videosPerDay", `This workspace has made its ${limits.videosPerDay} videos for today (the day ends at midnight UTC)`);
  }
  assertMinutes(limits, usage, lengthSec, options.newVideo ? "This video" : "This edit");
}

function assertMinutes(limits: Awaited<ReturnType<typeof limitsOf>>, usage: Awaited<ReturnType<typeof usageOf>>, lengthSec: number, what: string) {
  if (limits.minutesPerMonth && usage.minutesThisMonth + lengthSec / 60 > limits.minutesPerMonth) {
    throw new QuotaError(
      "minutesPerMonth",
      `${what} would bring the month to ${(usage.minutesThisMonth + lengthSec / 60).toFixed(1)} of this workspace's ${limits.minutesPerMonth} minutes`,
    );
  }
}

/**
 * Once the narration is measured, before the render: may a render of `lengthSec` go ahead?
 * A new video's ordered length already counts in the month's usage (it is in progress), so
 * only what the measured length adds is checked; an edit adds all of it.
 */
export async function assertRenderAllowed(db: Db, workspaceId: string, lengthSec: number, options: { orderedSec: number; newVideo: boolean }) {
  const [limits, usage] = await Promise.all([limitsOf(db, workspaceId), usageOf(db, workspaceId)]);
  assertMinutes(
    limits,
    usage,
    options.newVideo ? Math.max(0, lengthSec - options.orderedSec) : lengthSec,
    options.newVideo ? "This video, as narrated," : "This edit",
  );
}

/** Counts a finished render towards the month (once per render id, however often it is saved). */
export async function recordRenderUsage(db: Db, row: { workspaceId: string; videoId: string; jobId: string; renderId: string; seconds: number }) {
  await db.renderUsage.upsert({ where: { renderId: row.renderId }, create: row, update: {} });
}
