// A job's statuses, from the Prisma enum (prisma/schema.prisma): which have ended and which
// are still going. Plain values, so the pages' client code reads them too.
import { JobStatus } from "../db/generated/enums.ts";

export { JobStatus };

export const JOB_STATUSES = Object.values(JobStatus) as [JobStatus, ...JobStatus[]];

export const TERMINAL_JOB_STATUSES = [JobStatus.succeeded, JobStatus.failed, JobStatus.cancelled, JobStatus.expired] as const;
export type TerminalJobStatus = (typeof TERMINAL_JOB_STATUSES)[number];
export type ActiveJobStatus = Exclude<JobStatus, TerminalJobStatus>;

export function isTerminalJobStatus(status: string): status is TerminalJobStatus {
  return (TERMINAL_JOB_STATUSES as readonly string[]).includes(status);
}

export function isActiveJobStatus(status: string): status is ActiveJobStatus {
  return (JOB_STATUSES as readonly string[]).includes(status) && !isTerminalJobStatus(status);
}

/** Queued, running or waiting: the job has not ended. */
export const ACTIVE_JOB_STATUSES = JOB_STATUSES.filter(isActiveJobStatus);
