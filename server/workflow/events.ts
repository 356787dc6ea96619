// Job progress is a log of JobEvent rows (monotonic ids). Each append also updates the Job
// row in the same transaction and NOTIFYs listeners, who then read the new rows: nothing is
// carried in the notification itself, so a missed one only delays a reader until its poll.
import type { Db, Prisma } from "../db/client.ts";

export const JOB_EVENTS_CHANNEL = "aura_job_events";
export const JOB_CANCEL_CHANNEL = "aura_job_cancel";

export type JobEventType =
  | "job.queued"
  | "job.started"
  | "job.succeeded"
  | "job.failed"
  | "job.cancelled"
  | "job.cancel_requested"
  | "job.waiting"
  | "job.resumed"
  | "job.expired"
  | "job.retried"
  | "script.edited"
  | "step.started"
  | "step.succeeded"
  | "step.retrying"
  | "step.failed"
  | "stage.progress";

export type JobEventPayload = {
  stage?: string;
  stepId?: string;
  progress?: number;
  message?: string;
  provider?: string;
  attempt?: number;
  durationMs?: number;
  output?: unknown;
  error?: { stage: string; provider: string | null; reason: string };
  until?: string;
  /** Seconds a running render has left, as its worker estimates them. */
  etaSec?: number;
  fromStage?: string;
  /** Steps a run does again (a scene edit). */
  steps?: string[];
};

export async function appendJobEvent(
  db: Db,
  jobId: string,
  type: JobEventType,
  payload: JobEventPayload,
  jobUpdate: Prisma.JobUpdateInput = {},
  /** Other writes committed with the event (a job's end and its video's new status, together). */
  also: Prisma.PrismaPromise<unknown>[] = [],
) {
  const [, event] = await db.$transaction([
    // One job's events are appended one at a time: ids are taken in commit order, so a reader
    // that has seen id N never misses a smaller id committed later by a concurrent step.
    db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`job-events:${jobId}`}))`,
    db.jobEvent.create({ data: { jobId, type, payload: payload as Prisma.InputJsonValue } }),
    ...(Object.keys(jobUpdate).length ? [db.job.update({ where: { id: jobId }, data: jobUpdate })] : []),
    ...also,
    db.$executeRaw`SELECT pg_notify(${JOB_EVENTS_CHANNEL}, ${jobId})`,
  ]);
  return event;
}
