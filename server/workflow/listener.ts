// One LISTEN connection per app process tells each job's feed (job-feed.ts) that the job has
// new events. A feed also re-reads on a short timer, so a dropped connection or a missed
// notification only delays it.
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

/** Calls `onEvents` each time the job's events are notified; resolves, once this process is
 *  listening, to the function that stops it. */
export async function listenForJobEvents(jobId: string, onEvents: () => void) {
  const { emitter, ready } = getListener();
  emitter.on(jobId, onEvents);
  await ready;
  return () => void emitter.off(jobId, onEvents);
}
