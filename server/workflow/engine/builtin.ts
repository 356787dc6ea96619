// The built-in durable engine: runs the workflow functions with Inngest's step semantics on
// PostgreSQL, for machines without an Inngest server. It composes:
// - builtin/transport.ts: delivery by pg-boss queues, cancellations by NOTIFY, wait events;
// - builtin/locks.ts: a session advisory lock per job, and lock "slots" for the
//   per-workspace and render limits;
// - builtin/run.ts and builtin/step-tools.ts: one run of a function with its `step`
//   (checkpoints, retries, waits that park the run).
import type { Db } from "../../db/client.ts";
import type { Logger } from "../../lib/log.ts";
import { isTerminalJobStatus } from "../job-status.ts";
import { generateMessage, type QueueMessage } from "../queue.ts";
import type { Schedule } from "../schedules.ts";
import { RunLocks, type Slot } from "./builtin/locks.ts";
import { runFunction, type AnyFunction, type RunOptions } from "./builtin/run.ts";
import { Transport, type Outgoing } from "./builtin/transport.ts";

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

export class BuiltinEngine {
  private readonly transport: Transport;
  private readonly locks: RunLocks;
  private readonly running = new Map<string, AbortController>();
  private readonly functions: Map<string, AnyFunction>;
  private readonly runOptions: RunOptions;
  private started = false;
  private stopped = false;

  constructor(private readonly options: EngineOptions) {
    this.functions = new Map(options.functions.map((f) => [f.id, f]));
    this.transport = new Transport({ databaseUrl: options.databaseUrl, log: options.log, queueOf: (id) => this.functions.get(id)?.queue });
    this.locks = new RunLocks(options.databaseUrl, options.concurrency + (options.renderConcurrency ?? 1) + 2);
    this.runOptions = {
      db: options.db,
      log: options.log,
      steps: { maxAttempts: options.maxAttempts, backoffMs: options.backoffMs ?? 1000, stepConcurrency: options.stepConcurrency ?? 2 },
      running: this.running,
      isStopping: () => this.stopped,
    };
  }

  private get entry() {
    return this.options.functions[0]!;
  }

  async start() {
    await this.transport.start([...this.functions.values()].map((fn) => fn.queue));
    await this.transport.listenForCancels((jobId) => this.running.get(jobId)?.abort());
    for (const fn of this.functions.values()) {
      const workers = fn === this.entry ? this.options.concurrency : (this.options.renderConcurrency ?? 1);
      await this.transport.consume(fn.queue, workers, (message) => this.handle(message));
    }
    await this.transport.runSchedules(this.options.schedules ?? []);
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
    for (const job of jobs) await this.transport.send({ message: this.entryMessage(job.id, job.workspaceId, job.status === "waiting") });
    if (jobs.length) this.options.log.info("resuming unfinished jobs", { count: jobs.length });
  }

  private entryMessage(jobId: string, workspaceId: string, wake = false): QueueMessage {
    return generateMessage(jobId, workspaceId, wake, this.entry.id);
  }

  async stop() {
    this.stopped = true;
    for (const controller of this.running.values()) controller.abort(new Error("engine stopping"));
    await this.transport.stop();
    await this.locks.end();
  }

  /** Starts a job's run on the queue (what the app does through workflow/client.ts). */
  async enqueue(jobId: string) {
    const job = await this.options.db.job.findUniqueOrThrow({ where: { id: jobId }, select: { workspaceId: true } });
    await this.transport.send({ message: this.entryMessage(jobId, job.workspaceId) });
  }

  /** Delivers an event to the job step waiting for it, and resumes that run. */
  async deliver(event: { name: string; data: { jobId: string } & Record<string, unknown> }) {
    return this.transport.deliverWaitEvent(this.options.db, event);
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
        else if (this.started) await this.transport.send(o);
      }
    }
  }

  /** Handles one queue message, then sends what it produced (after the job lock is free). */
  private async handle(message: QueueMessage) {
    const outgoing = await this.runExclusive(message);
    for (const o of outgoing) await this.transport.send(o);
  }

  /** Runs the message's function holding the job's lock and its slots; a busy job or a full slot sends it again later. */
  private async runExclusive(message: QueueMessage): Promise<Outgoing[]> {
    const { jobId } = message;
    const fn = this.functions.get(message.functionId);
    if (!fn) {
      this.options.log.error("message for an unknown function", { jobId, functionId: message.functionId });
      return [];
    }
    const outcome = await this.locks.withJobLock(jobId, async (takeSlots) => {
      const job = await this.options.db.job.findUnique({ where: { id: jobId }, select: { workspaceId: true, status: true } });
      if (!job || isTerminalJobStatus(job.status)) return [];
      if (!(await takeSlots(this.slotsFor(fn, job.workspaceId)))) return [{ message: { ...message, wake: true }, startAfter: this.options.slotRetrySec ?? 2 }];
      return runFunction(this.runOptions, message, fn);
    });
    if (outcome.held) return outcome.result;
    // Another runner has the job. A wake-up must not be lost: it tries again shortly.
    return message.wake ? [{ message, startAfter: 2 }] : [];
  }

  /** The limits a run of fn counts against: its workspace's, and the render queue's. */
  private slotsFor(fn: AnyFunction, workspaceId: string): Slot[] {
    const slots: Slot[] = [{ key: `workspace:${workspaceId}`, limit: this.options.workspaceConcurrency ?? 2 }];
    if (fn !== this.entry) slots.push({ key: `queue:${fn.queue}`, limit: this.options.renderConcurrency ?? 1 });
    return slots;
  }
}
