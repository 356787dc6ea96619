// The built-in engine's step semantics against the real PostgreSQL, with small workflows of
// our own: retries with backoff, permanent failures naming stage/provider/reason, and
// memoized steps when a job runs again.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";

setTestEnv({});
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;
const { getDb } = await import("../../server/db/client.ts");
const { BuiltinEngine } = await import("../../server/workflow/engine/builtin.ts");
const { backoffDelay } = await import("../../server/workflow/engine/builtin/step-tools.ts");
const { NonRetriableError, JobExpiredError } = await import("../../server/workflow/engine/errors.ts");
const { createLogger } = await import("../../server/lib/log.ts");
const { createVideo, retryJob, cancelJob } = await import("../../server/videos/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
type WorkflowContext = import("../../server/workflow/types.ts").WorkflowContext;

const db = getDb();
let workspaceId = "";
let userId = "";
const brief = briefSchema.parse({
  topic: "Engine test",
  audience: "tests",
  tone: "serious",
  targetLengthSec: 15,
  aspectRatio: "16:9",
  voice: "en-us-male",
  visualStyle: "minimal",
});

before(async () => {
  ({ userId, workspaceId } = await createOwner(db, "engine"));
});
after(async () => {
  await db.$disconnect();
  await database.drop();
});

type Handler = (ctx: WorkflowContext) => Promise<unknown>;
type Extra = Partial<ConstructorParameters<typeof BuiltinEngine>[0]>;

// The entry function has the real workflow's id and queue, so the app's own client
// (retryJob → requestVideoGeneration) reaches it.
function engineFor(handler: Handler, maxAttempts = 3, extra: Extra = {}) {
  const functions = [{ id: "video-generate", event: "test/run", queue: "video-generate", handler }, ...(extra.functions ?? [])];
  return new BuiltinEngine({
    db,
    databaseUrl: database.url,
    log: createLogger({}),
    concurrency: 1,
    maxAttempts,
    backoffMs: 20,
    slotRetrySec: 1,
    ...extra,
    functions,
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForStatus(jobId: string, statuses: string[], timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, include: { steps: true } });
    if (statuses.includes(job.status)) return job;
    if (Date.now() > deadline) assert.fail(`job ${jobId} is ${job.status}, expected ${statuses.join("/")}`);
    await sleep(50);
  }
}

/** Counts how many bodies run at once. */
function concurrencyProbe() {
  let now = 0;
  const probe = {
    max: 0,
    async during<T>(ms: number, value: T) {
      now++;
      probe.max = Math.max(probe.max, now);
      await sleep(ms);
      now--;
      return value;
    },
  };
  return probe;
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
    const { job } = await createVideo({ db, workspaceId, userId }, brief);
    await engine.runJob(job.id);
    const done = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true } });
    assert.equal(done.status, "succeeded");
    const step = done.steps.find((s) => s.stepId === "narration-1")!;
    assert.deepEqual([step.status, step.attempts, step.provider, step.error], ["succeeded", 3, "espeak-ng", null]);
    const retries = await db.jobEvent.findMany({ where: { jobId: job.id, type: "step.retrying" } });
    assert.deepEqual(
      retries.map((r) => (r.payload as { attempt: number }).attempt),
      [1, 2],
    );
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
    const { video, job } = await createVideo({ db, workspaceId, userId }, brief);
    await engine.runJob(job.id);
    assert.equal(calls, 3);
    const failed = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    assert.deepEqual(
      [failed.status, failed.errorStage, failed.errorProvider, failed.errorMessage],
      ["failed", "narration", "espeak-ng", "voice en-xx not found"],
    );
    assert.equal((await db.video.findUniqueOrThrow({ where: { id: video.id } })).status, "failed");
    const last = await db.jobEvent.findFirstOrThrow({ where: { jobId: job.id }, orderBy: { id: "desc" } });
    assert.equal(last.type, "job.failed");
    assert.deepEqual((last.payload as { error: unknown }).error, { stage: "narration", provider: "espeak-ng", reason: "voice en-xx not found" });
    await engine.stop();
  });

  test("a non-retriable error fails at once; a retry re-runs only what did not succeed", async () => {
    let scriptRuns = 0;
    let fail = true;
    const engine = engineFor(async ({ step }) => {
      await step.run("script", async () => {
        scriptRuns++;
        return { sceneCount: 1 };
      });
      await step.run("visual-1", async () => {
        if (fail) throw new NonRetriableError("image too large");
        return { key: "v.png" };
      });
    });
    const { job } = await createVideo({ db, workspaceId, userId }, brief);
    await engine.runJob(job.id);
    const failed = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true } });
    assert.equal(failed.status, "failed");
    assert.equal(failed.steps.find((s) => s.stepId === "visual-1")!.attempts, 1);
    fail = false;
    const retried = await retryJob({ db, workspaceId }, job.id);
    assert.deepEqual(retried, { status: "queued", redoneSteps: 1 });
    await engine.runJob(job.id);
    const done = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true } });
    assert.equal(done.status, "succeeded");
    assert.equal(scriptRuns, 1, "the script step ran once across both runs");
    assert.equal(done.steps.find((s) => s.stepId === "script")!.attempts, 1);
    const attempts = await db.jobStepAttempt.findMany({ where: { jobId: job.id, stepId: "visual-1" }, orderBy: { attempt: "asc" } });
    assert.deepEqual(
      attempts.map((a) => [a.attempt, a.status, a.error]),
      [
        [1, "failed", "image too large"],
        [1, "succeeded", null],
      ],
    );
    // Retrying a job that has not ended is refused, naming why.
    await assert.rejects(retryJob({ db, workspaceId }, job.id), /only a failed, cancelled or expired job can be retried; this one is succeeded/);
    // Retry from a stage: that stage and every later one run again, earlier ones do not.
    await db.job.update({ where: { id: job.id }, data: { status: "failed" } });
    assert.equal((await retryJob({ db, workspaceId }, job.id, "visuals")).redoneSteps, 1);
    await engine.runJob(job.id);
    assert.equal(scriptRuns, 1);
    assert.equal((await db.jobStep.findFirstOrThrow({ where: { jobId: job.id, stepId: "visual-1" } })).status, "succeeded");
    await engine.stop();
  });

  test("waitForEvent parks the job without a worker and wakes it when the event arrives", async () => {
    let scriptRuns = 0;
    const engine = engineFor(async ({ event, step }) => {
      await step.run("script", async () => {
        scriptRuns++;
        return { sceneCount: 1 };
      });
      const reviewed = await step.waitForEvent<{ note: string }>("script-review", { event: "test/reviewed", timeoutMs: 60_000, jobId: event.data.jobId });
      await step.run("timeline", async () => ({ note: reviewed?.data.note ?? null }));
    });
    await engine.start();
    try {
      const { video, job } = await createVideo({ db, workspaceId, userId }, brief);
      await engine.enqueue(job.id);
      const waiting = await waitForStatus(job.id, ["waiting"]);
      assert.equal(waiting.waitingFor, "test/reviewed");
      assert.equal((await db.video.findUniqueOrThrow({ where: { id: video.id } })).status, "review");
      await sleep(300);
      assert.deepEqual(engine.activeJobIds, [], "a waiting job holds no worker");
      assert.equal(await engine.deliver({ name: "test/other", data: { jobId: job.id } }), false, "another event does not wake it");
      assert.equal(await engine.deliver({ name: "test/reviewed", data: { jobId: job.id, note: "looks good" } }), true);
      const done = await waitForStatus(job.id, ["succeeded", "failed"]);
      assert.equal(done.status, "succeeded");
      assert.deepEqual(done.steps.find((s) => s.stepId === "timeline")!.output, { note: "looks good" });
      assert.equal(scriptRuns, 1);
      const types = (await db.jobEvent.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" } })).map((e) => e.type);
      assert.ok(types.indexOf("job.waiting") < types.indexOf("job.resumed"));
    } finally {
      await engine.stop();
    }
  });

  test("a wait that times out returns null: the review gate expires the job cleanly", async () => {
    const engine = engineFor(async ({ event, step }) => {
      await step.run("script", async () => ({ sceneCount: 1 }));
      const reviewed = await step.waitForEvent("script-review", { event: "test/reviewed", timeoutMs: 400, jobId: event.data.jobId });
      if (!reviewed) throw new JobExpiredError("the script was not reviewed within 0.4 s");
      await step.run("timeline", async () => assert.fail("must not run"));
    });
    await engine.start();
    try {
      const { video, job } = await createVideo({ db, workspaceId, userId }, brief);
      await engine.enqueue(job.id);
      const expired = await waitForStatus(job.id, ["expired", "failed", "succeeded"]);
      assert.equal(expired.status, "expired");
      assert.equal(expired.errorMessage, "the script was not reviewed within 0.4 s");
      assert.equal((await db.video.findUniqueOrThrow({ where: { id: video.id } })).status, "expired");
      // An event after the deadline finds nothing waiting.
      assert.equal(await engine.deliver({ name: "test/reviewed", data: { jobId: job.id } }), false);
    } finally {
      await engine.stop();
    }
  });

  test("step.sleep parks the run and resumes it after the duration", async () => {
    const engine = engineFor(async ({ step }) => {
      const before = await step.run("script", async () => Date.now());
      await step.sleep("script-review", 600);
      await step.run("timeline", async () => ({ sleptMs: Date.now() - before }));
    });
    await engine.start();
    try {
      const { job } = await createVideo({ db, workspaceId, userId }, brief);
      await engine.enqueue(job.id);
      assert.equal((await waitForStatus(job.id, ["waiting"])).waitingFor, "sleep");
      const done = await waitForStatus(job.id, ["succeeded", "failed"]);
      assert.equal(done.status, "succeeded");
      assert.ok((done.steps.find((s) => s.stepId === "timeline")!.output as { sleptMs: number }).sleptMs >= 600);
    } finally {
      await engine.stop();
    }
  });

  test("cancelling a waiting job ends it at once", async () => {
    const engine = engineFor(async ({ event, step }) => {
      await step.run("script", async () => ({ sceneCount: 1 }));
      await step.waitForEvent("script-review", { event: "test/reviewed", timeoutMs: 60_000, jobId: event.data.jobId });
    });
    await engine.start();
    try {
      const { job } = await createVideo({ db, workspaceId, userId }, brief);
      await engine.enqueue(job.id);
      await waitForStatus(job.id, ["waiting"]);
      assert.deepEqual(await cancelJob({ db, workspaceId }, job.id), { status: "cancelled", changed: true });
      const cancelled = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true } });
      assert.equal(cancelled.status, "cancelled");
      assert.equal(cancelled.steps.find((s) => s.stepId === "script-review")!.status, "cancelled");
      assert.equal(await engine.deliver({ name: "test/reviewed", data: { jobId: job.id } }), false);
    } finally {
      await engine.stop();
    }
  });

  test("parallel steps run concurrently, bounded by the step limit", async () => {
    const probe = concurrencyProbe();
    const engine = engineFor(
      async ({ step }) => {
        await step.run("script", async () => ({ sceneCount: 4 }));
        await Promise.all([1, 2, 3, 4].map((i) => step.run(`narration-${i}`, () => probe.during(250, { i }))));
      },
      3,
      { stepConcurrency: 2 },
    );
    const { job } = await createVideo({ db, workspaceId, userId }, brief);
    const started = performance.now();
    await engine.runJob(job.id);
    const elapsed = performance.now() - started;
    assert.equal((await db.job.findUniqueOrThrow({ where: { id: job.id } })).status, "succeeded");
    assert.equal(probe.max, 2);
    assert.ok(elapsed < 4 * 250, `4 steps of 250 ms took ${Math.round(elapsed)} ms: they did not overlap`);
    await engine.stop();
  });

  test("concurrency: one workspace's runs are limited, other workspaces are not; renders have their own limit", async () => {
    const runs = concurrencyProbe();
    const renders = concurrencyProbe();
    const perWorkspace = new Map<string, number>();
    let maxPerWorkspace = 0;
    const render = {
      id: "test-render",
      event: "test/render",
      queue: "test-render",
      handler: async ({ step }: WorkflowContext) => step.run("encode", () => renders.during(300, { provider: "test" })),
    };
    const engine = engineFor(
      async ({ event, step }) => {
        const ws = event.data.workspaceId;
        await step.run("script", async () => {
          perWorkspace.set(ws, (perWorkspace.get(ws) ?? 0) + 1);
          maxPerWorkspace = Math.max(maxPerWorkspace, perWorkspace.get(ws)!);
          await runs.during(300, null);
          perWorkspace.set(ws, perWorkspace.get(ws)! - 1);
          return { sceneCount: 1 };
        });
        await step.invoke("render", { function: render, data: event.data });
      },
      3,
      { concurrency: 3, workspaceConcurrency: 1, renderConcurrency: 1, functions: [render] },
    );
    const other = await db.workspace.create({ data: { name: "O", slug: "o-conc", memberships: { create: { userId, role: "owner" } } } });
    await engine.start();
    try {
      const jobs = [
        (await createVideo({ db, workspaceId, userId }, brief)).job,
        (await createVideo({ db, workspaceId, userId }, brief)).job,
        (await createVideo({ db, workspaceId: other.id, userId }, brief)).job,
      ];
      for (const job of jobs) await engine.enqueue(job.id);
      for (const job of jobs) assert.equal((await waitForStatus(job.id, ["succeeded", "failed"], 60_000)).status, "succeeded");
      assert.equal(maxPerWorkspace, 1, "a workspace never ran two jobs at once");
      assert.equal(runs.max, 2, "two workspaces ran side by side");
      assert.equal(renders.max, 1, "renders ran one at a time");
    } finally {
      await engine.stop();
    }
  });

  test("events carry ids: sending the same one twice queues one run; a retry's run is a new one", async () => {
    const { requestVideoGeneration, closeSender } = await import("../../server/workflow/client.ts");
    const { job } = await createVideo({ db, workspaceId, userId }, brief);
    const queued = async () =>
      (await db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'video-generate' AND data->>'jobId' = ${job.id}`)[0]!.n;
    try {
      await requestVideoGeneration(job);
      await requestVideoGeneration(job);
      assert.equal(await queued(), 1);
      await requestVideoGeneration(job, 1);
      assert.equal(await queued(), 2);
    } finally {
      await closeSender();
    }
  });

  test("backoff grows exponentially, with jitter within ±25 %", () => {
    assert.equal(
      backoffDelay(1, 1000, () => 0.5),
      1000,
    );
    assert.equal(
      backoffDelay(3, 1000, () => 0.5),
      4000,
    );
    assert.equal(
      backoffDelay(3, 1000, () => 0),
      3000,
    );
    assert.equal(
      backoffDelay(3, 1000, () => 1),
      5000,
    );
    assert.equal(
      backoffDelay(20, 1000, () => 0.5),
      60000,
    );
  });
});
