// The built-in durable engine: runs the workflow functions with Inngest's step semantics on
// PostgreSQL, for machines without an Inngest server.
// - Delivery: pg-boss (a proven Postgres job queue), one queue per function, so renders
//   have their own queue and concurrency apart from generation; a cleanup queue on a cron.
// - Exclusion: a session advisory lock per job, and advisory-lock "slots" for the
//   per-workspace and global render limits. Locks die with their connection, so a crashed
//   runner frees its job and slots at once.
// - Memoization: a step whose JobStep row succeeded returns its stored output, never re-runs.
// - Retries: each step on its own, exponential backoff with jitter (or the provider's
//   Retry-After), up to maxAttempts.
// - Waiting: step.sleep, step.waitForEvent and step.invoke park the run (no worker held)
//   and a queue message, scheduled or sent by the event, resumes it by replay.
// - Cancellation: NOTIFY (and a poll) aborts the running step's AbortSignal.
import PgBoss from "pg-boss";
import pg from "pg";
import type { Db, Prisma } from "../../db/client.ts";
import type { Logger } from "../../lib/log.ts";
import { appendJobEvent, JOB_CANCEL_CHANNEL } from "../events.ts";
import { markJobCancelled, markJobExpired, markJobFailed, markJobRunning, markJobSucceeded, markJobWaiting, TERMINAL_JOB_STATUSES, type Failure } from "../lifecycle.ts";
import { deliverWaitEvent, generateMessage, SEND_OPTIONS, type QueueMessage } from "../queue.ts";
import type { Schedule } from "../schedules.ts";
import { stageOfStep } from "../stages.ts";
import { finishedSteps, runStepAttempt, StepAttemptError } from "../steps.ts";
import type { JobEventData, StepTools, WorkflowEvent, WorkflowFunction } from "../types.ts";
import { CancelledError, JobExpiredError, StepFailedError } from "./errors.ts";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyFunction = WorkflowFunction<any, any>;

