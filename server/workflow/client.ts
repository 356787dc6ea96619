// How the app asks for work: it sends the job to the engine's queue. (With Inngest, this is
// where the "video/generate.requested" event would be sent instead.)
import PgBoss from "pg-boss";
import { getEnv } from "../env.ts";
import { QUEUE, sendToQueue } from "./queue.ts";

const globalForBoss = globalThis as unknown as { auraBoss?: Promise<PgBoss> };

function getSender() {
  globalForBoss.auraBoss ??= (async () => {
    const boss = new PgBoss({ connectionString: getEnv().DATABASE_URL, schema: "pgboss", max: 2, supervise: false, schedule: false });
    boss.on("error", () => {});
    await boss.start();
    await boss.createQueue(QUEUE);
    return boss;
  })();
  return globalForBoss.auraBoss;
}

export async function requestVideoGeneration(jobId: string) {
  await sendToQueue(await getSender(), jobId);
}
