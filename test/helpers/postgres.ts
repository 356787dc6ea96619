// Test databases: one embedded PostgreSQL cluster for the test run, a fresh database per
// test file, migrated with the committed migrations.
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "../../server/db/embedded-postgres.ts";
import { applyMigrations } from "../../server/db/migrate.ts";

const root = path.resolve(import.meta.dirname, "../..");

export async function createTestDatabase() {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stopCluster = async () => {};
  if (!adminUrl) {
    const cluster = await startEmbeddedPostgres({
      dataDir: path.join(root, ".data/test"),
      port: Number(process.env.TEST_PG_PORT ?? 54339),
      database: "postgres",
    });
    adminUrl = cluster.url;
    // The cluster is shared by test files running one after another; leave it running.
    stopCluster = async () => {};
  }
  const name = `aura_test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
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
