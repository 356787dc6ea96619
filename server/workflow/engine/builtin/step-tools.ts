// The built-in engine's `step` for one run, with Inngest's meaning:
// - step.run: a step whose JobStep row succeeded returns its stored output and never runs
//   again; otherwise each attempt is recorded, and a failed one is retried on its own with
//   exponential backoff and jitter (or the provider's Retry-After), up to maxAttempts. A few
//   steps of a run at once (scenes' narration and visuals).
// - step.sleep, step.waitForEvent and step.invoke park the run (no worker held): they record
//   the wait, leave a message that resumes the run by replay, and unwind with Parked.
import { setTimeout as sleep } from "node:timers/promises";
import pLimit from "p-limit";
import type { Db, Prisma } from "../../../db/client.ts";
import type { Logger } from "../../../lib/log.ts";
import { appendJobEvent } from "../../events.ts";
import { markJobWaiting } from "../../lifecycle.ts";
import type { QueueMessage } from "../../queue.ts";
import { stageOfStep } from "../../stages.ts";
import { runStepAttempt, StepAttemptError } from "../../steps.ts";
import type { JobEventData, StepTools, WorkflowEvent, WorkflowFunction } from "../../types.ts";
import { CancelledError, StepFailedError } from "../errors.ts";
import type { Outgoing } from "./transport.ts";

/** Thrown to unwind a run that parked itself (waiting, sleeping, or invoking). */
export class Parked extends Error {}

/** What the step tools of one run share with it. */
export type RunState = {
  db: Db;
  jobId: string;
  log: Logger;
  /** Aborted when the job is cancelled or the engine stops. */
  signal: AbortSignal;
  /** Checkpointed outputs of the job's finished steps, by step id; filled as steps finish. */
  done: Map<string, unknown>;
  /** The message that resumes this run after a wait. */
  resume: QueueMessage;
  /** What the run hands on when it parks or ends. */
  outgoing: Outgoing[];
};

export type StepOptions = {
  maxAttempts: number;
  /** Base of the exponential backoff between attempts. */
  backoffMs: number;
  /** Steps of one run at once. */
  stepConcurrency: number;
};

export function backoffDelay(attempt: number, baseMs: number, random = Math.random) {
  const exp = Math.min(baseMs * 2 ** (attempt - 1), 60_000);
  return Math.round(exp * (0.75 + random() * 0.5));
}

/** The run's step tools, and settle(): resolves once every step it started has ended. */
export function createStepTools(run: RunState, options: StepOptions): { step: StepTools; settle: () => Promise<void> } {
  const { jobId, done, outgoing } = run;
  const limit = pLimit(options.stepConcurrency);
  const inflight = new Set<Promise<unknown>>();

  const track = <T>(p: Promise<T>) => {
    inflight.add(p);
    void p.catch(() => {}).finally(() => inflight.delete(p));
    return p;
  };

  const step: StepTools = {
    run: <T>(id: string, body: () => Promise<T>) => {
      if (done.has(id)) return Promise.resolve(done.get(id) as T);
      return track(
        limit(async () => {
          const output = await runStepWithRetries(run, options, id, body);
          done.set(id, output);
          return output;
        }),
      );
    },
    sleep: async (id, ms) => {
      await waitFor(run, id, null, ms);
    },
    waitForEvent: async <D>(id: string, o: { event: string; timeoutMs: number }) => (await waitFor(run, id, o.event, o.timeoutMs)) as WorkflowEvent<D> | null,
    invoke: async <D extends JobEventData, T>(id: string, o: { function: WorkflowFunction<D, T>; data: D }) => {
      if (done.has(id)) return done.get(id) as T;
      await recordInvocation(run, id, o.function.id);
      outgoing.push({ message: { jobId, functionId: o.function.id, data: o.data, parentStepId: id } });
      throw new Parked();
    },
  };

  const settle = async () => {
    await Promise.allSettled([...inflight]);
  };
  return { step, settle };
}

