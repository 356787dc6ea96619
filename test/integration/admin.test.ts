// The site admin console through its tRPC procedures on the real database: only site
// admins get in (others get NOT_FOUND and change nothing); every job of every workspace with
// filters, search and pages; cancel, retry, delete and bulk actions, each audited; users
// disabled (refused at once) and promoted; quotas set; retention purge; system health.
import assert from "node:assert/strict";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { callerFactory, code } from "../helpers/trpc.ts";

// Two stand-in render workers whose /health, like the real one's, answers only with the secret.
const standIn = (running: number) =>
  http.createServer((req, res) => {
    const authorised = req.headers.authorization === "Bearer render-secret-0123456789";
    res.writeHead(authorised ? 200 : 401, { "content-type": "application/json" });
    res.end(
      JSON.stringify(authorised ? { ok: true, running, capacity: 2, encoders: ["libx264", "h264_vaapi"], preferred: "h264_vaapi" } : { error: "unauthorized" }),
    );
  });
const worker = standIn(1);
const other = standIn(0);
await Promise.all([worker, other].map((w) => new Promise<void>((r) => w.listen(0, "127.0.0.1", r))));
const workerUrl = `http://127.0.0.1:${(worker.address() as AddressInfo).port}`;
const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
const env = setTestEnv({ RENDER_WORKER_URL: `${workerUrl}, ${otherUrl}` });
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb } = await import("../../server/db/client.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");

const db = getDb();
const brief = briefSchema.parse({
  topic: "Admin test",
  audience: "ops",
  tone: "serious",
  targetLengthSec: 15,
  aspectRatio: "16:9",
  voice: "en-us-male",
  visualStyle: "minimal",
  music: "none",
});
const as = await callerFactory(db);

let admin = "";
let alice = { id: "", ws: "" };
let bob = { id: "", ws: "" };
const jobs: Record<string, string> = {};

async function person(name: string, siteAdmin = false) {
  const user = await db.user.create({ data: { email: `${name}@example.test`, isSiteAdmin: siteAdmin } });
  const ws = await db.workspace.create({ data: { name: `${name} team`, slug: name, memberships: { create: { userId: user.id, role: "owner" } } } });
  return { id: user.id, ws: ws.id };
}

before(async () => {
  admin = (await person("root", true)).id;
  alice = await person("alice");
  bob = await person("bob");
  // Jobs in several states, in two workspaces.
  const make = async (who: typeof alice, name: string, data: Record<string, unknown> = {}) => {
    const { job, video } = await createVideo({ db, workspaceId: who.ws, userId: who.id }, { ...brief, topic: name });
    await db.job.update({ where: { id: job.id }, data });
    jobs[name] = job.id;
    return { job, video };
  };
  await make(alice, "queued one");
  await make(alice, "failed render", {
    status: "failed",
    errorStage: "render",
    errorProvider: "render-worker:libx264",
    errorMessage: "ffmpeg exited with 1",
    finishedAt: new Date(),
  });
  const { job, video } = await make(bob, "finished with files", { status: "succeeded", finishedAt: new Date() });
  await db.jobStep.create({ data: { jobId: job.id, stepId: "script", stage: "script", status: "succeeded", provider: "openai" } });
  const key = `workspaces/${bob.ws}/videos/${video.id}/output/${job.id}.mp4`;
  mkdirSync(path.dirname(path.join(env.STORAGE_DIR, key)), { recursive: true });
  writeFileSync(path.join(env.STORAGE_DIR, key), "mp4");
  await db.asset.create({
    data: { workspaceId: bob.ws, videoId: video.id, jobId: job.id, kind: "video", storageKey: key, sha256: "x", bytes: 3n, mimeType: "video/mp4" },
  });
  await make(bob, "running one", { status: "running", currentStage: "narration" });
});

after(async () => {
  await closeSender();
  await db.$disconnect();
  await database.drop();
  other.close();
});

