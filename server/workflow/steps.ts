// The step bookkeeping both engines share: every attempt of every step becomes a
// JobStepAttempt row, the JobStep row holds the step's state and checkpointed output, and
// each change is a JobEvent that the job page streams.
import type { Db, Prisma } from "../db/client.ts";
import { appendJobEvent } from "./events.ts";
import { CancelledError, RetryAfterError } from "./engine/errors.ts";
import { overallProgress, stageOfStep } from "./stages.ts";

/** How one attempt ended when it did not succeed. */
export class StepAttemptError extends Error {
  constructor(
    readonly stepId: string,
    readonly stage: string,
    readonly attempt: number,
    readonly provider: string | null,
    readonly reason: string,
    /** No more attempts: the step has failed for good. */
    readonly final: boolean,
    readonly retryAfterMs: number | null,
    override readonly cause: unknown,
  ) {
    super(reason);
  }
}

/** Checkpointed outputs of a job's finished steps, by step id. */
export async function finishedSteps(db: Db, jobId: string) {
  const rows = await db.jobStep.findMany({ where: { jobId, status: "succeeded" }, select: { stepId: true, output: true } });
  return new Map(rows.map((r) => [r.stepId, r.output as unknown]));
}

export async function jobProgress(db: Db, jobId: string, renderFraction = 0) {
  const done = await finishedSteps(db, jobId);
  const sceneCount = (done.get("script") as { sceneCount?: number } | undefined)?.sceneCount ?? null;
  return overallProgress(done.keys(), sceneCount, renderFraction);
}

const lastProgress = new Map<string, number>();

/** Reports how far a long step has come (0..1), at most once a second per job; the message
 *  (the percentage unless given) is what the job page shows under the stage, with the time
 *  left when the step knows it (the render worker estimates it from its speed). */
export async function reportStepProgress(db: Db, jobId: string, stepId: string, fraction: number, message?: string, etaSec?: number | null) {
  const now = Date.now();
  if (now - (lastProgress.get(jobId) ?? 0) < 1000) return;
  lastProgress.set(jobId, now);
  const progress = await jobProgress(db, jobId, fraction);
  await appendJobEvent(
    db,
    jobId,
    "stage.progress",
    {
      stage: stageOfStep(stepId),
      stepId,
      progress,
      message: message ?? `${Math.round(fraction * 100)}%`,
      ...(etaSec != null && Number.isFinite(etaSec) ? { etaSec: Math.round(etaSec) } : {}),
    },
    { progress },
  );
}

type AttemptOptions = {
  /** Is this attempt (1-based) the last one allowed? */
  isFinal: (attempt: number) => boolean;
  signal?: AbortSignal;
};

/**
 * Runs one attempt of a step and records it. Returns the output, or throws CancelledError
 * or a StepAttemptError that says whether another attempt may follow.
 */
export async function runStepAttempt<T>(db: Db, jobId: string, stepId: string, fn: () => Promise<T>, options: AttemptOptions): Promise<T> {
  const stage = stageOfStep(stepId);
  const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { cancelRequestedAt: true } });
  if (options.signal?.aborted || job.cancelRequestedAt) throw new CancelledError();
  const before = await db.jobStep.findUnique({ where: { jobId_stepId: { jobId, stepId } } });
  if (before?.status === "running") {
    // The runner of the previous attempt stopped without a word (a crash): say so in the history.
    await db.jobStepAttempt.create({
      data: {
        jobStepId: before.id,
        jobId,
        stepId,
        stage,
        attempt: before.attempts,
        status: "failed",
        error: "interrupted: the process running it stopped",
        startedAt: before.startedAt,
        durationMs: 0,
      },
    });
  }
  const row = await db.jobStep.upsert({
    where: { jobId_stepId: { jobId, stepId } },
    create: { jobId, stepId, stage, status: "running", attempts: 1 },
    update: { status: "running", attempts: { increment: 1 }, startedAt: new Date(), finishedAt: null },
  });
  const attempt = row.attempts;
  await appendJobEvent(db, jobId, "step.started", { stage, stepId, attempt }, { currentStage: stage });
  const startedAt = new Date();
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  try {
    const output = await fn();
    const durationMs = elapsed();
    const provider = (output as { provider?: unknown } | null)?.provider;
    const providerName = typeof provider === "string" ? provider : null;
    await db.$transaction([
      db.jobStep.update({
        where: { id: row.id },
        data: {
          status: "succeeded",
          output: (output ?? null) as Prisma.InputJsonValue,
          provider: providerName,
          finishedAt: new Date(),
          durationMs,
          error: null,
        },
      }),
      db.jobStepAttempt.create({
        data: { jobStepId: row.id, jobId, stepId, stage, attempt, status: "succeeded", provider: providerName, startedAt, durationMs },
      }),
    ]);
    const progress = await jobProgress(db, jobId);
    await appendJobEvent(
      db,
      jobId,
      "step.succeeded",
      { stage, stepId, progress, durationMs, attempt, provider: providerName ?? undefined, output },
      { progress },
    );
    return output;
  } catch (error) {
    const durationMs = elapsed();
    const err = error as Error & { provider?: string; retriable?: boolean };
    if (options.signal?.aborted || error instanceof CancelledError) {
      await db.$transaction([
        db.jobStep.update({ where: { id: row.id }, data: { status: "cancelled", finishedAt: new Date() } }),
        db.jobStepAttempt.create({ data: { jobStepId: row.id, jobId, stepId, stage, attempt, status: "cancelled", startedAt, durationMs } }),
      ]);
      throw new CancelledError();
    }
    const provider = err.provider ?? null;
    const reason = err.message || String(error);
    const final = err.retriable === false || options.isFinal(attempt);
    await db.$transaction([
      db.jobStep.update({
        where: { id: row.id },
        data: { error: reason, provider, durationMs, ...(final ? { status: "failed" as const, finishedAt: new Date() } : {}) },
      }),
      db.jobStepAttempt.create({
        data: { jobStepId: row.id, jobId, stepId, stage, attempt, status: "failed", provider, error: reason, startedAt, durationMs },
      }),
    ]);
    if (final) {
      await appendJobEvent(db, jobId, "step.failed", { stage, stepId, attempt, provider: provider ?? undefined, error: { stage, provider, reason } });
    } else {
      await appendJobEvent(db, jobId, "step.retrying", { stage, stepId, attempt, message: reason, provider: provider ?? undefined });
    }
    const retryAfterMs = error instanceof RetryAfterError ? error.retryAfterMs : null;
    throw new StepAttemptError(stepId, stage, attempt, provider, reason, final, retryAfterMs, error);
  }
}
