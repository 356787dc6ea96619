// Workspace quotas: jobs at once, videos per day, minutes per month (by target length, so a
// video counts when it is ordered, not when it is done), and the longest video. Each limit
// is the workspace's own or the server's default (QUOTA_*; 0 means none). Checked inside
// the transaction that creates the video, under a per-workspace lock, so two requests at
// once cannot both pass the last free place.
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
  const [activeJobs, videosToday, monthVideos] = await Promise.all([
    tx.job.count({ where: { workspaceId, status: { in: ACTIVE_JOB_STATUSES } } }),
    tx.video.count({ where: { workspaceId, createdAt: { gte: startOfDay(now) } } }),
    tx.video.findMany({ where: { workspaceId, createdAt: { gte: startOfMonth(now) } }, select: { brief: true } }),
  ]);
  const secondsThisMonth = monthVideos.reduce((a, v) => a + (Number((v.brief as { targetLengthSec?: unknown }).targetLengthSec) || 0), 0);
  return { activeJobs, videosToday, minutesThisMonth: Math.round((secondsThisMonth / 60) * 10) / 10 };
}

/** Limits and usage together, for the workspace's admins. */
export async function quotaReport({ db, workspaceId }: WorkspaceContext) {
  const [limits, usage] = await Promise.all([limitsOf(db, workspaceId), usageOf(db, workspaceId)]);
  return { limits, usage };
}

/** Throws a QuotaError naming the limit when one more job of `lengthSec` would exceed it. */
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
  if (!options.newVideo) return;
  if (limits.videosPerDay && usage.videosToday >= limits.videosPerDay) {
    throw new QuotaError("videosPerDay", `This workspace has made its ${limits.videosPerDay} videos for today (the day ends at midnight UTC)`);
  }
  if (limits.minutesPerMonth && usage.minutesThisMonth + lengthSec / 60 > limits.minutesPerMonth) {
    throw new QuotaError(
      "minutesPerMonth",
      `This video would bring the month to ${(usage.minutesThisMonth + lengthSec / 60).toFixed(1)} of this workspace's ${limits.minutesPerMonth} minutes`,
    );
  }
}
