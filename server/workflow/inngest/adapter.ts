// Turns a workflow function (types.ts) into an Inngest function. The handler is the same one
// the built-in engine runs; this adapter gives it Inngest's step tools with Aura's bookkeeping
// (JobStep rows, attempts, progress events) around each step, maps Aura's errors to Inngest's
// (NonRetriableError, RetryAfterError), and marks the job's lifecycle.
import { NonRetriableError as InngestNonRetriableError, RetryAfterError as InngestRetryAfterError } from "inngest";
import { setTimeout as sleep } from "node:timers/promises";
import pg from "pg";
import { getDb } from "../../db/client.ts";
import { getEnv } from "../../env.ts";
import { createLogger } from "../../lib/log.ts";
import { CancelledError, JobExpiredError } from "../engine/errors.ts";
import { markJobCancelled, markJobExpired, markJobFailed, markJobRunning, markJobSucceeded, markJobWaiting, watchForCancel } from "../lifecycle.ts";
import { VIDEO_CANCELLED_EVENT } from "../queue.ts";
import { finishedSteps, runStepAttempt, StepAttemptError } from "../steps.ts";
import type { JobEventData, StepTools, WorkflowFunction } from "../types.ts";
import { inngest, STEP_RETRIES } from "./client.ts";

const log = createLogger({ service: "inngest" });

const cancelOn = [{ event: VIDEO_CANCELLED_EVENT, if: "async.data.jobId == event.data.jobId" }];

/** Inngest's step tools: their generic types vary by function, and only run/sleep/waitForEvent/invoke are used. */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type InngestStep = any;
type InngestFunction = ReturnType<typeof inngest.createFunction>;
type FunctionConfig = Parameters<typeof inngest.createFunction>[0];

/** The Inngest function made of each workflow function, by its id: step.invoke's targets. */
const inngestFunctions = new Map<string, InngestFunction>();

/**
 * The Inngest function that runs a workflow function: its event triggers it, its steps are
 * retried STEP_MAX_ATTEMPTS times in all, a cancel event for its job ends it, and a failure
 * fails the job. entry: the function a job starts with (its end is the job's success).
 */
export function createInngestFunction<D extends JobEventData>(
  fn: WorkflowFunction<D, unknown>,
  options: { name: string; entry: boolean; concurrency: FunctionConfig["concurrency"] },
) {
  const created = inngest.createFunction(
    {
      id: fn.id,
      name: options.name,
      triggers: [{ event: fn.event }],
      retries: STEP_RETRIES,
      concurrency: options.concurrency,
      cancelOn,
      onFailure: onWorkflowFailure,
    },
    handlerFor(fn, { entry: options.entry }),
  );
  inngestFunctions.set(fn.id, created);
  return created;
}

function inngestFunctionFor(id: string) {
  const fn = inngestFunctions.get(id);
  if (!fn) throw new InngestNonRetriableError(`no Inngest function for ${id}`);
  return fn;
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
      await sleep(200);
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
    throw toInngestError(error);
  }
}

/** A step's error as Inngest should see it: final ones are not retried, rate limits wait as asked. */
function toInngestError(error: unknown) {
  if (error instanceof CancelledError) return new InngestNonRetriableError("the job was cancelled", { cause: error });
  if (!(error instanceof StepAttemptError)) return error;
  if (error.final) return new InngestNonRetriableError(error.reason, { cause: error });
  if (error.retryAfterMs !== null) return new InngestRetryAfterError(error.reason, error.retryAfterMs, { cause: error });
  return new Error(error.reason, { cause: error });
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
  // biome-ignore lint/suspicious/noExplicitAny: the workflow function validates its own event data
  return async ({ event, step, attempt }: { event: { name: string; data: any }; step: InngestStep; attempt: number }) => {
    const jobId = typeof event.data?.jobId === "string" ? event.data.jobId : null;
    if (!jobId) throw new InngestNonRetriableError(`invalid ${event.name} event: data.jobId is required`);
    const db = getDb();
    const job = await db.job.findUnique({ where: { id: jobId }, select: { status: true } });
    if (!job) throw new InngestNonRetriableError(`job ${jobId} not found`);
    // Inngest calls the handler once per step; only the first call of a run finds it queued.
    if (job.status === "queued" && !(await markJobRunning(db, jobId))) return { skipped: true };
    // A handler Inngest abandons (the run moved on to another request) must not keep the process up: the watch's timer is unref'd.
    const cancel = new AbortController();
    const stopWatching = watchForCancel(db, jobId, cancel);
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
      stopWatching();
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
