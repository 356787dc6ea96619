// Videos and their jobs. Every function takes the workspace id, derived by the caller from
// the session; an object of another workspace is reported as not found.
import { randomUUID } from "node:crypto";
import type { Db, Prisma } from "../db/client.ts";
import { appendJobEvent, JOB_CANCEL_CHANNEL } from "../workflow/events.ts";
import type { Brief } from "./brief.ts";

export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
  }
}

export async function createVideo(db: Db, input: { workspaceId: string; userId: string; brief: Brief }) {
  const title = input.brief.topic.split(/[.!?\n]/)[0]!.trim().slice(0, 100) || "Untitled video";
  const { video, job } = await db.$transaction(async (tx) => {
    const video = await tx.video.create({
      data: { workspaceId: input.workspaceId, createdById: input.userId, title, brief: input.brief as Prisma.InputJsonValue, status: "queued" },
    });
    const job = await tx.job.create({ data: { workspaceId: input.workspaceId, videoId: video.id, correlationId: randomUUID() } });
    return { video, job };
  });
  await appendJobEvent(db, job.id, "job.queued", { progress: 0 });
  return { video, job };
}

export async function getVideoOrThrow(db: Db, workspaceId: string, videoId: string) {
  const video = await db.video.findFirst({ where: { id: videoId, workspaceId } });
  if (!video) throw new NotFoundError("video");
  return video;
}

export async function getJobOrThrow(db: Db, workspaceId: string, jobId: string) {
  const job = await db.job.findFirst({ where: { id: jobId, workspaceId } });
  if (!job) throw new NotFoundError("job");
  return job;
}

export async function getAssetOrThrow(db: Db, workspaceId: string, assetId: string) {
  const asset = await db.asset.findFirst({ where: { id: assetId, workspaceId } });
  if (!asset) throw new NotFoundError("asset");
  return asset;
}

/** Cancels a job: a queued one at once; a running one by signalling its runner, which
 *  aborts the current step (and the render worker kills FFmpeg). */
export async function cancelJob(db: Db, workspaceId: string, jobId: string) {
  const job = await getJobOrThrow(db, workspaceId, jobId);
  if (!["queued", "running"].includes(job.status)) return { status: job.status, changed: false };
  const now = new Date();
  const queued = await db.job.updateMany({ where: { id: jobId, status: "queued" }, data: { status: "cancelled", cancelRequestedAt: now, finishedAt: now } });
  if (queued.count === 1) {
    await db.video.update({ where: { id: job.videoId }, data: { status: "cancelled" } });
    await appendJobEvent(db, jobId, "job.cancelled", { message: "cancelled before it started" });
    return { status: "cancelled" as const, changed: true };
  }
  await db.job.update({ where: { id: jobId }, data: { cancelRequestedAt: now } });
  await appendJobEvent(db, jobId, "job.cancel_requested", { message: "cancelling…" });
  await db.$executeRaw`SELECT pg_notify(${JOB_CANCEL_CHANNEL}, ${jobId})`;
  return { status: "running" as const, changed: true };
}
