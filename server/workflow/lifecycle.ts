// A job's state changes, shared by both engines. Each one updates the Job and its Video and
// appends the JobEvent that tells watchers, so the page, the API and the engines agree.
import { deliverDueWebhooks, enqueueWebhookEvent, type WebhookEvent } from "../webhooks/service.ts";
import type { Db } from "../db/client.ts";
import { abandonJobGenerations } from "../pipeline/visuals/generations.ts";
import { jobDegradations } from "../videos/degraded.ts";
import { plainError } from "../lib/plain-errors.ts";
import { appendJobEvent } from "./events.ts";
import { isTerminalJobStatus } from "./job-status.ts";

export type Failure = { stage: string; provider: string | null; reason: string };

export const SCRIPT_REVIEW_STEP = "script-review";

/**
 * Marks a job running when an engine picks it up. Returns false when it must not run: it
 * has ended, or a cancel arrived while nobody ran it (then it is marked cancelled here).
 */
export async function markJobRunning(db: Db, jobId: string, options: { recovering?: boolean } = {}) {
  const job = await db.job.findUnique({ where: { id: jobId } });
  if (!job || isTerminalJobStatus(job.status)) return false;
  if (job.cancelRequestedAt) {
    await markJobCancelled(db, jobId);
    return false;
  }
  if (job.status === "running") {
    // A runner picking up a job that another left running: that one stopped (a crash).
    if (options.recovering) {
      await appendJobEvent(
        db,
        jobId,
        "job.resumed",
        { progress: job.progress, attempt: job.attempts + 1, message: "resumed after an interruption" },
        { attempts: { increment: 1 } },
      );
    }
    return true;
  }
  if (job.status === "waiting") {
    await db.video.update({ where: { id: job.videoId }, data: { status: "processing" } });
    await appendJobEvent(db, jobId, "job.resumed", { progress: job.progress }, { status: "running", waitingFor: null, waitUntil: null });
    return true;
  }
  await db.video.update({ where: { id: job.videoId }, data: { status: "processing" } });
  await appendJobEvent(
    db,
    jobId,
    "job.started",
    { progress: job.progress, attempt: job.attempts + 1 },
    {
      status: "running",
      attempts: { increment: 1 },
      startedAt: job.startedAt ?? new Date(),
      waitingFor: null,
      waitUntil: null,
    },
  );
  return true;
}

export async function markJobWaiting(db: Db, jobId: string, wait: { stepId: string; waitingFor: string; until: Date }) {
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { videoId: true } });
  const review = wait.stepId === SCRIPT_REVIEW_STEP;
  await db.video.update({ where: { id: job.videoId }, data: { status: review ? "review" : "processing" } });
  await appendJobEvent(
    db,
    jobId,
    "job.waiting",
    {
      stepId: wait.stepId,
      message: review ? "waiting for the script to be reviewed" : `waiting until ${wait.until.toISOString()}`,
      until: wait.until.toISOString(),
    },
    { status: "waiting", waitingFor: wait.waitingFor, waitUntil: wait.until, currentStage: review ? "review" : undefined },
  );
}

export async function markJobSucceeded(db: Db, jobId: string) {
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { videoId: true, status: true, workspaceId: true } });
  if (isTerminalJobStatus(job.status)) return;
  // Which stages were made worse than asked, stored once so the library reads it with the video.
  // The video is ready in the same commit as the job's end: no page ever shows a ready video
  // beside a job still running (with its preview).
  const degraded = await jobDegradations(db, jobId);
  await appendJobEvent(db, jobId, "job.succeeded", { progress: 100 }, { status: "succeeded", progress: 100, finishedAt: new Date(), currentStage: null }, [
    db.video.update({ where: { id: job.videoId }, data: { status: "ready", degraded } }),
  ]);
  await notifyWebhooks(db, job.workspaceId, "video.succeeded", { jobId, videoId: job.videoId, status: "ready" });
}

/** Queues the workspace's webhooks for a job's outcome and tries to send them at once (the
 *  engine's delivery loop retries what fails). A webhook problem never fails the job. */
async function notifyWebhooks(db: Db, workspaceId: string, event: WebhookEvent, data: Record<string, unknown>) {
  try {
    if (await enqueueWebhookEvent(db, workspaceId, event, data)) void deliverDueWebhooks(db).catch(() => {});
  } catch {
    // The job's outcome is recorded; its notification is not worth failing it for.
  }
}

export async function markJobFailed(db: Db, jobId: string, failure: Failure) {
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { videoId: true, status: true, workspaceId: true } });
  if (isTerminalJobStatus(job.status)) return;
  await db.video.update({ where: { id: job.videoId }, data: { status: "failed" } });
  await appendJobEvent(
    db,
    jobId,
    "job.failed",
    { error: failure, stage: failure.stage },
    {
      status: "failed",
      finishedAt: new Date(),
      errorStage: failure.stage,
      errorProvider: failure.provider,
      errorMessage: failure.reason,
      waitingFor: null,
      waitUntil: null,
    },
  );
  await notifyWebhooks(db, job.workspaceId, "video.failed", {
    jobId,
    videoId: job.videoId,
    status: "failed",
    error: { ...failure, reason: plainError(failure.reason, failure) },
  });
}

export async function markJobCancelled(db: Db, jobId: string, message = "cancelled by a user") {
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { videoId: true, status: true } });
  if (isTerminalJobStatus(job.status)) return;
  await db.video.update({ where: { id: job.videoId }, data: { status: "cancelled" } });
  await db.jobStep.updateMany({ where: { jobId, status: { in: ["running", "waiting"] } }, data: { status: "cancelled", finishedAt: new Date() } });
  // AI video clips still generating would never be used: the provider is asked to delete them.
  await abandonJobGenerations(db, jobId, "the job was cancelled");
  await appendJobEvent(
    db,
    jobId,
    "job.cancelled",
    { message },
    { status: "cancelled", finishedAt: new Date(), currentStage: null, waitingFor: null, waitUntil: null },
  );
}

export async function markJobExpired(db: Db, jobId: string, reason: string) {
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { videoId: true, status: true } });
  if (isTerminalJobStatus(job.status)) return;
  await db.video.update({ where: { id: job.videoId }, data: { status: "expired" } });
  await db.jobStep.updateMany({ where: { jobId, status: { in: ["running", "waiting"] } }, data: { status: "cancelled", finishedAt: new Date() } });
  await abandonJobGenerations(db, jobId, "the job expired");
  await appendJobEvent(
    db,
    jobId,
    "job.expired",
    { message: reason },
    {
      status: "expired",
      finishedAt: new Date(),
      errorMessage: reason,
      currentStage: null,
      waitingFor: null,
      waitUntil: null,
    },
  );
}

/**
 * Aborts the controller once a user asks to cancel the job, checked every 2 s while it runs
 * (the cancel NOTIFY can be missed: a listener reconnecting, another engine process). The
 * timer does not keep the process alive. Returns the function that stops watching.
 */
export function watchForCancel(db: Db, jobId: string, controller: AbortController) {
  const timer = setInterval(() => {
    db.job
      .findUnique({ where: { id: jobId }, select: { cancelRequestedAt: true } })
      .then((j) => j?.cancelRequestedAt && controller.abort())
      .catch(() => {});
  }, 2000);
  timer.unref();
  return () => clearInterval(timer);
}
