// The built-in engine's queue: its name and how a job is put on it. Kept apart from the
// engine so that the web app can enqueue without loading the pipeline.
import type PgBoss from "pg-boss";

export const QUEUE = "video-generate";

export async function sendToQueue(boss: PgBoss, jobId: string) {
  await boss.send(QUEUE, { jobId }, { retryLimit: 3, retryDelay: 10, expireInSeconds: 2 * 3600 });
}
