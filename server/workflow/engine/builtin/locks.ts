// Exclusion across the built-in engine's processes, with PostgreSQL session advisory locks: one
// per job, so a job runs in one place at a time, and numbered "slots" under a key for limits
// such as the runs of one workspace or renders at once. Locks die with their connection, so
// a crashed runner frees its job and slots at once.
import pg from "pg";

/** At most `limit` holders of `key` at once. */
export type Slot = { key: string; limit: number };

export class RunLocks {
  private readonly pool: pg.Pool;

  /** connections: how many runs may hold locks at once in this process. */
  constructor(databaseUrl: string, connections: number) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: connections });
    this.pool.on("error", () => {});
  }

  /**
   * Runs fn holding the job's lock, or answers { held: false } at once when another runner
   * holds it. fn may take slots (takeSlots answers false when one is full); every lock it
   * took is let go when it ends.
   */
  async withJobLock<T>(
    jobId: string,
    fn: (takeSlots: (slots: Slot[]) => Promise<boolean>) => Promise<T>,
  ): Promise<{ held: false } | { held: true; result: T }> {
    const client = await this.pool.connect();
    const taken: [string, number][] = [];
    try {
      const { rows } = await client.query("SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS locked", [jobId]);
      if (!rows[0].locked) return { held: false };
      try {
        const takeSlots = async (slots: Slot[]) => {
          for (const { key, limit } of slots) {
            const slot = await takeSlot(client, key, limit);
            if (slot === null) return false;
            taken.push([key, slot]);
          }
          return true;
        };
        return { held: true, result: await fn(takeSlots) };
      } finally {
        for (const [key, slot] of taken) await client.query("SELECT pg_advisory_unlock(hashtext($1), $2)", [key, slot]);
        await client.query("SELECT pg_advisory_unlock(hashtextextended($1, 0))", [jobId]);
      }
    } finally {
      client.release();
    }
  }

  async end() {
    await this.pool.end().catch(() => {});
  }
}

/** One of `limit` advisory-lock slots for key, or null when all are taken. */
async function takeSlot(client: pg.PoolClient, key: string, limit: number) {
  for (let slot = 0; slot < limit; slot++) {
    const { rows } = await client.query("SELECT pg_try_advisory_lock(hashtext($1), $2) AS locked", [key, slot]);
    if (rows[0].locked) return slot;
  }
  return null;
}
