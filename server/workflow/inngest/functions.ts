// The workflow functions registered with Inngest (served at /api/inngest). The handlers are
// the same ones the built-in engine runs; this adapter gives them Inngest's step tools with
// Aura's bookkeeping (JobStep rows, attempts, progress events) around each step.
import { Inngest, NonRetriableError as InngestNonRetriableError, RetryAfterError as InngestRetryAfterError } from "inngest";
import pg from "pg";
import { getDb } from "../../db/client.ts";
import { getEnv } from "../../env.ts";
import { createLogger } from "../../lib/log.ts";
import { CancelledError, JobExpiredError } from "../engine/errors.ts";
import { markJobCancelled, markJobExpired, markJobFailed, markJobRunning, markJobSucceeded, markJobWaiting } from "../lifecycle.ts";
import { VIDEO_CANCELLED_EVENT } from "../queue.ts";
import { SCHEDULES } from "../schedules.ts";
import { finishedSteps, runStepAttempt, StepAttemptError } from "../steps.ts";
import type { JobEventData, StepTools, WorkflowFunction } from "../types.ts";
import { videoGenerateFunction, videoRenderFunction } from "../video-generate.ts";

const log = createLogger({ service: "inngest" });

/** Reads INNGEST_EVENT_KEY, INNGEST_SIGNING_KEY, INNGEST_BASE_URL and INNGEST_DEV itself. */
export const inngest = new Inngest({ id: "aura" });

const intFromEnv = (name: string, fallback: number) => {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

type RetryCount = NonNullable<Parameters<typeof inngest.createFunction>[0]["retries"]>;
/** Inngest's retries are attempts after the first (at most 20). */
export const STEP_RETRIES = Math.min(20, intFromEnv("STEP_MAX_ATTEMPTS", 3) - 1) as RetryCount;
export const WORKSPACE_CONCURRENCY = intFromEnv("WORKSPACE_CONCURRENCY", 2);
export const RENDER_CONCURRENCY = intFromEnv("RENDER_CONCURRENCY", 1);

const cancelOn = [{ event: VIDEO_CANCELLED_EVENT, if: "async.data.jobId == event.data.jobId" }];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type InngestStep = any;

/** Aborts when a user asks to cancel the job (checked every 2 s while a step runs). */
function cancellationSignal(jobId: string) {
  const controller = new AbortController();
  const timer = setInterval(() => {
    getDb()
      .job.findUnique({ where: { id: jobId }, select: { cancelRequestedAt: true } })
      .then((j) => j?.cancelRequestedAt && controller.abort())
      .catch(() => {});
  }, 2000);
  // A handler Inngest abandons (the run moved on to another request) must not keep the process up.
  timer.unref();
  return { signal: controller.signal, stop: () => clearInterval(timer) };
}

const globalForLocks = globalThis as unknown as { auraStepLocks?: pg.Pool };

/**
 * Runs fn holding an advisory lock for this job's step, so that a step delivered twice at
 * the same time (at-least-once delivery) runs once: the second waits, then finds the first
 * one's checkpoint. The lock dies with its connection if the process does.
 */
async function withStepLock<T>(jobId: string, stepId: string, signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  globalForLocks.auraStepLocks ??= new pg.Pool({ connectionString: getEnv().DATABASE_URL, max: 16 });
  const client = await globalForLocks.auraStepLocks.connect();
  const key = `${jobId}:${stepId}`;
  try {
    for (;;) {
      const { rows } = await client.query("SELECT pg_try_advisory_lock(hashtextextended($1, 1)) AS locked", [key]);
      if (rows[0].locked) break;
      if (signal.aborted) throw new CancelledError();
      await new Promise((r) => setTimeout(r, 200));
    }
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 1))", [key]);
    }
  } finally {
    client.release();
  }
}

export async function closeStepLocks() {
  await globalForLocks.auraStepLocks?.end();
  globalForLocks.auraStepLocks = undefined;
}

/** Wraps one step body: memoized across runs by JobStep, recorded, errors mapped to Inngest's. */
export async function runRecordedStep<T>(jobId: string, stepId: string, body: () => Promise<T>, attempt: number, signal: AbortSignal): Promise<T> {
  try {
    return await withStepLock(jobId, stepId, signal, async () => {
      // A run started by "retry from a stage" begins with Inngest's memory empty, and a
      // duplicate delivery finds the step done: either way the stored output is returned.
      const done = await finishedSteps(getDb(), jobId);
      if (done.has(stepId)) return done.get(stepId) as T;
      return runStepAttempt(getDb(), jobId, stepId, body, { isFinal: () => attempt >= STEP_RETRIES, signal });
    });
  } catch (error) {

    if (error instanceof CancelledError) throw new InngestNonRetriableError("the job was cancelled", { cause: error });
    if (!(error instanceof StepAttemptError)) throw error;
    if (error.final) throw new InngestNonRetriableError(error.reason, { cause: error });
    if (error.retryAfterMs !== null) throw new InngestRetryAfterError(error.reason, error.retryAfterMs, { cause: error });
    throw new Error(error.reason, { cause: error });
  }
}