export type EngineOptions = {
  db: Db;
  databaseUrl: string;
  log: Logger;
  /** The workflow functions; the first is the one a new job starts with. */
  functions: AnyFunction[];
  /** Runs of the generation queue at once in this process. */
  concurrency: number;
  /** Renders at once across all engine processes (render queue). */
  renderConcurrency?: number;
  /** Runs of one workspace at once across all engine processes. */
  workspaceConcurrency?: number;
  /** Steps of one run at once (scenes' narration and visuals). */
  stepConcurrency?: number;
  maxAttempts: number;
  /** Base of the exponential backoff between attempts. */
  backoffMs?: number;
  /** Seconds before a run that found no free slot tries again. */
  slotRetrySec?: number;
  /** Scheduled work (schedules.ts): a queue each on its cron, or a loop in this process. */
  schedules?: Schedule[];
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

/** Thrown to unwind a run that parked itself (waiting, sleeping, or invoking). */
class Parked extends Error {}

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

type Outgoing = { message: QueueMessage; startAfter?: Date | number };

export class BuiltinEngine {
  private boss: PgBoss;
  private lockPool: pg.Pool;
  private listener?: pg.Client;
  private readonly pollTimers: NodeJS.Timeout[] = [];
  private readonly running = new Map<string, AbortController>();
  private readonly functions: Map<string, AnyFunction>;
  private started = false;
  private stopped = false;

  constructor(private readonly options: EngineOptions) {
    this.functions = new Map(options.functions.map((f) => [f.id, f]));
    this.boss = new PgBoss({ connectionString: options.databaseUrl, schema: "pgboss", max: 4 });
    this.boss.on("error", (error) => options.log.error("queue error", { error: error.message }));
    const renders = options.renderConcurrency ?? 1;
    this.lockPool = new pg.Pool({ connectionString: options.databaseUrl, max: options.concurrency + renders + 2 });
    this.lockPool.on("error", () => {});
  }

  private get entry() {
    return this.options.functions[0]!;
  }

  async start() {
    await this.boss.start();
    for (const fn of this.functions.values()) await this.boss.createQueue(fn.queue);
    await this.listen();
    for (const fn of this.functions.values()) {
      const workers = fn === this.entry ? this.options.concurrency : (this.options.renderConcurrency ?? 1);
      for (let i = 0; i < workers; i++) {
        await this.boss.work<QueueMessage>(fn.queue, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
          if (job) await this.handle(job.data);
        });
      }
    }
    for (const { id, cron, run, poll } of this.options.schedules ?? []) {
      if (poll) {
        this.pollTimers.push(setInterval(() => void poll.run().catch((error) => this.options.log.error(`${id} failed`, { error: (error as Error).message })), poll.everyMs));
        continue;
      }
      await this.boss.createQueue(id);
      await this.boss.schedule(id, cron);
      await this.boss.work(id, async () => {
        const result = await run();
        this.options.log.info(`${id} done`, { result });
      });
    }
    this.started = true;
    await this.resumeUnfinished();
  }

  /**
   * After a crash or restart: hand out again every job that was queued or running, and
   * every waiting job whose wait is over or whose event came while nobody listened. The
   * advisory lock makes a duplicate delivery harmless.
   */
  private async resumeUnfinished() {
    const { db } = this.options;
    const jobs = await db.job.findMany({
      where: {
        OR: [
          { status: { in: ["queued", "running"] } },
          { status: "waiting", OR: [{ waitUntil: { lte: new Date() } }, { steps: { none: { status: "waiting" } } }] },
        ],
      },
      select: { id: true, workspaceId: true, status: true },
    });
    for (const job of jobs) await this.send({ message: this.entryMessage(job.id, job.workspaceId, job.status === "waiting") });
    if (jobs.length) this.options.log.info("resuming unfinished jobs", { count: jobs.length });
  }

  private entryMessage(jobId: string, workspaceId: string, wake = false): QueueMessage {
    return generateMessage(jobId, workspaceId, wake, this.entry.id);
  }

  /** Puts a message on its function's queue. */
  private async send({ message, startAfter }: Outgoing) {
    const fn = this.functions.get(message.functionId);
    if (!fn) throw new Error(`unknown workflow function ${message.functionId}`);
    await this.boss.send(fn.queue, message, { ...SEND_OPTIONS, ...(startAfter ? { startAfter } : {}) });
  }

  /** Cancellation arrives by NOTIFY; a poll of the job row backs it up (see runLocked). */
  private async listen() {
    this.listener = new pg.Client({ connectionString: this.options.databaseUrl });
    this.listener.on("error", (error) => this.options.log.error("listener error", { error: error.message }));
    await this.listener.connect();
    await this.listener.query(`LISTEN ${JOB_CANCEL_CHANNEL}`);
    this.listener.on("notification", (n) => {
      if (n.payload) this.running.get(n.payload)?.abort();
    });
  }

  async stop() {
    this.stopped = true;
    for (const timer of this.pollTimers) clearInterval(timer);
    for (const controller of this.running.values()) controller.abort(new Error("engine stopping"));
    await this.boss.stop({ graceful: true, timeout: 5000 }).catch(() => {});
    await this.listener?.end().catch(() => {});
    await this.lockPool.end().catch(() => {});
  }

  /** Starts a job's run on the queue (what the app does through workflow/client.ts). */
  async enqueue(jobId: string) {
    const job = await this.options.db.job.findUniqueOrThrow({ where: { id: jobId }, select: { workspaceId: true } });
    await this.send({ message: this.entryMessage(jobId, job.workspaceId) });
  }

  /** Delivers an event to the job step waiting for it, and resumes that run. */
  async deliver(event: { name: string; data: { jobId: string } & Record<string, unknown> }) {
    const resume = await deliverWaitEvent(this.options.db, event);
    if (resume) await this.send({ message: resume });
    return resume !== null;
  }

  /** Jobs this process is running right now (a parked job is not among them). */
  get activeJobIds() {
    return [...this.running.keys()];
  }

  /**
   * Runs (or resumes) a job in this process until it ends or waits: what it hands to another
   * queue (an invoked render, a resume) runs here too, at once. Waits with a deadline are
   * scheduled on the queue when the engine is started. For tests and benchmarks.
   */
  async runJob(jobId: string) {
    const job = await this.options.db.job.findUniqueOrThrow({ where: { id: jobId }, select: { workspaceId: true } });
    const pending: QueueMessage[] = [this.entryMessage(jobId, job.workspaceId)];
    while (pending.length) {
      for (const o of await this.runExclusive(pending.shift()!)) {
        if (!o.startAfter) pending.push(o.message);
        else if (this.started) await this.send(o);
      }
    }
  }

  /** Handles one queue message, then sends what it produced (after the job lock is free). */
  private async handle(message: QueueMessage) {
    const outgoing = await this.runExclusive(message);
    for (const o of outgoing) await this.send(o);
  }

  private async runExclusive(message: QueueMessage): Promise<Outgoing[]> {
    const { jobId } = message;
    const fn = this.functions.get(message.functionId);
    if (!fn) {
      this.options.log.error("message for an unknown function", { jobId, functionId: message.functionId });
      return [];
    }
    const client = await this.lockPool.connect();
    const held: [string, number][] = [];
    try {
      const { rows } = await client.query("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked", [jobId]);
      // Another runner has the job. A wake-up must not be lost: it tries again shortly.
      if (!rows[0].locked) return message.wake ? [{ message, startAfter: 2 }] : [];
      try {
        const job = await this.options.db.job.findUnique({ where: { id: jobId }, select: { workspaceId: true, status: true } });
        if (!job || (TERMINAL_JOB_STATUSES as readonly string[]).includes(job.status)) return [];
        const retry = { message: { ...message, wake: true }, startAfter: this.options.slotRetrySec ?? 2 };
        const slots: [string, number][] = [[`workspace:${job.workspaceId}`, this.options.workspaceConcurrency ?? 2]];
        if (fn !== this.entry) slots.push([`queue:${fn.queue}`, this.options.renderConcurrency ?? 1]);
        for (const [key, limit] of slots) {
          const slot = await this.takeSlot(client, key, limit);
          if (slot === null) return [retry];
          held.push([key, slot]);
        }
        return await this.runLocked(message, fn);
      } finally {
        for (const [key, slot] of held) await client.query("SELECT pg_advisory_unlock(hashtext($1), $2)", [key, slot]);
        await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [jobId]);
      }
    } finally {
      client.release();
    }
  }

  /** One of `limit` advisory-lock slots for key, or null when all are taken. */
  private async takeSlot(client: pg.PoolClient, key: string, limit: number) {
    for (let slot = 0; slot < limit; slot++) {
      const { rows } = await client.query("SELECT pg_try_advisory_lock(hashtext($1), $2) AS locked", [key, slot]);
      if (rows[0].locked) return slot;
    }
    return null;
  }

  private async runLocked(message: QueueMessage, fn: AnyFunction): Promise<Outgoing[]> {
    const { db } = this.options;
    const { jobId } = message;
    if (!(await markJobRunning(db, jobId, { recovering: !message.wake && !message.parentStepId }))) return [];
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { correlationId: true } });
    const log = this.options.log.child({ jobId, correlationId: job.correlationId, function: fn.id });
    log.info("run started", { wake: message.wake ?? false });

    const controller = new AbortController();
    this.running.set(jobId, controller);
    // A NOTIFY can be missed (listener reconnecting, another engine process): poll as well.
    const cancelPoll = setInterval(() => {
      db.job
        .findUnique({ where: { id: jobId }, select: { cancelRequestedAt: true } })
        .then((j) => j?.cancelRequestedAt && controller.abort())
        .catch(() => {});
    }, 2000);

    const done = await finishedSteps(db, jobId);
    const semaphore = new Semaphore(this.options.stepConcurrency ?? 2);
    const inflight = new Set<Promise<unknown>>();
    const outgoing: Outgoing[] = [];
    const resume: QueueMessage = { ...message, wake: true };

    const track = <T>(p: Promise<T>) => {
      inflight.add(p);
      void p.catch(() => {}).finally(() => inflight.delete(p));
      return p;
    };

    const step: StepTools = {
      run: <T>(id: string, body: () => Promise<T>) => {
        if (done.has(id)) return Promise.resolve(done.get(id) as T);
        return track(
          (async () => {
            await semaphore.acquire();
            try {
              const output = await this.runStepWithRetries(jobId, id, body, controller.signal, log);
              done.set(id, output);
              return output;
            } finally {
              semaphore.release();
            }
          })(),
        );
      },
      sleep: async (id, ms) => {
        await this.wait(jobId, id, null, ms, done, resume, outgoing);
      },
      waitForEvent: async <D,>(id: string, o: { event: string; timeoutMs: number }) =>
        (await this.wait(jobId, id, o.event, o.timeoutMs, done, resume, outgoing)) as WorkflowEvent<D> | null,
      invoke: async <D extends JobEventData, T>(id: string, o: { function: WorkflowFunction<D, T>; data: D }) => {
        if (done.has(id)) return done.get(id) as T;
        const row = await db.jobStep.findUnique({ where: { jobId_stepId: { jobId, stepId: id } } });
        if (row?.status === "failed") throw new StepFailedError(row.stage, row.provider, row.error ?? "failed", id);
        if (row?.status !== "waiting") {
          await db.jobStep.upsert({
            where: { jobId_stepId: { jobId, stepId: id } },
            create: { jobId, stepId: id, stage: stageOfStep(id), status: "waiting", attempts: 1, waitEvent: `invoke:${o.function.id}`, output: { resume } as unknown as Prisma.InputJsonValue },
            update: { status: "waiting", attempts: { increment: 1 }, startedAt: new Date(), finishedAt: null, error: null, waitEvent: `invoke:${o.function.id}`, output: { resume } as unknown as Prisma.InputJsonValue },
          });
          await appendJobEvent(db, jobId, "step.started", { stage: stageOfStep(id), stepId: id }, { currentStage: stageOfStep(id) });
        }
        outgoing.push({ message: { jobId, functionId: o.function.id, data: o.data, parentStepId: id } });
        throw new Parked();
      },
    };

    try {
      const result = await fn.handler({ event: { name: fn.event, data: message.data }, step, signal: controller.signal });
      await Promise.allSettled([...inflight]);
      if (message.parentStepId) {
        // An invoked function finished: its result is the parent's step output; wake the parent.
        const parent = await db.jobStep.findUniqueOrThrow({ where: { jobId_stepId: { jobId, stepId: message.parentStepId } } });
        const parentMessage = (parent.output as { resume?: QueueMessage } | null)?.resume;
        await db.jobStep.update({
          where: { id: parent.id },
          data: { status: "succeeded", output: (result ?? null) as Prisma.InputJsonValue, finishedAt: new Date(), durationMs: Date.now() - parent.startedAt.getTime(), provider: (result as { provider?: string })?.provider ?? null },
        });
        if (parentMessage) outgoing.push({ message: { ...parentMessage, wake: true } });
        log.info("run finished, parent resumes", { parentStepId: message.parentStepId });
      } else {
        await markJobSucceeded(db, jobId);
        log.info("job succeeded");
      }
    } catch (error) {
      await Promise.allSettled([...inflight]);
      if (error instanceof Parked) {
        log.info("run parked");
        return outgoing;
      }
      if (error instanceof CancelledError || controller.signal.aborted) {
        if (this.stopped) {
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
      return [];
    } finally {
      clearInterval(cancelPoll);
      this.running.delete(jobId);
    }
    return outgoing;
  }

  /**
   * step.sleep and step.waitForEvent: the first time, record the wait and park; on a later
   * replay, return the event (delivered by deliverWaitEvent) or null once the deadline passed.
   */
  private async wait(jobId: string, stepId: string, event: string | null, ms: number, done: Map<string, unknown>, resume: QueueMessage, outgoing: Outgoing[]) {
    if (done.has(stepId)) return done.get(stepId) as WorkflowEvent | null;
    const { db } = this.options;
    const row = await db.jobStep.findUnique({ where: { jobId_stepId: { jobId, stepId } } });
    if (row?.status === "waiting" && row.waitUntil) {
      if (row.waitUntil.getTime() <= Date.now()) {
        await db.jobStep.update({ where: { id: row.id }, data: { status: "succeeded", output: null as unknown as Prisma.InputJsonValue, finishedAt: new Date(), durationMs: Date.now() - row.startedAt.getTime() } });
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
      create: { jobId, stepId, stage: stageOfStep(stepId), status: "waiting", attempts: 1, waitEvent: event, waitUntil: until, output: { resume } as unknown as Prisma.InputJsonValue },
      update: { status: "waiting", startedAt: new Date(), finishedAt: null, waitEvent: event, waitUntil: until, output: { resume } as unknown as Prisma.InputJsonValue },
    });
    await markJobWaiting(db, jobId, { stepId, waitingFor: event ?? "sleep", until });
    outgoing.push({ message: resume, startAfter: until });
    throw new Parked();
  }

  private async runStepWithRetries<T>(jobId: string, stepId: string, body: () => Promise<T>, signal: AbortSignal, log: Logger): Promise<T> {
    const maxAttempts = this.options.maxAttempts;
    for (;;) {
      try {
        return await runStepAttempt(this.options.db, jobId, stepId, body, { isFinal: (attempt) => attempt >= maxAttempts, signal });
      } catch (error) {
        if (!(error instanceof StepAttemptError)) throw error;
        if (error.final) throw new StepFailedError(error.stage, error.provider, error.reason, stepId);
        const delay = error.retryAfterMs ?? backoffDelay(error.attempt, this.options.backoffMs ?? 1000);
        log.warn("step failed, retrying", { stepId, attempt: error.attempt, delayMs: delay, reason: error.reason, provider: error.provider });
        await abortableSleep(delay, signal);
      }
    }
  }
}