describe("admin console", () => {
  test("non-admins get NOT_FOUND from every admin procedure, and nothing changes", async () => {
    const a = as(alice.id, alice.ws);
    const before = await db.job.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, cancelRequestedAt: true } });
    const calls: Promise<unknown>[] = [
      a.admin.jobs({}),
      a.admin.job({ jobId: jobs["failed render"]! }),
      a.admin.cancel({ jobId: jobs["queued one"]! }),
      a.admin.retry({ jobId: jobs["failed render"]! }),
      a.admin.delete({ jobId: jobs["finished with files"]! }),
      a.admin.bulk({ action: "cancel", jobIds: [jobs["queued one"]!] }),
      a.admin.users(),
      a.admin.setUser({ userId: alice.id, siteAdmin: true }),
      a.admin.workspaces(),
      a.admin.setQuotas({ workspaceId: alice.ws, concurrentJobs: 99 }),
      a.admin.purge(),
      a.admin.health(),
      a.admin.audit(),
    ];
    for (const call of calls) assert.equal(await code(call), "NOT_FOUND");
    assert.deepEqual(await db.job.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true, cancelRequestedAt: true } }), before);
    assert.equal((await db.user.findUniqueOrThrow({ where: { id: alice.id } })).isSiteAdmin, false);
  });

  test("every job of every workspace, filtered, searched and paged", async () => {
    const r = as(admin);
    const titles = async (filter: Parameters<typeof r.admin.jobs>[0]) => (await r.admin.jobs(filter)).jobs.map((j) => j.video.title).sort();
    assert.deepEqual(await titles({}), ["failed render", "finished with files", "queued one", "running one"]);
    assert.deepEqual(await titles({ status: "failed" }), ["failed render"]);
    assert.deepEqual(await titles({ workspaceId: bob.ws }), ["finished with files", "running one"]);
    assert.deepEqual(await titles({ userId: alice.id }), ["failed render", "queued one"]);
    assert.deepEqual(await titles({ provider: "openai" }), ["finished with files"]);
    assert.deepEqual(await titles({ stage: "narration" }), ["running one"]);
    assert.deepEqual(await titles({ stage: "render" }), ["failed render"]);
    assert.deepEqual(await titles({ search: jobs["queued one"] }), ["queued one"]);
    const correlation = (await db.job.findUniqueOrThrow({ where: { id: jobs["running one"]! } })).correlationId;
    assert.deepEqual(await titles({ search: correlation }), ["running one"]);
    assert.deepEqual(await titles({ from: new Date(Date.now() + 86400_000).toISOString().slice(0, 10) }), []);
    const first = await r.admin.jobs({ limit: 3 });
    assert.equal(first.jobs.length, 3);
    const second = await r.admin.jobs({ limit: 3, cursor: first.nextCursor! });
    assert.equal(second.jobs.length, 1);
    assert.equal(second.nextCursor, null);
    assert.equal(new Set([...first.jobs, ...second.jobs].map((j) => j.id)).size, 4);
    const detail = await r.admin.job({ jobId: jobs["failed render"]! });
    assert.equal(detail.errorMessage, "ffmpeg exited with 1");
    assert.ok(detail.events.some((e) => e.type === "job.queued"));
  });

  test("cancel, retry, delete and bulk actions work across workspaces and are audited", async () => {
    const r = as(admin);
    await r.admin.cancel({ jobId: jobs["queued one"]! });
    assert.equal((await db.job.findUniqueOrThrow({ where: { id: jobs["queued one"]! } })).status, "cancelled");
    await r.admin.retry({ jobId: jobs["failed render"]!, fromStage: "render" });
    assert.equal((await db.job.findUniqueOrThrow({ where: { id: jobs["failed render"]! } })).status, "queued");
    const audit = await db.auditLog.findMany({ where: { actorId: admin } });
    assert.deepEqual(
      audit.map((a) => [a.action, a.workspaceId]).sort(),
      [
        ["admin.job.cancelled", alice.ws],
        ["admin.job.retried", alice.ws],
      ].sort(),
    );
    assert.deepEqual(audit.find((a) => a.action === "admin.job.retried")!.data, { fromStage: "render" });

    assert.equal(await code(r.admin.delete({ jobId: jobs["running one"]! })), "BAD_REQUEST", "a running job is cancelled first");
    const file = (await db.asset.findFirstOrThrow({ where: { jobId: jobs["finished with files"]! } })).storageKey;
    await r.admin.delete({ jobId: jobs["finished with files"]! });
    assert.equal(await db.job.count({ where: { id: jobs["finished with files"]! } }), 0);
    assert.equal(existsSync(path.join(env.STORAGE_DIR, file)), false, "its files are gone");
    assert.equal(await db.video.count({ where: { title: "finished with files" } }), 0, "a video left without jobs goes too");

    const bulk = await r.admin.bulk({ action: "cancel", jobIds: [jobs["running one"]!, "no-such-job"] });
    assert.deepEqual(
      bulk.results.map((x) => [x.ok, x.error ?? null]),
      [
        [true, null],
        [false, "job not found"],
      ],
    );
    assert.ok((await db.job.findUniqueOrThrow({ where: { id: jobs["running one"]! } })).cancelRequestedAt);
  });

  test("users are disabled (and refused at once) or made admins; quotas are set; purge and health answer", async () => {
    const r = as(admin);
    assert.equal(await code(r.admin.setUser({ userId: admin, disabled: true })), "BAD_REQUEST", "not yourself");
    await r.admin.setUser({ userId: bob.id, disabled: true });
    assert.equal(await code(as(bob.id, bob.ws).videos.list()), "UNAUTHORIZED");
    await r.admin.setUser({ userId: bob.id, disabled: false });
    assert.equal(await code(as(bob.id, bob.ws).videos.list()), "OK");
    await r.admin.setUser({ userId: alice.id, siteAdmin: true });
    assert.equal(await code(as(alice.id).admin.jobs({})), "OK");
    assert.ok((await r.admin.users({ search: "alice" })).every((u) => u.email.startsWith("alice")));

    await r.admin.setQuotas({ workspaceId: bob.ws, videosPerDay: 1 });
    assert.equal(await code(as(bob.id, bob.ws).videos.create(brief)), "TOO_MANY_REQUESTS");
    const listed = (await r.admin.workspaces()).find((w) => w.id === bob.ws)!;
    assert.equal(listed.limits.videosPerDay, 1);
    assert.equal(await code(r.admin.setQuotas({ workspaceId: bob.ws, videosPerDay: -1 })), "BAD_REQUEST");

    const purged = await r.admin.purge();
    assert.equal(purged.retentionDays, 30);
    const health = await r.admin.health();
    // Every worker, asked with the secret: its load, its encoders, when it last answered.
    assert.deepEqual(
      health.renderWorkers.map((w) => [w.url, w.ok, w.running, w.capacity, w.preferred, w.encoders.join(" ")]),
      [
        [workerUrl, true, 1, 2, "h264_vaapi", "libx264 h264_vaapi"],
        [otherUrl, true, 0, 2, "h264_vaapi", "libx264 h264_vaapi"],
      ],
    );
    assert.deepEqual([health.storage.kind, health.storage.ok, health.storage.error], ["local", true, null]);
    const seen = health.renderWorkers[0]!.lastContactAt!;
    assert.ok(Date.now() - seen.getTime() < 10_000);
    await new Promise((r) => worker.close(r));
    const later = (await r.admin.health()).renderWorkers;
    assert.deepEqual(
      later.map((w) => [w.ok, w.running]),
      [
        [false, null],
        [true, 0],
      ],
      "an unreachable worker is reported, not thrown",
    );
    assert.equal(later[0]!.error, "ECONNREFUSED");
    assert.equal(later[0]!.lastContactAt?.getTime(), seen.getTime(), "and it shows when it last answered");
    assert.ok(health.jobs.cancelled! >= 1);
    const actions = (await r.admin.audit()).map((e) => e.action);
    for (const a of ["admin.user.updated", "admin.quotas.updated", "admin.purged", "admin.job.deleted"]) assert.ok(actions.includes(a), a);
  });
});
