// The built-in durable engine: runs the workflow with Inngest's step semantics on PostgreSQL.
// - Delivery: pg-boss (a proven Postgres job queue) hands each job to one worker loop.
// - Exclusion: a session advisory lock per job; it dies with its connection, so a crashed
//   runner's job can be picked up again at once.
// - Memoization: a step whose JobStep row succeeded returns its stored output, never re-runs.
// - Retries: each step on its own, exponential backoff with jitter, up to STEP_MAX_ATTEMPTS.
// - Cancellation: NOTIFY on a channel aborts the running step's AbortSignal.
import PgBoss from "pg-boss";
import pg from "pg";
import type { Db, Prisma } from "../../db/client.ts";
import type { Logger } from "../../lib/log.ts";
import { appendJobEvent, JOB_CANCEL_CHANNEL } from "../events.ts";
import { QUEUE, sendToQueue } from "../queue.ts";
import { overallProgress, stageOfStep } from "../stages.ts";
import { VIDEO_GENERATE_EVENT, type WorkflowContext } from "../video-generate.ts";
import { CancelledError, StepFailedError } from "./errors.ts";

type Workflow = (ctx: WorkflowContext) => Promise<unknown>;

export type EngineOptions = {
  db: Db;
  databaseUrl: string;
  workflow: Workflow;
  log: Logger;
  concurrency: number;
  stepConcurrency?: number;
  maxAttempts: number;
  /** Base of the exponential backoff between attempts. */
  backoffMs?: number;
};

class Semaphore {
  private waiting: (() => void)[] = [];
  constructor(private free: number) {}
  async acquire() {
    if (this.free > 0) return void this.free--;
    await new Promise<void>((r) => this.waiting.push(r));
  }
  release() {
    const next = this.waiting.shift();
    if (next) next();
    else this.free++;
  }
}

