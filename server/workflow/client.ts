// How the app hands work to the workflow engine. With Inngest configured it sends events to
// Inngest; otherwise it puts messages on the built-in engine's PostgreSQL queue. Every
// event carries an id, so a duplicate send runs nothing twice.
import { createHash } from "node:crypto";
import PgBoss from "pg-boss";
import { getDb } from "../db/client.ts";
import { getEnv } from "../env.ts";
import {
  deliverWaitEvent,
  GENERATE_QUEUE,
  generateMessage,
  SCRIPT_REVIEWED_EVENT,
  sendGenerate,
  VIDEO_CANCELLED_EVENT,
  VIDEO_GENERATE_EVENT,
} from "./queue.ts";

const globalForBoss = globalThis as unknown as { auraBoss?: Promise<PgBoss> };

function getSender() {
  globalForBoss.auraBoss ??= (async () => {
    const boss = new PgBoss({ connectionString: getEnv().DATABASE_URL, schema: "pgboss", max: 2, supervise: false, schedule: false });
    boss.on("error", () => {});
    await boss.start();
    await boss.createQueue(GENERATE_QUEUE);
    return boss;
  })();
  return globalForBoss.auraBoss;
}

/** A UUID derived from an event id: pg-boss ignores a second message with the same id. */
export function messageIdFor(eventId: string) {
  const h = createHash("sha256").update(eventId).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function sendToInngest(event: { id: string; name: string; data: Record<string, unknown> }) {
  const { inngest } = await import("./inngest/client.ts");
  await inngest.send(event);
}

/** Starts (or, for a retried job, restarts) a job's workflow. `run` numbers the job's runs. */
export async function requestVideoGeneration(job: { id: string; workspaceId: string }, run = 0) {
  const id = `generate:${job.id}:${run}`;
  if (getEnv().engine === "inngest") return sendToInngest({ id, name: VIDEO_GENERATE_EVENT, data: { jobId: job.id, workspaceId: job.workspaceId } });
  const boss = await getSender();
  await sendGenerate(boss, generateMessage(job.id, job.workspaceId), { id: messageIdFor(id) });
}

/** The reviewer approved the (edited) script: the waiting workflow goes on. */
export async function sendScriptReviewed(job: { id: string; workspaceId: string }) {
  const event = { id: `reviewed:${job.id}`, name: SCRIPT_REVIEWED_EVENT, data: { jobId: job.id, workspaceId: job.workspaceId } };
  if (getEnv().engine === "inngest") return sendToInngest(event);
  const resume = await deliverWaitEvent(getDb(), event);
  if (resume) await sendGenerate(await getSender(), resume);
}

/** Cancels through Inngest's cancelOn (the built-in engine hears the NOTIFY instead). */
export async function sendCancelled(job: { id: string; workspaceId: string }) {
  if (getEnv().engine === "inngest")
    await sendToInngest({ id: `cancel:${job.id}`, name: VIDEO_CANCELLED_EVENT, data: { jobId: job.id, workspaceId: job.workspaceId } });
}

/** Stops the queue sender (scripts and tests that end their process). */
export async function closeSender() {
  const boss = await globalForBoss.auraBoss;
  globalForBoss.auraBoss = undefined;
  await boss?.stop({ graceful: false, wait: true }).catch(() => {});
}
