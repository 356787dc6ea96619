// Gives a script a database URL: DATABASE_URL when set, else the embedded PostgreSQL,
// started for the duration of the callback.
import path from "node:path";
import { startEmbeddedPostgres } from "../server/db/embedded-postgres.ts";

export async function withDatabase(fn: (url: string) => Promise<unknown>) {
  if (process.env.DATABASE_URL) return void (await fn(process.env.DATABASE_URL));
  const db = await startEmbeddedPostgres({
    dataDir: path.resolve(process.env.AURA_DATA_DIR ?? ".data"),
    port: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
    database: "aura",
  });
  try {
    await fn(db.url);
  } finally {
    await db.stop();
  }
}
