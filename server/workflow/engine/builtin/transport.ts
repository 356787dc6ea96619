// The built-in engine's delivery on PostgreSQL: pg-boss queues (one per workflow function, so
// renders have their own queue and concurrency apart from generation, and one per scheduled
// job on its cron), the LISTEN connection that hears cancellations, and the wait events that
// resume a parked run.
import PgBoss from "pg-boss";
import pg from "pg";
import type { Db } from "../../../db/client.ts";
import type { Logger } from "../../../lib/log.ts";
import { JOB_CANCEL_CHANNEL } from "../../events.ts";
import { deliverWaitEvent, SEND_OPTIONS, type QueueMessage } from "../../queue.ts";
import type { Schedule } from "../../schedules.ts";

/** A message a run hands on: now, or not before startAfter (a Date, or seconds from now). */
export type Outgoing = { message: QueueMessage; startAfter?: Date | number };

export class Transport {
  private readonly boss: PgBoss;
  private listener?: pg.Client;
  private readonly pollTimers: NodeJS.Timeout[] = [];

  /** queueOf names the queue of a workflow function (by its id). */
  constructor(private readonly options: { databaseUrl: string; log: Logger; queueOf: (functionId: string) => string | undefined }) {
    this.boss = new PgBoss({ connectionString: options.databaseUrl, schema: "pgboss", max: 4 });
    this.boss.on("error", (error) => options.log.error("queue error", { error: error.message }));
  }

  async start(queues: string[]) {
    await this.boss.start();
    await this.setUp(async () => {
      for (const queue of queues) await this.boss.createQueue(queue);
    });
  }

  /**
   * Creates queues and schedules one process at a time: engines that start together on one
   * database otherwise deadlock in pg-boss's queue creation (seen with two engines at once).
   */
  private async setUp(fn: () => Promise<void>) {
    const client = new pg.Client({ connectionString: this.options.databaseUrl });
    client.on("error", (error) => this.options.log.error("set-up lock connection failed", { error: error.message }));
    await client.connect();
    try {
      // A minute at most: a start stuck behind another engine's says so instead of hanging.
      await client.query("SET lock_timeout = '60s'");
      await client.query("SELECT pg_advisory_lock(hashtextextended('aura:pg-boss set-up', 0))");
      await fn();
    } finally {
      await client.end().catch(() => {});
    }
  }

  /** Takes the queue's messages one at a time in each of `workers` loops. */
  async consume(queue: string, workers: number, handle: (message: QueueMessage) => Promise<void>) {
    for (let i = 0; i < workers; i++) {
      await this.boss.work<QueueMessage>(queue, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async ([job]) => {
        if (job) await handle(job.data);
      });
    }
  }

  /** Puts a message on its function's queue. */
  async send({ message, startAfter }: Outgoing) {
    const queue = this.options.queueOf(message.functionId);
    if (!queue) throw new Error(`unknown workflow function ${message.functionId}`);
    await this.boss.send(queue, message, { ...SEND_OPTIONS, ...(startAfter ? { startAfter } : {}) });
  }

  /** Hands an event to the job step waiting for it and sends the message that resumes the run. */
  async deliverWaitEvent(db: Db, event: { name: string; data: { jobId: string } & Record<string, unknown> }) {
    const resume = await deliverWaitEvent(db, event);
    if (resume) await this.send({ message: resume });
    return resume !== null;
  }

  /** Each scheduled job on a queue of its id on its cron, or polled in this process. */
  async runSchedules(schedules: Schedule[]) {
    const { log } = this.options;
    for (const { id, cron, run, poll } of schedules) {
      if (poll) {
        this.pollTimers.push(setInterval(() => void poll.run().catch((error) => log.error(`${id} failed`, { error: (error as Error).message })), poll.everyMs));
        continue;
      }
      await this.setUp(async () => {
        await this.boss.createQueue(id);
        await this.boss.schedule(id, cron);
      });
      // pg-boss puts one job on the queue per cron tick, whichever engine's clock sends it; the
      // job's id says which tick's run this was.
      await this.boss.work(id, async ([job]) => {
        const result = await run();
        log.info(`${id} done`, { result, runId: job?.id });
      });
    }
  }

  /** Cancellation arrives by NOTIFY with the job's id; the runner polls the job row as well. */
  async listenForCancels(onCancel: (jobId: string) => void) {
    this.listener = new pg.Client({ connectionString: this.options.databaseUrl });
    this.listener.on("error", (error) => this.options.log.error("listener error", { error: error.message }));
    await this.listener.connect();
    await this.listener.query(`LISTEN ${JOB_CANCEL_CHANNEL}`);
    this.listener.on("notification", (n) => {
      if (n.payload) onCancel(n.payload);
    });
  }

  async stop() {
    for (const timer of this.pollTimers) clearInterval(timer);
    await this.boss.stop({ graceful: true, timeout: 5000 }).catch(() => {});
    await this.listener?.end().catch(() => {});
  }
}
