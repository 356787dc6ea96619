// Accounts and migrations against the real PostgreSQL.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, describe, test } from "node:test";
import bcrypt from "bcryptjs";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";

setTestEnv({});
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;
const { getDb } = await import("../../server/db/client.ts");
const { checkCredentials, checkSignIn, createUserWithWorkspace, EmailTakenError, ensureSiteAdmin } = await import("../../server/auth/accounts.ts");
const { appendPeerAddress, parseTrustedProxies } = await import("../../server/lib/client-address.ts");
const { diffMigrationsToSchema } = await import("../../server/db/migrate.ts");
const db = getDb();
const limits = { maxFailures: 3, windowMinutes: 15 };
const root = path.resolve(import.meta.dirname, "../..");

// Sign-in over a real connection, through what scripts/web-server.ts does to each request, to
// the function Auth.js's credentials provider calls. Each test connects from its own loopback
// address (127.0.0.N), so that the per-address counts of one test do not reach the next.
let trustedProxies = parseTrustedProxies("").ranges;
const signInServer = http.createServer((req, res) => {
  appendPeerAddress(req);
  let body = "";
  req.on("data", (chunk) => {
    body += chunk;
  });
  req.on("end", async () => {
    const request = new Request(`http://aura.test${req.url}`, { method: "POST", headers: req.headers as Record<string, string>, body });
    const result = await checkSignIn(db, await request.json(), request, { ...limits, trustedProxies });
    res.end(JSON.stringify(result.ok ? { ok: true } : result));
  });
});
await new Promise<void>((resolve) => signInServer.listen(0, "127.0.0.1", resolve));
function signInOverHttp(from: string, email: string, password: string, forwardedFor?: string) {
  return new Promise<unknown>((resolve, reject) => {
    const request = http.request(
      {
        host: "127.0.0.1",
        port: (signInServer.address() as AddressInfo).port,
        method: "POST",
        path: "/api/auth/callback/credentials",
        localAddress: from,
        headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
      },
      (res) => {
        let text = "";
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () => resolve(JSON.parse(text)));
      },
    );
    request.on("error", reject);
    request.end(JSON.stringify({ email, password }));
  });
}
const recordedAddresses = async (email: string) =>
  (await db.signInAttempt.findMany({ where: { email }, select: { ip: true }, orderBy: { id: "asc" } })).map((a) => a.ip);

after(async () => {
  signInServer.close();
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

  test("a disabled account cannot sign in, and says so only to the right password", async () => {
    const { user } = await createUserWithWorkspace({ db }, { name: "Di", email: "di@example.test", password: "right-password" });
    await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
    assert.deepEqual(await checkCredentials(db, { email: "di@example.test", password: "wrong-password", ip: "x" }, limits), { ok: false, reason: "invalid" });
    assert.deepEqual(await checkCredentials(db, { email: "di@example.test", password: "right-password", ip: "x" }, limits), { ok: false, reason: "disabled" });
  });

  test("an unknown email gets a wrong password's answer after the same bcrypt work", async (t) => {
    const { user } = await createUserWithWorkspace({ db }, { name: "Ed", email: "ed@example.test", password: "right-password" });
    await db.user.create({ data: { name: "No password", email: "nopass@example.test" } });
    const compare = t.mock.method(bcrypt, "compare");
    const attempt = (email: string) => checkCredentials(db, { email, password: "guess", ip: "192.0.2.40" }, limits);
    for (const email of ["ghost@example.test", "ed@example.test", "nopass@example.test"]) {
      compare.mock.resetCalls();
      assert.deepEqual(await attempt(email), { ok: false, reason: "invalid" }, email);
      assert.equal(compare.mock.callCount(), 1, `${email}: one bcrypt comparison`);
      const hash = compare.mock.calls[0]!.arguments[1] as string;
      assert.equal(bcrypt.getRounds(hash), bcrypt.getRounds(user.passwordHash!), `${email}: at the cost of a real hash`);
    }
  });

  test("the rate limit answers alike whether or not the email has an account", async (t) => {
    await createUserWithWorkspace({ db }, { name: "Flo", email: "flo@example.test", password: "right-password" });
    const compare = t.mock.method(bcrypt, "compare");
    for (const email of ["flo@example.test", "phantom@example.test"]) {
      for (let i = 0; i < 3; i++) await checkCredentials(db, { email, password: "wrong", ip: `192.0.2.5${i}` }, limits);
      compare.mock.resetCalls();
      assert.deepEqual(await checkCredentials(db, { email, password: "right-password", ip: "192.0.2.59" }, limits), { ok: false, reason: "rate_limited" });
      assert.equal(compare.mock.callCount(), 0, `${email}: refused without looking at the password`);
    }
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

describe("sign-in client address", () => {
  test("a forged X-Forwarded-For spread over many addresses still counts against the connection's address", async () => {
    await createUserWithWorkspace({ db }, { name: "Gus", email: "gus@example.test", password: "right-password" });
    for (let i = 0; i < 12; i++) {
      assert.deepEqual(await signInOverHttp("127.0.0.10", `spray${i}@example.test`, "guess", `203.0.113.${i}`), { ok: false, reason: "invalid" });
      assert.deepEqual(await recordedAddresses(`spray${i}@example.test`), ["127.0.0.10"]);
    }
    assert.deepEqual(await signInOverHttp("127.0.0.10", "gus@example.test", "right-password", "203.0.113.200"), { ok: false, reason: "rate_limited" });
    assert.deepEqual(await signInOverHttp("127.0.0.11", "gus@example.test", "right-password"), { ok: true });
  });

  test("a forged X-Forwarded-For cannot lock out another address", async () => {
    await createUserWithWorkspace({ db }, { name: "Hal", email: "hal@example.test", password: "right-password" });
    for (let i = 0; i < 12; i++) await signInOverHttp("127.0.0.12", `frame${i}@example.test`, "guess", "127.0.0.13");
    assert.equal(await db.signInAttempt.count({ where: { ip: "127.0.0.13" } }), 0);
    assert.deepEqual(await signInOverHttp("127.0.0.13", "hal@example.test", "right-password"), { ok: true });
  });

  test("from a proxy in TRUSTED_PROXIES, the address it forwards is the client's", async (t) => {
    trustedProxies = parseTrustedProxies("127.0.0.14").ranges;
    t.after(() => {
      trustedProxies = parseTrustedProxies("").ranges;
    });
    await createUserWithWorkspace({ db }, { name: "Ivy", email: "ivy@example.test", password: "right-password" });
    // What the client wrote left of the address the proxy saw is not read.
    await signInOverHttp("127.0.0.14", "proxied@example.test", "guess", "6.6.6.6, 198.51.100.20");
    assert.deepEqual(await recordedAddresses("proxied@example.test"), ["198.51.100.20"]);
    for (let i = 0; i < 11; i++) await signInOverHttp("127.0.0.14", `proxied${i}@example.test`, "guess", "198.51.100.20");
    assert.deepEqual(await signInOverHttp("127.0.0.14", "ivy@example.test", "right-password", "198.51.100.20"), { ok: false, reason: "rate_limited" });
    assert.deepEqual(await signInOverHttp("127.0.0.14", "ivy@example.test", "right-password", "198.51.100.21"), { ok: true }, "the proxy's other clients");
    // The same header straight from a connection that is not the proxy decides nothing.
    await signInOverHttp("127.0.0.15", "direct@example.test", "guess", "198.51.100.22");
    assert.deepEqual(await recordedAddresses("direct@example.test"), ["127.0.0.15"]);
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
