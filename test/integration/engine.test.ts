// The built-in engine's step semantics against the real PostgreSQL, with small workflows of
// our own: retries with backoff, permanent failures naming stage/provider/reason, and
// memoized steps when a job runs again.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";

setTestEnv({});
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;
const { getDb } = await import("../../server/db/client.ts");
const { BuiltinEngine, backoffDelay } = await import("../../server/workflow/engine/builtin.ts");
const { NonRetriableError } = await import("../../server/workflow/engine/errors.ts");
const { createLogger } = await import("../../server/lib/log.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
type WorkflowContext = import("../../server/workflow/types.ts").WorkflowContext;

const db = getDb();
let workspaceId = "";
let userId = "";
const brief = briefSchema.parse({ topic: "Engine test", audience: "tests", tone: "serious", targetLengthSec: 15, aspectRatio: "16:9", voice: "en-us-male", visualStyle: "minimal" });

before(async () => {
  const user = await db.user.create({ data: { email: "engine@example.test" } });
  const ws = await db.workspace.create({ data: { name: "E", slug: "e", memberships: { create: { userId: user.id, role: "owner" } } } });
  workspaceId = ws.id;
  userId = user.id;
});
after(async () => {
  await db.$disconnect();
  await database.drop();
});

function engineFor(handler: (ctx: WorkflowContext) => Promise<unknown>, maxAttempts = 3) {
  const functions = [{ id: "test-workflow", event: "test/run", queue: "test-workflow", handler }];
  return new BuiltinEngine({ db, databaseUrl: database.url, functions, log: createLogger({}), concurrency: 1, maxAttempts, backoffMs: 20 });
}

class ProviderError extends Error {
  provider = "espeak-ng";
}

describe("built-in engine", () => {
  test("a flaky step is retried with backoff until it succeeds", async () => {
    let calls = 0;
    const engine = engineFor(async ({ step }) => {
      await step.run("script", async () => ({ sceneCount: 1 }));
      await step.run("narration-1", async () => {
        calls++;
        if (calls < 3) throw new ProviderError("device busy");
        return { ok: true, provider: "espeak-ng" };
      });
    });
    const { job } = await createVideo(db, { workspaceId, userId, brief });
    await engine.runJob(job.id);
    const done = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true } });
    assert.equal(done.status, "succeeded");
    const step = done.steps.find((s) => s.stepId === "narration-1")!;
    assert.deepEqual([step.status, step.attempts, step.provider, step.error], ["succeeded", 3, "espeak-ng", null]);
    const retries = await db.jobEvent.findMany({ where: { jobId: job.id, type: "step.retrying" } });
    assert.deepEqual(retries.map((r) => (r.payload as { attempt: number }).attempt), [1, 2]);
    await engine.stop();
  });

  test("a step failing every attempt fails the job, naming the stage, the provider and the reason", async () => {
    let calls = 0;
    const engine = engineFor(async ({ step }) => {
      await step.run("script", async () => ({ sceneCount: 1 }));
      await step.run("narration-1", async () => {
        calls++;
        throw new ProviderError("voice en-xx not found");
      });
      await step.run("timeline", async () => assert.fail("a later step must not run"));
    });
    const { video, job } = await createVideo(db, { workspaceId, userId, brief });
    await engine.runJob(job.id);
    assert.equal(calls, 3);
    const failed = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    assert.deepEqual([failed.status, failed.errorStage, failed.errorProvider, failed.errorMessage], ["failed", "narration", "espeak-ng", "voice en-xx not found"]);
    assert.equal((await db.video.findUniqueOrThrow({ where: { id: video.id } })).status, "failed");
    const last = await db.jobEvent.findFirstOrThrow({ where: { jobId: job.id }, orderBy: { id: "desc" } });
    assert.equal(last.type, "job.failed");
    assert.deepEqual((last.payload as { error: unknown }).error, { stage: "narration", provider: "espeak-ng", reason: "voice en-xx not found" });
    await engine.stop();
  });

  test("a non-retriable error fails at once; running the job again re-runs only what did not succeed", async () => {
    let scriptRuns = 0;
    let fail = true;
    const engine = engineFor(async ({ step }) => {
      await step.run("script", async () => (scriptRuns++, { sceneCount: 1 }));
      await step.run("visual-1", async () => {
        if (fail) throw new NonRetriableError("image too large");
        return { key: "v.png" };
      });
    });
    const { job } = await createVideo(db, { workspaceId, userId, brief });
    await engine.runJob(job.id);
    const failed = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true } });
    assert.equal(failed.status, "failed");
    assert.equal(failed.steps.find((s) => s.stepId === "visual-1")!.attempts, 1);
    fail = false;
    await db.job.update({ where: { id: job.id }, data: { status: "queued" } });
    await engine.runJob(job.id);
    const done = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    assert.equal(done.status, "succeeded");
    assert.equal(scriptRuns, 1, "the script step ran once across both runs");
    await engine.stop();
  });

  test("backoff grows exponentially, with jitter within ±25 %", () => {
    assert.equal(backoffDelay(1, 1000, () => 0.5), 1000);
    assert.equal(backoffDelay(3, 1000, () => 0.5), 4000);
    assert.equal(backoffDelay(3, 1000, () => 0), 3000);
    assert.equal(backoffDelay(3, 1000, () => 1), 5000);
    assert.equal(backoffDelay(20, 1000, () => 0.5), 60000);
  });
});
