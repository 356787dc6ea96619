// Live progress for many watchers at once. One feed per job per process reads the job's new
// JobEvent rows once per wake-up (a NOTIFY through listener.ts, or the fallback timer) and
// hands them to every watcher of that job in the process, so the database work per event does
// not grow with the number of watchers. The feed keeps the job's recent events: a watcher that
// starts from an older lastEventId, or falls behind, reads from that buffer, or from the
// database once for what the buffer no longer holds, then goes on with the feed. Each
// message is built (and checked) once per event, not once per watcher. A feed is dropped when
// its last watcher leaves, and when the job has ended and its last event is read.
import { type Db, Prisma } from "../db/client.ts";
import { log } from "../lib/log.ts";
import { isTerminalJobStatus } from "./job-status.ts";
import { listenForJobEvents } from "./listener.ts";

export type JobEventRow = { id: bigint; type: string; payload: unknown; createdAt: Date };
export type FeedEvent<T> = { id: bigint; message: T };

export type JobFeedOptions<T> = {
  /** Turns a row into the message watchers get; called once per event (and once per row a
   *  lagging watcher reads from the database). */
  toMessage: (row: JobEventRow) => T;
  /** The fallback re-read, per job, for a notification that never came. */
  pollMs?: number;
  /** Recent events each feed keeps for watchers that start behind. */
  bufferSize?: number;
};

const PAGE = 500;

type Deferred = { promise: Promise<void>; resolve: () => void };
function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** The first index of `events` (sorted by id) whose id is above `cursor`. */
function firstAfter<T>(events: FeedEvent<T>[], cursor: bigint) {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.id <= cursor) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class Feed<T> {
  /** Every event of the job with an id in (bufferFrom, cursor], in id order, once `ready`. */
  events: FeedEvent<T>[] = [];
  bufferFrom = 0n;
  cursor = 0n;
  ready = false;
  /** The job has ended and its last event is read: nothing more will come. */
  ended = false;
  watchers = 0;
  private closed = false;
  private reading = false;
  private again = false;
  private advanced = deferred();
  private timer: NodeJS.Timeout | undefined;
  private stopListening: (() => void) | undefined;

  constructor(
    readonly db: Db,
    readonly jobId: string,
    private readonly options: Required<JobFeedOptions<T>>,
    private readonly onClose: (feed: Feed<T>) => void,
  ) {}

  async start() {
    const stop = await listenForJobEvents(this.jobId, () => void this.read());
    if (this.closed) return stop();
    this.stopListening = stop;
    this.timer = setInterval(() => void this.read(), this.options.pollMs);
    await this.read();
  }

  /** Resolves the next time the feed reads something or ends. */
  next() {
    return this.advanced.promise;
  }

  private async read() {
    if (this.closed) return;
    if (this.reading) {
      // Notifications that arrive during a read are answered by one more read after it.
      this.again = true;
      return;
    }
    this.reading = true;
    try {
      do {
        this.again = false;
        const { status, rows } = await this.readNewEvents();
        if (this.closed) return;
        for (const row of rows) this.events.push({ id: row.id, message: this.options.toMessage(row) });
        const more = this.ready && rows.length === PAGE;
        if (!this.ready) {
          // The first read takes the newest events: everything at or below bufferFrom is older.
          this.bufferFrom = rows.length === this.options.bufferSize ? rows[0]!.id - 1n : 0n;
          this.ready = true;
        }
        if (this.events.length) this.cursor = this.events.at(-1)!.id;
        const excess = this.events.length - this.options.bufferSize;
        if (excess > 0) this.bufferFrom = this.events.splice(0, excess).at(-1)!.id;
        if (more) this.again = true;
        // The status and the rows come from one snapshot: a job that had ended when they were
        // read has no event after them (its last event and its status are written together).
        else if (status === null || isTerminalJobStatus(status)) this.end();
        this.wake();
      } while (this.again && !this.closed);
    } catch (error) {
      // The timer tries again; the watchers wait, as they would for a slow event.
      log.warn("job feed read failed", { jobId: this.jobId, error: (error as Error).message });
    } finally {
      this.reading = false;
    }
  }

  /** The job's status and its events after the feed's cursor, in id order, in one statement;
   *  the first read takes the newest events. A job that no longer exists has no row. */
  private async readNewEvents() {
    const first = !this.ready;
    const rows = await this.db.$queryRaw<{ status: string; id: bigint | null; type: string | null; payload: unknown; createdAt: Date | null }[]>`
      SELECT j.status::text AS status, e.id, e.type, e.payload, e."createdAt"
      FROM "Job" j
      LEFT JOIN LATERAL (
        SELECT id, type, payload, "createdAt" FROM "JobEvent"
        WHERE "jobId" = j.id AND id > ${this.cursor}
        ORDER BY id ${first ? Prisma.sql`DESC` : Prisma.sql`ASC`}
        LIMIT ${first ? this.options.bufferSize : PAGE}
      ) e ON true
      WHERE j.id = ${this.jobId}
      ORDER BY e.id`;
    return { status: rows[0]?.status ?? null, rows: rows.filter((r) => r.id !== null) as JobEventRow[] };
  }

  private wake() {
    const woken = this.advanced;
    this.advanced = deferred();
    woken.resolve();
  }

  private end() {
    this.ended = true;
    this.close();
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    this.stopListening?.();
    this.onClose(this);
    this.wake();
  }
}

