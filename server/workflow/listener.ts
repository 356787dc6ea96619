// One LISTEN connection per app process wakes every SSE stream watching a job. A stream also
// re-reads on a short timer, so a dropped connection or missed notification only delays it.
import { EventEmitter } from "node:events";
import pg from "pg";
import { getEnv } from "../env.ts";
import { JOB_EVENTS_CHANNEL } from "./events.ts";

const globalForListener = globalThis as unknown as { auraJobListener?: { emitter: EventEmitter; ready: Promise<void> } };

function getListener() {
  if (globalForListener.auraJobListener) return globalForListener.auraJobListener;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const connect = async (): Promise<void> => {
    const client = new pg.Client({ connectionString: getEnv().DATABASE_URL });
    client.on("notification", (n) => n.payload && emitter.emit(n.payload));
    client.on("error", () => {
      client.end().catch(() => {});
      setTimeout(() => void connect().catch(() => {}), 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${JOB_EVENTS_CHANNEL}`);
  };
  globalForListener.auraJobListener = { emitter, ready: connect().catch(() => {}) };
  return globalForListener.auraJobListener;
}

/** Resolves when the job has new events, after `timeoutMs`, or when `signal` aborts. */
export async function waitForJobEvents(jobId: string, timeoutMs: number, signal?: AbortSignal) {
  const { emitter, ready } = getListener();
  await ready;
  if (signal?.aborted) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      emitter.off(jobId, done);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    emitter.on(jobId, done);
    signal?.addEventListener("abort", done, { once: true });
  });
}