function abortableSleep(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(new CancelledError());
    const onAbort = () => (clearTimeout(t), reject(new CancelledError()));
    const t = setTimeout(() => (signal.removeEventListener("abort", onAbort), resolve()), ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

export function backoffDelay(attempt: number, baseMs: number, random = Math.random) {
  const exp = Math.min(baseMs * 2 ** (attempt - 1), 60_000);
  return Math.round(exp * (0.75 + random() * 0.5));
}

export class BuiltinEngine {
  private boss: PgBoss;
  private lockPool: pg.Pool;
  private listener?: pg.Client;
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly options: EngineOptions) {
    this.boss = new PgBoss({ connectionString: options.databaseUrl, schema: "pgboss", max: 4 });
    this.boss.on("error", (error) => options.log.error("queue error", { error: error.message }));
    this.lockPool = new pg.Pool({ connectionString: options.databaseUrl, max: options.concurrency + 2 });
    this.lockPool.on("error", () => {});
  }

  async start() {
    await this.boss.start();
    await this.boss.createQueue(QUEUE);
    await this.listen();
    for (let i = 0; i < this.options.concurrency; i++) {
      await this.boss.work<{ jobId: string }>(QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        if (job) await this.runJob(job.data.jobId);
      });
    }
    // Jobs left queued or running by a process that died: hand them out again. The advisory
    // lock makes a duplicate delivery harmless.
    const unfinished = await this.options.db.job.findMany({ where: { status: { in: ["queued", "running"] } }, select: { id: true } });
    for (const { id } of unfinished) await sendToQueue(this.boss, id);
    if (unfinished.length) this.options.log.info("resuming unfinished jobs", { count: unfinished.length });
  }

  /** Cancellation arrives by NOTIFY; a poll of the job row backs it up (see runLocked). */
  async listen() {
    this.listener = new pg.Client({ connectionString: this.options.databaseUrl });
    this.listener.on("error", (error) => this.options.log.error("listener error", { error: error.message }));
    await this.listener.connect();
    await this.listener.query(`LISTEN ${JOB_CANCEL_CHANNEL}`);
    this.listener.on("notification", (n) => {
      if (n.payload) this.running.get(n.payload)?.abort();
    });
  }

  async stop() {
    for (const controller of this.running.values()) controller.abort();
    await this.boss.stop({ graceful: true, timeout: 5000 }).catch(() => {});
    await this.listener?.end().catch(() => {});
    await this.lockPool.end().catch(() => {});
  }

  /** Runs (or resumes) one job to its end. Public for tests. */
  async runJob(jobId: string) {
    const lockClient = await this.lockPool.connect();
    try {
      const { rows } = await lockClient.query("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked", [jobId]);
      if (!rows[0].locked) return; // another runner has it
      try {
        await this.runLocked(jobId);
      } finally {
        await lockClient.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [jobId]);
      }
    } finally {
      lockClient.release();
    }
  }

  private async runLocked(jobId: string) {
    const { db } = this.options;
    const job = await db.job.findUnique({ where: { id: jobId } });
    if (!job || ["succeeded", "failed", "cancelled"].includes(job.status)) return;
    const log = this.options.log.child({ jobId, correlationId: job.correlationId });
    if (job.cancelRequestedAt) return this.finishCancelled(jobId, job.videoId);

    const controller = new AbortController();
    this.running.set(jobId, controller);
    // A NOTIFY can be missed (listener reconnecting, another engine process): poll as well.
    const cancelPoll = setInterval(() => {
      db.job
        .findUnique({ where: { id: jobId }, select: { cancelRequestedAt: true } })
        .then((j) => j?.cancelRequestedAt && controller.abort())
        .catch(() => {});
    }, 2000);
    await db.video.update({ where: { id: job.videoId }, data: { status: "processing" } });
    await appendJobEvent(db, jobId, "job.started", { progress: job.progress, attempt: job.attempts + 1 }, {
      status: "running",
      attempts: { increment: 1 },
      startedAt: job.startedAt ?? new Date(),
    });
    log.info("job started", { attempt: job.attempts + 1 });

    const done = new Map<string, unknown>();
    for (const s of await db.jobStep.findMany({ where: { jobId, status: "succeeded" } })) done.set(s.stepId, s.output);
    const sceneCount = () => (done.get("script") as { sceneCount?: number } | undefined)?.sceneCount ?? null;
    const semaphore = new Semaphore(this.options.stepConcurrency ?? 2);
    let lastProgressAt = 0;

    const run = async <T>(stepId: string, fn: () => Promise<T>): Promise<T> => {
      if (done.has(stepId)) return done.get(stepId) as T;
      await semaphore.acquire();
      try {
        return await this.runStep(jobId, stepId, fn, controller.signal, done, sceneCount, log);
      } finally {
        semaphore.release();
      }
    };

    const reportProgress = (stepId: string, fraction: number) => {
      const now = Date.now();
      if (now - lastProgressAt < 1000) return;
      lastProgressAt = now;
      const progress = overallProgress(done.keys(), sceneCount(), fraction);
      void appendJobEvent(db, jobId, "stage.progress", { stage: stageOfStep(stepId), stepId, progress, message: `${Math.round(fraction * 100)}%` }, { progress }).catch(
        () => {},
      );
    };

    try {
      await this.options.workflow({ event: { name: VIDEO_GENERATE_EVENT, data: { jobId } }, step: { run }, signal: controller.signal, reportProgress });
      await db.video.update({ where: { id: job.videoId }, data: { status: "ready" } });
      await appendJobEvent(db, jobId, "job.succeeded", { progress: 100 }, { status: "succeeded", progress: 100, finishedAt: new Date(), currentStage: null });
      log.info("job succeeded");
    } catch (error) {
      if (error instanceof CancelledError || controller.signal.aborted) {
        await this.finishCancelled(jobId, job.videoId);
        log.info("job cancelled");
      } else {
        const failure =
          error instanceof StepFailedError
            ? { stage: error.stage, provider: error.provider, reason: error.reason }
            : { stage: "workflow", provider: null, reason: (error as Error).message };
        await db.video.update({ where: { id: job.videoId }, data: { status: "failed" } });
        await appendJobEvent(db, jobId, "job.failed", { error: failure, stage: failure.stage }, {
          status: "failed",
          finishedAt: new Date(),
          errorStage: failure.stage,
          errorProvider: failure.provider,
          errorMessage: failure.reason,
        });
        log.error("job failed", failure);
      }
    } finally {
      clearInterval(cancelPoll);
      this.running.delete(jobId);
    }
  }

  private async runStep<T>(
    jobId: string,
    stepId: string,
    fn: () => Promise<T>,
    signal: AbortSignal,
    done: Map<string, unknown>,
    sceneCount: () => number | null,
    log: Logger,
  ): Promise<T> {
    const { db } = this.options;
    const stage = stageOfStep(stepId);
    const current = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { cancelRequestedAt: true } });
    if (signal.aborted || current.cancelRequestedAt) throw new CancelledError();
    const previous = await db.jobStep.findUnique({ where: { jobId_stepId: { jobId, stepId } } });
    let attempt = previous?.attempts ?? 0;
    await db.jobStep.upsert({
      where: { jobId_stepId: { jobId, stepId } },
      create: { jobId, stepId, stage, status: "running" },
      update: { status: "running", startedAt: new Date(), finishedAt: null, error: null },
    });
    await appendJobEvent(db, jobId, "step.started", { stage, stepId }, { currentStage: stage });
    for (;;) {
      attempt++;
      const started = performance.now();
      try {
        const output = await fn();
        const durationMs = Math.round(performance.now() - started);
        const provider = (output as { provider?: string } | null)?.provider ?? null;
        await db.jobStep.update({
          where: { jobId_stepId: { jobId, stepId } },
          data: { status: "succeeded", attempts: attempt, output: output as Prisma.InputJsonValue, provider, finishedAt: new Date(), durationMs, error: null },
        });
        done.set(stepId, output);
        const progress = overallProgress(done.keys(), sceneCount());
        await appendJobEvent(db, jobId, "step.succeeded", { stage, stepId, progress, durationMs, provider: provider ?? undefined, output }, { progress });
        return output;
      } catch (error) {
        const err = error as Error & { provider?: string; retriable?: boolean };
        if (signal.aborted || error instanceof CancelledError) {
          await db.jobStep.update({ where: { jobId_stepId: { jobId, stepId } }, data: { status: "cancelled", attempts: attempt, finishedAt: new Date() } });
          throw new CancelledError();
        }
        const provider = err.provider ?? null;
        const reason = err.message || String(error);
        const retriable = err.retriable !== false && attempt < this.options.maxAttempts;
        await db.jobStep.update({
          where: { jobId_stepId: { jobId, stepId } },
          data: { attempts: attempt, error: reason, provider, ...(retriable ? {} : { status: "failed" as const, finishedAt: new Date() }) },
        });
        if (!retriable) {
          await appendJobEvent(db, jobId, "step.failed", { stage, stepId, attempt, provider: provider ?? undefined, error: { stage, provider, reason } });
          throw new StepFailedError(stage, provider, reason, stepId);
        }
        const delay = backoffDelay(attempt, this.options.backoffMs ?? 1000);
        log.warn("step failed, retrying", { stepId, attempt, delayMs: delay, reason });
        await appendJobEvent(db, jobId, "step.retrying", { stage, stepId, attempt, message: reason, provider: provider ?? undefined });
        await abortableSleep(delay, signal);
      }
    }
  }

  private async finishCancelled(jobId: string, videoId: string) {
    const { db } = this.options;
    await db.video.update({ where: { id: videoId }, data: { status: "cancelled" } });
    await appendJobEvent(db, jobId, "job.cancelled", { message: "cancelled by a user" }, { status: "cancelled", finishedAt: new Date(), currentStage: null });
  }
}