function stepTools(step: InngestStep, jobId: string, attempt: number, signal: AbortSignal): StepTools {
  return {
    run: (id, body) => step.run(id, () => runRecordedStep(jobId, id, body, attempt, signal)),
    sleep: (id, ms) => step.sleep(id, ms),
    waitForEvent: async (id, o) => {
      if (!/^[A-Za-z0-9_-]+$/.test(o.jobId)) throw new InngestNonRetriableError(`invalid job id for ${id}`);
      await step.run(`${id}.park`, () => markJobWaiting(getDb(), jobId, { stepId: id, waitingFor: o.event, until: new Date(Date.now() + o.timeoutMs) }));
      const event = await step.waitForEvent(id, { event: o.event, timeout: o.timeoutMs, if: `async.data.jobId == "${o.jobId}"` });
      if (event) await step.run(`${id}.resume`, () => markJobRunning(getDb(), jobId));
      return event;
    },
    invoke: (id, o) => step.invoke(id, { function: inngestFunctionFor(o.function.id), data: o.data }),
  };
}

/** What a run does before, around and after the shared handler. Exported for tests. */
export function handlerFor<D extends JobEventData>(fn: WorkflowFunction<D, unknown>, options: { entry: boolean }) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return async ({ event, step, attempt }: { event: { name: string; data: any }; step: InngestStep; attempt: number }) => {
    const jobId = typeof event.data?.jobId === "string" ? event.data.jobId : null;
    if (!jobId) throw new InngestNonRetriableError(`invalid ${event.name} event: data.jobId is required`);
    const db = getDb();
    const job = await db.job.findUnique({ where: { id: jobId }, select: { status: true } });
    if (!job) throw new InngestNonRetriableError(`job ${jobId} not found`);
    // Inngest calls the handler once per step; only the first call of a run finds it queued.
    if (job.status === "queued" && !(await markJobRunning(db, jobId))) return { skipped: true };
    const cancel = cancellationSignal(jobId);
    try {
      const result = await fn.handler({ event, step: stepTools(step, jobId, attempt, cancel.signal), signal: cancel.signal });
      if (options.entry) await step.run("finish", () => markJobSucceeded(db, jobId));
      return result;
    } catch (error) {
      if (error instanceof JobExpiredError) {
        await markJobExpired(db, jobId, error.message);
        return { expired: true };
      }
      if ((error as { retriable?: boolean }).retriable === false && !(error instanceof InngestNonRetriableError)) {
        throw new InngestNonRetriableError((error as Error).message, { cause: error });
      }
      throw error;
    } finally {
      cancel.stop();
    }
  };
}

/** onFailure: the job fails naming the failed step's stage, provider and reason. */
export async function onWorkflowFailure({ event, error }: { event: { data: { event: { data: { jobId?: string } } } }; error: Error }) {
  const jobId = event.data.event.data.jobId;
  if (!jobId) return;
  const db = getDb();
  const job = await db.job.findUnique({ where: { id: jobId }, select: { cancelRequestedAt: true } });
  if (!job) return;
  if (job.cancelRequestedAt) return markJobCancelled(db, jobId);
  const failed = await db.jobStep.findFirst({ where: { jobId, status: "failed" }, orderBy: { finishedAt: "desc" } });
  await db.jobStep.updateMany({ where: { jobId, status: "running" }, data: { status: "failed", finishedAt: new Date(), error: error.message } });
  const failure = failed
    ? { stage: failed.stage, provider: failed.provider, reason: failed.error ?? error.message }
    : { stage: "workflow", provider: null, reason: error.message };
  await markJobFailed(db, jobId, failure);
  const { correlationId } = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { correlationId: true } });
  log.error("job failed", { jobId, correlationId, ...failure });
}

export const renderFunction = inngest.createFunction(
  {
    id: videoRenderFunction.id,
    name: "Render a video",
    triggers: [{ event: videoRenderFunction.event }],
    retries: STEP_RETRIES,
    // One limit for the whole environment: renders are the scarce resource.
    concurrency: [{ limit: RENDER_CONCURRENCY }],
    cancelOn,
    onFailure: onWorkflowFailure,
  },
  handlerFor(videoRenderFunction, { entry: false }),
);

export const generateFunction = inngest.createFunction(
  {
    id: videoGenerateFunction.id,
    name: "Generate a video",
    triggers: [{ event: videoGenerateFunction.event }],
    retries: STEP_RETRIES,
    concurrency: [{ key: "event.data.workspaceId", limit: WORKSPACE_CONCURRENCY }],
    cancelOn,
    onFailure: onWorkflowFailure,
  },
  handlerFor(videoGenerateFunction, { entry: true }),
);

/** Runs cancelled by cancelOn end here: the job is marked cancelled. */
export const cancelledFunction = inngest.createFunction(
  {
    id: "video-run-cancelled",
    name: "Mark a cancelled video job",
    triggers: [{ event: "inngest/function.cancelled", if: "event.data.function_id == 'aura-video-generate' || event.data.function_id == 'aura-video-render'" }],
  },
  async ({ event }: { event: { data: { event?: { data?: { jobId?: string } } } } }) => {
    const jobId = event.data.event?.data?.jobId;
    if (jobId) await markJobCancelled(getDb(), jobId);
    return { jobId: jobId ?? null };
  },
);

function inngestFunctionFor(id: string) {
  if (id === renderFunction.id()) return renderFunction;
  if (id === generateFunction.id()) return generateFunction;
  throw new InngestNonRetriableError(`no Inngest function for ${id}`);
}

/** The scheduled jobs (the built-in engine runs the same, on queues of the same ids). */
export const scheduledFunctions = SCHEDULES.map(({ id, name, cron, stepId, run }) =>
  inngest.createFunction({ id, name, triggers: [{ cron }] }, async ({ step }: { step: InngestStep }) => step.run(stepId, run)),
);

export const inngestFunctions = [generateFunction, renderFunction, cancelledFunction, ...scheduledFunctions];