/** The feeds of one process. `watch` yields a job's events after `after`, each once and in id
 *  order, then follows the job live; it returns after the last event of a job that has ended,
 *  or when `signal` aborts. Every caller in a process passes the same database client. */
export function createJobFeeds<T>(options: JobFeedOptions<T>) {
  const settings = { pollMs: 2000, bufferSize: 1000, ...options };
  const feeds = new Map<string, Feed<T>>();
  const drop = (feed: Feed<T>) => {
    if (feeds.get(feed.jobId) === feed) feeds.delete(feed.jobId);
  };

  async function* watch(db: Db, jobId: string, after: bigint, signal?: AbortSignal): AsyncGenerator<FeedEvent<T>> {
    let feed = feeds.get(jobId);
    if (!feed) {
      feed = new Feed(db, jobId, settings, drop);
      feeds.set(jobId, feed);
      void feed.start();
    }
    feed.watchers++;
    // Waits for the feed's next read, or for the watcher to leave. (Not a race with one
    // long-lived abort promise: that would keep a reaction for every wait until the end.)
    let stopWaiting: (() => void) | undefined;
    const onAbort = () => stopWaiting?.();
    signal?.addEventListener("abort", onAbort, { once: true });
    const waitForFeed = (current: Feed<T>) =>
      new Promise<void>((resolve) => {
        stopWaiting = resolve;
        void current.next().then(resolve);
      });
    let cursor = after;
    try {
      while (!signal?.aborted) {
        if (!feed.ready) {
          await waitForFeed(feed);
          continue;
        }
        // Behind what the buffer holds: from the database, once per page.
        while (cursor < feed.bufferFrom && !signal?.aborted) {
          const upTo = feed.bufferFrom;
          const rows = await db.jobEvent.findMany({ where: { jobId, id: { gt: cursor, lte: upTo } }, orderBy: { id: "asc" }, take: PAGE });
          for (const row of rows) {
            cursor = row.id;
            yield { id: row.id, message: settings.toMessage(row) };
          }
          if (rows.length < PAGE) cursor = upTo;
        }
        // From the buffer; the feed may trim it while this watcher is paused at a yield.
        for (let i = firstAfter(feed.events, cursor); i < feed.events.length && cursor >= feed.bufferFrom; i = firstAfter(feed.events, cursor)) {
          const event = feed.events[i]!;
          cursor = event.id;
          yield event;
        }
        if (cursor < feed.bufferFrom) continue;
        if (feed.ended && cursor >= feed.cursor) return;
        await waitForFeed(feed);
      }
    } finally {
      signal?.removeEventListener("abort", onAbort);
      feed.watchers--;
      if (feed.watchers === 0) feed.close();
    }
  }

  return {
    watch,
    /** How many jobs have a feed in this process now. */
    activeFeeds: () => feeds.size,
  };
}
