// One run of a workflow function for one job, by the process that holds the job's lock: it
// marks the job running, watches for cancellation, runs the handler with the step tools, and
// records how the run ended (succeeded, parked, cancelled, expired or failed), or hands an
// invoked function's result to the parent step that waits for it.
import type { Db, Prisma } from "../../../db/client.ts";
import type { Logger } from "../../../lib/log.ts";
import { markJobCancelled, markJobExpired, markJobFailed, markJobRunning, markJobSucceeded, type Failure, watchForCancel } from "../../lifecycle.ts";
import type { QueueMessage } from "../../queue.ts";
import { finishedSteps } from "../../steps.ts";
import type { WorkflowFunction } from "../../types.ts";
import { CancelledError, JobExpiredError, StepFailedError } from "../errors.ts";
import { createStepTools, Parked, type RunState, type StepOptions } from "./step-tools.ts";
import type { Outgoing } from "./transport.ts";

// biome-ignore lint/suspicious/noExplicitAny: the engine runs functions of any event data and output
export type AnyFunction = WorkflowFunction<any, any>;

export type RunOptions = {
  db: Db;
  log: Logger;
  steps: StepOptions;
  /** The runs in this process by job id, so that a cancel NOTIFY can abort one. */
  running: Map<string, AbortController>;
  /** The engine is shutting down: an aborted run is left to resume, not cancelled. */
  isStopping: () => boolean;
};

/** Runs (or resumes by replay) one function for one job; returns the messages it hands on. */
export async function runFunction(options: RunOptions, message: QueueMessage, fn: AnyFunction): Promise<Outgoing[]> {
  const { db } = options;
  const { jobId } = message;
  if (!(await markJobRunning(db, jobId, { recovering: !message.wake && !message.parentStepId }))) return [];
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { correlationId: true } });
  const log = options.log.child({ jobId, correlationId: job.correlationId, function: fn.id });
  log.info("run started", { wake: message.wake ?? false });

  const controller = new AbortController();
  options.running.set(jobId, controller);
  const stopWatching = watchForCancel(db, jobId, controller);
  const run: RunState = { db, jobId, log, signal: controller.signal, done: await finishedSteps(db, jobId), resume: { ...message, wake: true }, outgoing: [] };
  const { step, settle } = createStepTools(run, options.steps);
  try {
    const result = await fn.handler({ event: { name: fn.event, data: message.data }, step, signal: controller.signal });
    await settle();
    await recordSuccess(run, message, result);
    return run.outgoing;
  } catch (error) {
    await settle();
    return recordError(options, run, message, error);
  } finally {
    stopWatching();
    options.running.delete(jobId);
  }
}

/** The job succeeded, or an invoked function finished: its result is the parent's step output and the parent wakes. */
async function recordSuccess(run: RunState, message: QueueMessage, result: unknown) {
  const { db, jobId, log } = run;
  if (!message.parentStepId) {
    await markJobSucceeded(db, jobId);
    log.info("job succeeded");
    return;
  }
  const parent = await db.jobStep.findUniqueOrThrow({ where: { jobId_stepId: { jobId, stepId: message.parentStepId } } });
  const parentMessage = (parent.output as { resume?: QueueMessage } | null)?.resume;
  await db.jobStep.update({
    where: { id: parent.id },
    data: {
      status: "succeeded",
      output: (result ?? null) as Prisma.InputJsonValue,
      finishedAt: new Date(),
      durationMs: Date.now() - parent.startedAt.getTime(),
      provider: (result as { provider?: string })?.provider ?? null,
    },
  });
  if (parentMessage) run.outgoing.push({ message: { ...parentMessage, wake: true } });
  log.info("run finished, parent resumes", { parentStepId: message.parentStepId });
}

/** A run that threw: parked (its messages go on), or the job ends cancelled, expired or failed. */
async function recordError(options: RunOptions, run: RunState, message: QueueMessage, error: unknown): Promise<Outgoing[]> {
  const { db, jobId, log } = run;
  if (error instanceof Parked) {
    log.info("run parked");
    return run.outgoing;
  }
  if (error instanceof CancelledError || run.signal.aborted) {
    if (options.isStopping()) {
      // The engine is shutting down, not the user cancelling: leave the job to resume.
      log.info("run interrupted by shutdown");
      return [];
    }
    await markJobCancelled(db, jobId);
    log.info("job cancelled");
  } else if (error instanceof JobExpiredError) {
    await markJobExpired(db, jobId, error.message);
    log.info("job expired", { reason: error.message });
  } else {
    await recordFailure(run, message, error);
  }
  return [];
}

/** The job fails naming the stage, provider and reason; an invoked run fails its parent's step too. */
async function recordFailure(run: RunState, message: QueueMessage, error: unknown) {
  const { db, jobId, log } = run;
  const failure: Failure =
    error instanceof StepFailedError
      ? { stage: error.stage, provider: error.provider, reason: error.reason }
      : { stage: "workflow", provider: null, reason: (error as Error).message };
  if (message.parentStepId) {
    await db.jobStep.updateMany({
      where: { jobId, stepId: message.parentStepId },
      data: { status: "failed", error: failure.reason, provider: failure.provider, finishedAt: new Date() },
    });
  }
  await markJobFailed(db, jobId, failure);
  log.error("job failed", failure);
}
