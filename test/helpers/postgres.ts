// Test (and benchmark) databases: one embedded PostgreSQL cluster, a fresh database per
// test file, migrated with the committed migrations. TEST_DATABASE_URL uses another server.
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../server/db/embedded-postgres.ts";
import { applyMigrations } from "../../server/db/migrate.ts";

const root = path.resolve(import.meta.dirname, "../..");

export async function createTestDatabase(options: { dataDir?: string; port?: number; migrate?: boolean } = {}) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stopCluster = async () => {};
  if (!adminUrl) {
    const cluster = await startEmbeddedPostgres({
      dataDir: options.dataDir ?? path.join(root, ".data/test"),
      port: options.port ?? Number(process.env.TEST_PG_PORT ?? 54339),
      database: "postgres",
    });
    adminUrl = cluster.url;
    // The PostgreSQL child keeps this process alive until it is stopped; the next test
    // file starts the same cluster again in a fraction of a second.
    stopCluster = cluster.stop;
  }
  const name = `aura_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (options.migrate !== false)
    await applyMigrations({ url: url.toString(), migrationsDir: path.join(root, "prisma/migrations"), schemaPath: path.join(root, "prisma/schema.prisma") });
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
      await stopCluster();
    },
  };
}
