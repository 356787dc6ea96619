// The REST API and webhooks on the real database: keys (missing, wrong, revoked, lacking a
// scope), a key of workspace A never reaching workspace B, create/status/list/cancel/
// download, the OpenAPI document, and webhooks delivered to a local receiver with a valid
// HMAC signature, retried after a 500, and given up after the last attempt.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";
import { callerFactory } from "../helpers/trpc.ts";

const env = setTestEnv({ PROVIDER_PRIVATE_HOSTS: "127.0.0.1:*,localhost:*", WEBHOOK_PRIVATE_HOSTS: "127.0.0.1:*" });
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb } = await import("../../server/db/client.ts");
const rest = await import("../../server/api/rest/videos.ts");
const { openApiDocument } = await import("../../server/api/rest/openapi.ts");
const { deliverDueWebhooks } = await import("../../server/webhooks/service.ts");
const { markJobSucceeded, markJobFailed } = await import("../../server/workflow/lifecycle.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const { runScriptStep } = await import("../../server/pipeline/script/step.ts");

const db = getDb();
const brief = {
  topic: "Automated video",
  audience: "robots",
  tone: "serious",
  targetLengthSec: 15,
  aspectRatio: "16:9",
  voice: "en-us-male",
  visualStyle: "minimal",
  music: "none",
};
const as = await callerFactory(db);
const call = (
  handler: (r: Request, route?: { params: Promise<{ id: string }> }) => Promise<Response>,
  url: string,
  init: RequestInit & { key?: string } = {},
  id?: string,
) =>
  handler(
    new Request(`http://aura.test${url}`, {
      ...init,
      headers: { ...(init.key ? { authorization: `Bearer ${init.key}` } : {}), ...(init.body ? { "content-type": "application/json" } : {}) },
    }),
    id ? { params: Promise.resolve({ id }) } : undefined,
  );

let a = { userId: "", workspaceId: "" };
let b = { userId: "", workspaceId: "" };
let keyA = "";
let readOnlyA = "";
let keyB = "";

type Received = { headers: http.IncomingHttpHeaders; body: string };
const received: Received[] = [];
let failNext = 0;
let receiver: http.Server;
let receiverUrl = "";

before(async () => {
  a = await createOwner(db, "rest-a");
  b = await createOwner(db, "rest-b");
  keyA = (await as(a.userId, a.workspaceId).automation.createApiKey({ name: "full", scopes: ["videos:read", "videos:write"] })).key;
  readOnlyA = (await as(a.userId, a.workspaceId).automation.createApiKey({ name: "reader", scopes: ["videos:read"] })).key;
  keyB = (await as(b.userId, b.workspaceId).automation.createApiKey({ name: "b", scopes: ["videos:read", "videos:write"] })).key;
  receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      if (failNext > 0) {
        failNext--;
        res.writeHead(500).end("try later");
      } else res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});

after(async () => {
  receiver.close();
  await closeSender();
  await db.$disconnect();
  await database.drop();
});

describe("REST API", () => {
  test("keys: missing, malformed, wrong, revoked and unscoped keys are refused", async () => {
    assert.equal((await call(rest.listVideosRoute, "/api/v1/videos")).status, 401);
    assert.equal((await call(rest.listVideosRoute, "/api/v1/videos", { key: "not-a-key" })).status, 401);
    assert.equal((await call(rest.listVideosRoute, "/api/v1/videos", { key: `${keyA.slice(0, -3)}xyz` })).status, 401);
    const created = await as(a.userId, a.workspaceId).automation.createApiKey({ name: "temp", scopes: ["videos:read"] });
    assert.equal((await call(rest.listVideosRoute, "/api/v1/videos", { key: created.key })).status, 200);
    await as(a.userId, a.workspaceId).automation.revokeApiKey({ keyId: created.id });
    assert.equal((await call(rest.listVideosRoute, "/api/v1/videos", { key: created.key })).status, 401, "a revoked key is refused");
    const noScope = await call(rest.createVideoRoute, "/api/v1/videos", { method: "POST", key: readOnlyA, body: JSON.stringify(brief) });
    assert.equal(noScope.status, 403);
    assert.match((await noScope.json()).error, /lacks the videos:write scope/);
    const keys = await db.apiKey.findMany({ where: { workspaceId: a.workspaceId } });
    assert.ok(
      keys.every((k) => !k.hash.includes(keyA) && k.hash.length === 64),
      "only hashes are stored",
    );
  });

  test("a key's last use is written once a minute, not on every request", async () => {
    const created = await as(a.userId, a.workspaceId).automation.createApiKey({ name: "busy", scopes: ["videos:read"] });
    const lastUsed = async () => (await db.apiKey.findUniqueOrThrow({ where: { id: created.id } })).lastUsedAt;
    assert.equal(await lastUsed(), null);
    assert.equal((await call(rest.listVideosRoute, "/api/v1/videos", { key: created.key })).status, 200);
    const first = await lastUsed();
    assert.ok(first, "the first use is written");
    for (let i = 0; i < 3; i++) assert.equal((await call(rest.listVideosRoute, "/api/v1/videos", { key: created.key })).status, 200);
    assert.equal((await lastUsed())?.getTime(), first.getTime(), "uses within the minute write nothing");
    await db.apiKey.update({ where: { id: created.id }, data: { lastUsedAt: new Date(Date.now() - 61_000) } });
    assert.equal((await call(rest.listVideosRoute, "/api/v1/videos", { key: created.key })).status, 200);
    assert.ok((await lastUsed())!.getTime() > Date.now() - 5_000, "a use a minute later is written");
  });

  test("create, status, list, cancel and download; another workspace's key gets 404", async () => {
    const bad = await call(rest.createVideoRoute, "/api/v1/videos", { method: "POST", key: keyA, body: JSON.stringify({ ...brief, targetLengthSec: 5 }) });
    assert.equal(bad.status, 400);
    assert.equal((await bad.json()).fields.targetLengthSec, "Target length must be at least 15 seconds");
    assert.equal((await call(rest.createVideoRoute, "/api/v1/videos", { method: "POST", key: keyA, body: "{not json" })).status, 400);

    const created = await call(rest.createVideoRoute, "/api/v1/videos", { method: "POST", key: keyA, body: JSON.stringify(brief) });
    assert.equal(created.status, 201);
    const video = (await created.json()) as { id: string; status: string; job: { id: string; status: string } };
    assert.equal(created.headers.get("location"), `/api/v1/videos/${video.id}`);
    assert.deepEqual([video.status, video.job.status], ["queued", "queued"]);

    assert.equal((await call(rest.getVideoRoute, `/api/v1/videos/${video.id}`, { key: keyB }, video.id)).status, 404, "workspace B's key cannot see A's video");
    assert.equal((await call(rest.cancelVideoRoute, `/api/v1/videos/${video.id}/cancel`, { method: "POST", key: keyB }, video.id)).status, 404);
    assert.equal((await db.job.findUniqueOrThrow({ where: { id: video.job.id } })).cancelRequestedAt, null, "and changed nothing");
    assert.equal(((await (await call(rest.listVideosRoute, "/api/v1/videos", { key: keyB })).json()) as { videos: unknown[] }).videos.length, 0);

    const status = (await (await call(rest.getVideoRoute, `/api/v1/videos/${video.id}`, { key: readOnlyA }, video.id)).json()) as {
      title: string;
      links: { download: string | null };
      chapters: unknown[];
    };
    assert.equal(status.title, "Automated video");
    assert.equal(status.links.download, null);
    assert.deepEqual(status.chapters, [], "no chapters before the video is made");
    const list = (await (await call(rest.listVideosRoute, "/api/v1/videos?q=automated", { key: readOnlyA })).json()) as { videos: { id: string }[] };
    assert.deepEqual(
      list.videos.map((v) => v.id),
      [video.id],
    );
    assert.equal((await call(rest.downloadVideoRoute, `/api/v1/videos/${video.id}/download`, { key: keyA }, video.id)).status, 404, "not ready yet");

    const cancelled = await call(rest.cancelVideoRoute, `/api/v1/videos/${video.id}/cancel`, { method: "POST", key: keyA }, video.id);
    assert.equal(cancelled.status, 200);
    assert.equal(((await cancelled.json()) as { status: string }).status, "cancelled");

    // A ready video downloads, with Range support.
    const key = `workspaces/${a.workspaceId}/videos/${video.id}/output/api.mp4`;
    mkdirSync(path.dirname(path.join(env.STORAGE_DIR, key)), { recursive: true });
    writeFileSync(path.join(env.STORAGE_DIR, key), Buffer.alloc(1000, 7));
    const asset = await db.asset.create({
      data: { workspaceId: a.workspaceId, videoId: video.id, kind: "video", storageKey: key, sha256: "x", bytes: 1000n, mimeType: "video/mp4" },
    });
    await db.video.update({ where: { id: video.id }, data: { outputAssetId: asset.id, status: "ready" } });
    const download = await rest.downloadVideoRoute(
      new Request(`http://aura.test/api/v1/videos/${video.id}/download`, { headers: { authorization: `Bearer ${keyA}`, range: "bytes=0-99" } }),
      { params: Promise.resolve({ id: video.id }) },
    );
    assert.equal(download.status, 206);
    assert.equal((await download.arrayBuffer()).byteLength, 100);
    assert.match(download.headers.get("content-disposition") ?? "", /Automated video\.mp4/);

    // The chapters of the timeline the video's job rendered, one per scene.
    const timelineKey = `workspaces/${a.workspaceId}/videos/${video.id}/timeline/api.json`;
    const scene = (title: string) => ({ image: "in/a.png", narration: null, duration: 2, motion: { kind: "none", strength: 0 }, title });
    const spec = {
      version: 1,
      width: 320,
      height: 240,
      fps: 30,
      scenes: [scene("Opening"), scene("Middle"), scene("End")],
      transition: { kind: "crossfade", duration: 0.5 },
      captions: { enabled: false, cues: [] },
      music: null,
      chapters: true,
      loudness: { integratedLufs: -16, truePeakDb: -1.5 },
      output: { video: "o/v.mp4", poster: "o/p.jpg" },
    };
    mkdirSync(path.dirname(path.join(env.STORAGE_DIR, timelineKey)), { recursive: true });
    writeFileSync(path.join(env.STORAGE_DIR, timelineKey), JSON.stringify(spec));
    await db.jobStep.create({ data: { jobId: video.job.id, stepId: "timeline", stage: "timeline", status: "succeeded", output: { key: timelineKey } } });
    await db.job.update({ where: { id: video.job.id }, data: { status: "succeeded" } });
    await db.asset.update({ where: { id: asset.id }, data: { jobId: video.job.id } });
    const ready = (await (await call(rest.getVideoRoute, `/api/v1/videos/${video.id}`, { key: readOnlyA }, video.id)).json()) as { chapters: unknown[] };
    assert.deepEqual(ready.chapters, [
      { title: "Opening", startMs: 0, endMs: 1500 },
      { title: "Middle", startMs: 1500, endMs: 3000 },
      { title: "End", startMs: 3000, endMs: 5000 },
    ]);
  });

  test("hostile texts: a 400 naming the field, or a video whose text was normalised; never a 500", async () => {
    const post = (body: string) => call(rest.createVideoRoute, "/api/v1/videos", { method: "POST", key: keyA, body });
    const json = JSON.stringify(brief);
    // Escapes in the JSON text itself, as a client would send them.
    for (const [body, field] of [
      [json.replace('"Automated video"', '"Automated\\u0000video"'), "topic"],
      [json.replace('"robots"', '"robots \\ud83d"'), "audience"],
      [json.replace('"music":"none"', '"music":"none","watermark":{"text":"\\udc00 mark"}'), "watermark.text"],
      [json.replace('"music":"none"', '"music":"none","x\\u0000":1'), "x\u0000"],
    ] as const) {
      const res = await post(body);
      assert.equal(res.status, 400, body);
      const answer = (await res.json()) as { error: string; fields?: Record<string, string> };
      assert.ok(answer.error.startsWith(`${field}: `) || answer.fields?.[field], JSON.stringify(answer));
    }
    const mended = await post(JSON.stringify({ ...brief, topic: "Tides\u0007 and {moons}\r\nrise", audience: "sailors\u001b[31m" }));
    assert.equal(mended.status, 201);
    const { id } = (await mended.json()) as { id: string };
    const stored = (await db.video.findUniqueOrThrow({ where: { id } })).brief as { topic: string; audience: string };
    assert.deepEqual([stored.topic, stored.audience], ["Tides and {moons}\nrise", "sailors[31m"]);
    // An id with a NUL is refused before it reaches the database.
    assert.equal((await call(rest.getVideoRoute, "/api/v1/videos/x%00", { key: keyA }, "x\u0000")).status, 400);
    // The same rule for every tRPC procedure: a workspace or key name with a NUL or half a surrogate pair.
    await assert.rejects(
      as(a.userId, a.workspaceId).workspaces.rename({ name: "Team\u0000" }),
      (e: Error) => /^name: /.test(e.message) || /NUL/.test(e.message),
    );
    await assert.rejects(
      as(a.userId, a.workspaceId).automation.createApiKey({ name: "key \ud800", scopes: ["videos:read"] }),
      (e: { code?: string; message: string }) => e.code === "BAD_REQUEST" && /^name: /.test(e.message),
    );
  });

  test("a key acts only while its creator may make keys in its workspace: demoted, disabled or removed, the key is refused", async () => {
    const admin = await db.user.create({ data: { email: "rest-key-admin@example.test" } });
    const member = await db.membership.create({ data: { workspaceId: a.workspaceId, userId: admin.id, role: "admin" } });
    const key = (await as(admin.id, a.workspaceId).automation.createApiKey({ name: "admin's", scopes: ["videos:read", "videos:write"] })).key;
    const list = () => call(rest.listVideosRoute, "/api/v1/videos", { key });
    const refusal = async () => {
      const res = await list();
      return { status: res.status, error: ((await res.json()) as { error: string }).error };
    };
    assert.equal((await list()).status, 200);

    await db.membership.update({ where: { id: member.id }, data: { role: "editor" } });
    assert.deepEqual(await refusal(), { status: 403, error: "This API key's creator (now editor) may no longer make API keys: make a new key" });
    const create = await call(rest.createVideoRoute, "/api/v1/videos", { key, method: "POST", body: JSON.stringify(brief) });
    assert.equal(create.status, 403, "nor create a video");
    await db.membership.update({ where: { id: member.id }, data: { role: "admin" } });
    assert.equal((await list()).status, 200, "restored, the same key works again");

    await db.user.update({ where: { id: admin.id }, data: { disabledAt: new Date() } });
    assert.deepEqual(await refusal(), { status: 403, error: "This API key's creator has been disabled: make a new key" });
    await db.user.update({ where: { id: admin.id }, data: { disabledAt: null } });
    assert.equal((await list()).status, 200);

    await db.membership.delete({ where: { id: member.id } });
    assert.deepEqual(await refusal(), { status: 403, error: "This API key's creator is no longer a member of its workspace: make a new key" });
    const download = await call(rest.downloadVideoRoute, "/api/v1/videos/x/download", { key }, "x");
    assert.equal(download.status, 403, "nor download");
  });

  test("a brief too thin for its length: the offline writer plans a shorter video, and GET /videos/{id} says why", async () => {
    const thin = { ...brief, topic: "Lighthouses", targetLengthSec: 120 };
    const created = await call(rest.createVideoRoute, "/api/v1/videos", { method: "POST", key: keyA, body: JSON.stringify(thin) });
    const video = (await created.json()) as { id: string; job: { id: string }; shortened: unknown };
    assert.equal(video.shortened, null, "nothing to say before the script is written");
    const step = await runScriptStep(video.job.id);
    assert.equal(step.writer, "offline");
    const status = (await (await call(rest.getVideoRoute, `/api/v1/videos/${video.id}`, { key: readOnlyA }, video.id)).json()) as {
      shortened: { targetSec: number; plannedSec: number; reason: string; notice: string } | null;
      scenes: unknown[];
    };
    assert.ok(status.shortened, "the REST answer carries the notice");
    assert.equal(status.shortened.targetSec, 120);
    assert.ok(status.shortened.plannedSec > 0 && status.shortened.plannedSec < 60, `about ${status.shortened.plannedSec} s planned`);
    assert.equal(
      status.shortened.notice,
      `This video is about ${status.shortened.plannedSec} s, not the 120 s asked for: the brief gave enough material for about ${status.shortened.plannedSec} s. Add more detail or documents to make it longer.`,
    );
    assert.equal(status.scenes.length, 3, "hook, one scene of its own, close: not padded to the 13 scenes of 120 s");
    const doc = openApiDocument();
    const videoSchema = doc.components.schemas.Video as { properties: Record<string, unknown> };
    assert.ok(videoSchema.properties.shortened, "the OpenAPI document describes it");
  });

  test("the OpenAPI document describes every route and the brief from its own schema", () => {
    const doc = openApiDocument();
    assert.equal(doc.openapi, "3.1.0");
    assert.deepEqual(Object.keys(doc.paths).sort(), [
      "/brand-kit",
      "/brand-kit/font",
      "/library",
      "/library/{id}",
      "/library/{id}/file",
      "/library/{id}/thumbnail",
      "/usage",
      "/videos",
      "/videos/{id}",
      "/videos/{id}/cancel",
      "/videos/{id}/download",
      "/videos/{id}/preview/{file}",
    ]);
    const briefSchema = doc.components.schemas.Brief as { properties: Record<string, { minimum?: number; enum?: string[] }>; required: string[] };
    assert.equal(briefSchema.properties.targetLengthSec!.minimum, 15);
    assert.ok(briefSchema.required.includes("topic"));
    assert.deepEqual(briefSchema.properties.captionsMode!.enum, ["burned", "track", "both"], "captions burned in, as a track, or both");
  });
});

describe("webhooks", () => {
  test("a private or link-local URL is refused when it is not allowed", async () => {
    const owner = as(a.userId, a.workspaceId);
    await assert.rejects(
      owner.automation.createWebhook({ url: "http://169.254.169.254/latest", events: ["video.succeeded"] }),
      /url: 169\.254\.169\.254 is a link-local/,
    );
    await assert.rejects(owner.automation.createWebhook({ url: "ftp://example.com/x", events: ["video.succeeded"] }), /url: only http and https/);
    // Webhooks have their own allow-list: a private host the providers may reach is not enough.
    await assert.rejects(
      owner.automation.createWebhook({ url: "http://localhost:4321/hook", events: ["video.succeeded"] }),
      /url: localhost:4321 is a private address; allow it with WEBHOOK_PRIVATE_HOSTS/,
    );
  });

  test("delivered with a valid signature, retried after a 500, given up after the last attempt", async () => {
    const hook = await as(a.userId, a.workspaceId).automation.createWebhook({ url: receiverUrl, events: ["video.succeeded", "video.failed"] });
    assert.match(hook.secret, /^whsec_/);
    const video = await db.video.create({ data: { workspaceId: a.workspaceId, createdById: a.userId, title: "Hooked", brief, status: "processing" } });
    const job = await db.job.create({ data: { workspaceId: a.workspaceId, videoId: video.id, correlationId: `c-${video.id}`, status: "running" } });
    failNext = 1;
    await markJobSucceeded(db, job.id);
    // The first try happens at once (and fails with 500); wait for it.
    for (let i = 0; i < 50 && !received.length; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 100));
    let delivery = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id } });
    assert.deepEqual([delivery.status, delivery.attempts, delivery.lastStatus, delivery.lastError], ["pending", 1, 500, "HTTP 500"]);
    assert.ok(delivery.nextAttemptAt.getTime() > Date.now() + 3000, "the retry waits for the backoff");
    await deliverDueWebhooks(db, { now: new Date(Date.now() + 10_000) });
    delivery = await db.webhookDelivery.findFirstOrThrow({ where: { id: delivery.id } });
    assert.deepEqual([delivery.status, delivery.attempts], ["delivered", 2]);

    const last = received.at(-1)!;
    assert.equal(last.headers["aura-event"], "video.succeeded");
    assert.equal(last.headers["aura-delivery"], delivery.id);
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(last.headers["aura-signature"]))!;
    assert.equal(v1, createHmac("sha256", hook.secret).update(`${t}.${last.body}`).digest("hex"), "the signature verifies with the secret");
    const body = JSON.parse(last.body) as { event: string; data: { videoId: string; status: string } };
    assert.deepEqual([body.event, body.data.videoId, body.data.status], ["video.succeeded", video.id, "ready"]);

    // A failure event whose receiver keeps failing is given up after the last backoff step.
    const job2 = await db.job.create({ data: { workspaceId: a.workspaceId, videoId: video.id, correlationId: `c2-${video.id}`, status: "running" } });
    failNext = 100;
    await markJobFailed(db, job2.id, { stage: "render", provider: "render-worker", reason: "boom" });
    let failing = await db.webhookDelivery.findFirstOrThrow({ where: { webhookId: hook.id, event: "video.failed" } });
    // The first try is sent at once, in the background: wait for it, or a sender below would
    // race it for the same attempt (on a busy machine it had not finished yet).
    for (let i = 0; i < 100 && failing.attempts === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      failing = await db.webhookDelivery.findFirstOrThrow({ where: { id: failing.id } });
    }
    for (let i = 0; i < 8 && failing.status === "pending"; i++) {
      await deliverDueWebhooks(db, { now: new Date(Date.now() + 2 * 3600_000) });
      failing = await db.webhookDelivery.findFirstOrThrow({ where: { id: failing.id } });
    }
    assert.deepEqual([failing.status, failing.attempts], ["failed", 6]);
    failNext = 0;
    const log = await as(a.userId, a.workspaceId).automation.webhooks();
    assert.deepEqual(log.deliveries.map((d) => d.status).sort(), ["delivered", "failed"]);
    assert.equal((await as(b.userId, b.workspaceId).automation.webhooks()).deliveries.length, 0, "another workspace sees none");
  });
});
