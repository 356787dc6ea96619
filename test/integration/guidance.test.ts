// Guidance to good output on the real database and real render workers: the admin's System page
// checks each worker with the secret (one good, one with another secret, one down); a forced
// failure reads in plain words on the video's page while the admin's job detail keeps the raw
// reason; a job made on the offline chain stores its degraded stages for the library; and the
// setup checklist's lines follow the workspace's provider settings until closed.
import assert from "node:assert/strict";
import path from "node:path";
import { after, test } from "node:test";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { freePort, startRenderWorker } from "../helpers/render-worker.ts";
import { callerFactory } from "../helpers/trpc.ts";

const downUrl = `http://127.0.0.1:${await freePort()}`;
const env = setTestEnv({});
const good = await startRenderWorker({ storageDir: env.STORAGE_DIR, secret: env.RENDER_WORKER_SECRET, tmpDir: path.join(env.dir, "render-good") });
const wrong = await startRenderWorker({ storageDir: env.STORAGE_DIR, secret: "another-secret-0123456789", tmpDir: path.join(env.dir, "render-wrong") });
process.env.RENDER_WORKER_URL = `${good.url},${wrong.url},${downUrl}`;
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb } = await import("../../server/db/client.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { markJobFailed, markJobSucceeded } = await import("../../server/workflow/lifecycle.ts");
const { closeSender } = await import("../../server/workflow/client.ts");

const db = getDb();
const as = await callerFactory(db);

after(async () => {
  await closeSender();
  await db.$disconnect();
  await Promise.all([good.stop(), wrong.stop()]);
  await database.drop();
});

const brief = briefSchema.parse({
  topic: "Guidance test",
  audience: "new users",
  tone: "informative",
  targetLengthSec: 15,
  aspectRatio: "16:9",
  voice: "en-us-male",
  visualStyle: "minimal",
  music: "none",
});

async function person(name: string, siteAdmin = false) {
  const user = await db.user.create({ data: { email: `${name}@example.test`, isSiteAdmin: siteAdmin } });
  const ws = await db.workspace.create({ data: { name: `${name} team`, slug: name, memberships: { create: { userId: user.id, role: "owner" } } } });
  return { userId: user.id, workspaceId: ws.id };
}

test("the System page checks every worker with the secret: healthy, secret refused, not reachable", { timeout: 60_000 }, async () => {
  const admin = await person("root", true);
  const health = await as(admin.userId, admin.workspaceId).admin.health();
  const byUrl = new Map(health.renderWorkers.map((w) => [w.url, w]));
  const ok = byUrl.get(good.url)!;
  assert.deepEqual([ok.ok, ok.reachable, ok.authenticated, ok.version, ok.running, ok.capacity], [true, true, true, "0.1.0", 0, 1]);
  assert.ok(ok.encoders.includes("libx264"), "the encoders that truly work");
  assert.ok(ok.lastContactAt);
  const refused = byUrl.get(wrong.url)!;
  assert.deepEqual([refused.ok, refused.reachable, refused.authenticated, refused.version], [false, true, false, null]);
  assert.match(refused.error!, /refused the secret \(HTTP 401/);
  const down = byUrl.get(downUrl)!;
  assert.deepEqual([down.ok, down.reachable, down.authenticated, down.lastContactAt], [false, false, null, null]);
  assert.equal(down.error, "ECONNREFUSED");
});

test("a forced failure: plain words on the video's page, the raw reason in the admin's job detail", async () => {
  const admin = await person("admin2", true);
  const owner = await person("failing");
  const { job, video } = await createVideo({ db, ...owner }, brief);
  const raw = "every provider failed: openai: the API key was refused (HTTP 401): Incorrect API key provided: sk-abc***; espeak-ng: could not connect: ENOENT";
  await markJobFailed(db, job.id, { stage: "narration", provider: "openai", reason: raw });
  const page = await as(owner.userId, owner.workspaceId).videos.get({ videoId: video.id });
  assert.equal(
    page.job!.error!.reason,
    "OpenAI refused the API key. No other provider could stand in. Check the OpenAI key in Settings → Providers and save it again.",
  );
  assert.doesNotMatch(JSON.stringify(page.job), /Incorrect API key|HTTP 401|ENOENT/);
  const detail = await as(admin.userId, admin.workspaceId).admin.job({ jobId: job.id });
  assert.equal(detail.errorMessage, raw, "the admin sees the raw reason");
});

test("a job that succeeds on the offline chain stores its degraded stages; the library lists them", async () => {
  const owner = await person("offline");
  const { job, video } = await createVideo({ db, ...owner }, brief);
  const step = (stepId: string, stage: string, provider: string, fallbacks: { provider: string; reason: string }[] = []) =>
    db.jobStep.create({ data: { jobId: job.id, stepId, stage, status: "succeeded", provider, output: { provider, attempts: [], fallbacks } } });
  await step("script", "script", "offline");
  await step("narration-1", "narration", "festival", [{ provider: "openai", reason: "the API key was refused (HTTP 401): Incorrect API key" }]);
  await step("visual-1", "visuals", "pexels");
  await markJobSucceeded(db, job.id);
  const caller = as(owner.userId, owner.workspaceId);
  const listed = (await caller.videos.list()).find((v) => v.id === video.id)!;
  assert.deepEqual(
    listed.degraded.map((d) => d.reason),
    ["Written by the offline writer because no script writer is connected", "Narrated by the offline voice because OpenAI refused the API key"],
  );
  assert.deepEqual((await caller.videos.get({ videoId: video.id })).degraded, listed.degraded);
  // A video whose job has not finished (or finished before degraded stages were stored) shows none.
  const other = await createVideo({ db, ...owner }, brief);
  assert.deepEqual((await caller.videos.list()).find((v) => v.id === other.video.id)!.degraded, []);
});

test("the setup checklist follows the provider settings and stays closed once a member closes it", async () => {
  const owner = await person("newcomer");
  const caller = as(owner.userId, owner.workspaceId);
  const states = async () => (await caller.providers.setup())?.lines.map((l) => [l.capability, l.state, l.href]) ?? null;
  assert.deepEqual(await states(), [
    ["script", "offline", "/settings#providers-script"],
    ["voice", "offline", "/settings#providers-voice"],
    ["visuals", "offline", "/settings#providers-visuals"],
  ]);
  const setting = (capability: string, provider: string, health: { healthStatus?: string; healthError?: string } = {}) =>
    db.providerSetting.create({ data: { workspaceId: owner.workspaceId, capability, provider, ...health } });
  await setting("script", "ollama", { healthStatus: "up" });
  await setting("voice", "elevenlabs", { healthStatus: "down", healthError: "elevenlabs: the API key was refused (HTTP 401): invalid_api_key" });
  assert.deepEqual(
    (await states())!.map((s) => s[1]),
    ["healthy", "failing", "offline"],
  );
  const voice = (await caller.providers.setup())!.lines[1]!;
  assert.match(voice.detail, /^ElevenLabs is connected but failing: ElevenLabs refused the API key\./);
  assert.doesNotMatch(voice.detail, /HTTP|invalid_api_key/);
  // All three working: the list is gone.
  await db.providerSetting.update({
    where: { workspaceId_capability_provider: { workspaceId: owner.workspaceId, capability: "voice", provider: "elevenlabs" } },
    data: { healthStatus: "up" },
  });
  await setting("visuals", "pexels");
  assert.equal(await states(), null);
  // Closed by one member: gone for them, still there for another.
  const second = await person("second");
  const other = as(second.userId, second.workspaceId);
  assert.ok(await other.providers.setup());
  await other.providers.dismissSetup();
  assert.equal(await other.providers.setup(), null);
  const colleague = await db.user.create({ data: { email: "colleague@example.test" } });
  await db.membership.create({ data: { workspaceId: second.workspaceId, userId: colleague.id, role: "editor" } });
  assert.ok(await as(colleague.id, second.workspaceId).providers.setup(), "another member still sees it");
});