async function runStepWithRetries<T>(run: RunState, options: StepOptions, stepId: string, body: () => Promise<T>): Promise<T> {
  for (;;) {
    try {
      return await runStepAttempt(run.db, run.jobId, stepId, body, { isFinal: (attempt) => attempt >= options.maxAttempts, signal: run.signal });
    } catch (error) {
      if (!(error instanceof StepAttemptError)) throw error;
      if (error.final) throw new StepFailedError(error.stage, error.provider, error.reason, stepId);
      const delay = error.retryAfterMs ?? backoffDelay(error.attempt, options.backoffMs);
      run.log.warn("step failed, retrying", { stepId, attempt: error.attempt, delayMs: delay, reason: error.reason, provider: error.provider });
      // A cancel during the wait ends the step as cancelled, as one during an attempt does.
      await sleep(delay, undefined, { signal: run.signal }).catch(() => {
        throw new CancelledError();
      });
    }
  }
}

/**
 * step.sleep and step.waitForEvent: the first time, record the wait and park; on a later
 * replay, return the event (delivered by deliverWaitEvent) or null once the deadline passed.
 */
async function waitFor(run: RunState, stepId: string, event: string | null, ms: number) {
  const { db, jobId, done, resume, outgoing } = run;
  if (done.has(stepId)) return done.get(stepId) as WorkflowEvent | null;
  const row = await db.jobStep.findUnique({ where: { jobId_stepId: { jobId, stepId } } });
  if (row?.status === "waiting" && row.waitUntil) {
    if (row.waitUntil.getTime() <= Date.now()) {
      await db.jobStep.update({
        where: { id: row.id },
        data: {
          status: "succeeded",
          output: null as unknown as Prisma.InputJsonValue,
          finishedAt: new Date(),
          durationMs: Date.now() - row.startedAt.getTime(),
        },
      });
      await appendJobEvent(db, jobId, "step.succeeded", { stage: row.stage, stepId, message: event ? "timed out" : "slept" });
      done.set(stepId, null);
      return null;
    }
    outgoing.push({ message: resume, startAfter: row.waitUntil });
    await markJobWaiting(db, jobId, { stepId, waitingFor: event ?? "sleep", until: row.waitUntil });
    throw new Parked();
  }
  const until = new Date(Date.now() + ms);
  await db.jobStep.upsert({
    where: { jobId_stepId: { jobId, stepId } },
    create: {
      jobId,
      stepId,
      stage: stageOfStep(stepId),
      status: "waiting",
      attempts: 1,
      waitEvent: event,
      waitUntil: until,
      output: { resume } as unknown as Prisma.InputJsonValue,
    },
    update: {
      status: "waiting",
      startedAt: new Date(),
      finishedAt: null,
      waitEvent: event,
      waitUntil: until,
      output: { resume } as unknown as Prisma.InputJsonValue,
    },
  });
  await markJobWaiting(db, jobId, { stepId, waitingFor: event ?? "sleep", until });
  outgoing.push({ message: resume, startAfter: until });
  throw new Parked();
}

/**
 * step.invoke: the parent's step waits for the invoked function's result, with the message
 * that resumes the parent kept in its output. A failed invocation fails the step on replay.
 */
async function recordInvocation(run: RunState, stepId: string, functionId: string) {
  const { db, jobId, resume } = run;
  const row = await db.jobStep.findUnique({ where: { jobId_stepId: { jobId, stepId } } });
  if (row?.status === "failed") throw new StepFailedError(row.stage, row.provider, row.error ?? "failed", stepId);
  if (row?.status === "waiting") return;
  await db.jobStep.upsert({
    where: { jobId_stepId: { jobId, stepId } },
    create: {
      jobId,
      stepId,
      stage: stageOfStep(stepId),
      status: "waiting",
      attempts: 1,
      waitEvent: `invoke:${functionId}`,
      output: { resume } as unknown as Prisma.InputJsonValue,
    },
    update: {
      status: "waiting",
      attempts: { increment: 1 },
      startedAt: new Date(),
      finishedAt: null,
      error: null,
      waitEvent: `invoke:${functionId}`,
      output: { resume } as unknown as Prisma.InputJsonValue,
    },
  });
  await appendJobEvent(db, jobId, "step.started", { stage: stageOfStep(stepId), stepId }, { currentStage: stageOfStep(stepId) });
}
