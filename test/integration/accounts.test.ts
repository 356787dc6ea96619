// Accounts and migrations against the real PostgreSQL.
import assert from "node:assert/strict";
import path from "node:path";
import { after, describe, test } from "node:test";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";

setTestEnv({});
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;
const { getDb } = await import("../../server/db/client.ts");
const { checkCredentials, createUserWithWorkspace, EmailTakenError, ensureSiteAdmin } = await import("../../server/auth/accounts.ts");
const { diffMigrationsToSchema } = await import("../../server/db/migrate.ts");
const db = getDb();
const limits = { maxFailures: 3, windowMinutes: 15 };
const root = path.resolve(import.meta.dirname, "../..");

after(async () => {
  await db.$disconnect();
  await database.drop();
});

describe("accounts", () => {
  test("sign-up stores a bcrypt hash and creates a personal workspace owned by the user", async () => {
    const { user, workspace } = await createUserWithWorkspace({ db }, { name: "Ada", email: "ada@example.test", password: "analytical-engine" });
    assert.match(user.passwordHash!, /^\$2[aby]\$11\$/);
    assert.equal(workspace.personal, true);
    const membership = await db.membership.findFirstOrThrow({ where: { userId: user.id } });
    assert.deepEqual([membership.workspaceId, membership.role], [workspace.id, "owner"]);
    await assert.rejects(createUserWithWorkspace({ db }, { name: "Ada 2", email: "ada@example.test", password: "another-password" }), EmailTakenError);
    assert.equal(await db.user.count({ where: { email: "ada@example.test" } }), 1);
  });

  test("failures are limited per email; a success resets the count", async () => {
    await createUserWithWorkspace({ db }, { name: "Bo", email: "bo@example.test", password: "right-password" });
    const attempt = (password: string, ip = "10.0.0.1") => checkCredentials(db, { email: "bo@example.test", password, ip }, limits);
    assert.deepEqual(await attempt("wrong"), { ok: false, reason: "invalid" });
    assert.deepEqual(await attempt("wrong"), { ok: false, reason: "invalid" });
    assert.equal((await attempt("right-password")).ok, true);
    for (let i = 0; i < 3; i++) assert.deepEqual(await attempt("wrong"), { ok: false, reason: "invalid" });
    assert.deepEqual(await attempt("right-password"), { ok: false, reason: "rate_limited" });
    assert.deepEqual(await attempt("right-password", "10.9.9.9"), { ok: false, reason: "rate_limited" }, "another address does not lift the email's limit");
  });

  test("failures are limited per client address across emails (4× the email limit)", async () => {
    for (let i = 0; i < 12; i++) await checkCredentials(db, { email: `nobody${i}@example.test`, password: "x", ip: "192.0.2.7" }, limits);
    await createUserWithWorkspace({ db }, { name: "Cy", email: "cy@example.test", password: "right-password" });
    assert.deepEqual(await checkCredentials(db, { email: "cy@example.test", password: "right-password", ip: "192.0.2.7" }, limits), {
      ok: false,
      reason: "rate_limited",
    });
    assert.equal((await checkCredentials(db, { email: "cy@example.test", password: "right-password", ip: "192.0.2.8" }, limits)).ok, true);
  });

  test("a disabled account cannot sign in", async () => {
    const { user } = await createUserWithWorkspace({ db }, { name: "Di", email: "di@example.test", password: "right-password" });
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    assert.deepEqual(await checkCredentials(db, { email: "di@example.test", password: "right-password", ip: "x" }, limits), { ok: false, reason: "disabled" });
  });

  test("the site admin is created from the environment once, or an existing user is promoted", async () => {
    const id = await ensureSiteAdmin(db, "Root@Example.test", "admin-password");
    assert.equal(await ensureSiteAdmin(db, "root@example.test", "ignored-now"), id);
    const admin = await db.user.findUniqueOrThrow({ where: { email: "root@example.test" } });
    assert.equal(admin.isSiteAdmin, true);
    await ensureSiteAdmin(db, "ada@example.test", undefined);
    assert.equal((await db.user.findUniqueOrThrow({ where: { email: "ada@example.test" } })).isSiteAdmin, true);
    await assert.rejects(ensureSiteAdmin(db, "new@example.test", "short"), /AURA_ADMIN_PASSWORD/);
  });
});

describe("migrations", () => {
  test("the committed migrations produce exactly the Prisma schema", async () => {
    const sql = await diffMigrationsToSchema({
      url: database.url,
      migrationsDir: path.join(root, "prisma/migrations"),
      schemaPath: path.join(root, "prisma/schema.prisma"),
    });
    assert.equal(sql, "");
  });
});
