// The Inngest functions, run by @inngest/test's engine with real step execution against the
// real PostgreSQL, festival and resvg. What that tool does not model (retries, cancelOn,
// concurrency, onFailure) is checked through the functions' configuration and by calling
// the handlers that Inngest would call. Two limits of @inngest/test 1.0.0 with inngest 4.24
// (see DESIGN.md): after parallel steps it delivers later steps several times at once
// (which the adapter's step lock must absorb: every step runs once), and a mocked
// step.waitForEvent result fails the SDK's event validation, so the review gate's
// semantics are tested through the adapter's handler with plain step tools.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { InngestTestEngine } from "@inngest/test";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";

setTestEnv({ STEP_MAX_ATTEMPTS: "4", WORKSPACE_CONCURRENCY: "3", RENDER_CONCURRENCY: "2" });
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;
const { getDb } = await import("../../server/db/client.ts");
const { generateFunction, renderFunction, cancelledFunction } = await import("../../server/workflow/inngest/registrations.ts");
const { onWorkflowFailure, runRecordedStep, handlerFor, closeStepLocks } = await import("../../server/workflow/inngest/adapter.ts");
const { videoGenerateFunction } = await import("../../server/workflow/video-generate.ts");
const { RetryAfterError, NonRetriableError } = await import("../../server/workflow/engine/errors.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const inngestErrors = await import("inngest");

const db = getDb();
let workspaceId = "";
let userId = "";
const briefOf = (extra: object = {}) =>
  briefSchema.parse({
    topic: "Bees. They dance to share directions. They keep the hive warm.",
    audience: "kids",
    tone: "playful",
    targetLengthSec: 15,
    aspectRatio: "1:1",
    voice: "en-us-female",
    visualStyle: "warm",
    ...extra,
  });

before(async () => {
  ({ userId, workspaceId } = await createOwner(db, "inngest"));
});
after(async () => {
  await closeStepLocks();
  await db.$disconnect();
  await database.drop();
});

const renderResult = { videoAssetId: "asset-1", posterAssetId: "asset-2", durationSec: 12.5, renderSec: 3, provider: "render-worker:libx264" };

function generateEvent(jobId: string) {
  return { name: "video/generate.requested", data: { jobId, workspaceId } } as const;
}

describe("Inngest functions", () => {
  test("/api/inngest says Inngest is not configured when Aura runs its built-in engine (not a 500)", async () => {
    const { serveInngest, INNGEST_NOT_CONFIGURED } = await import("../../server/workflow/inngest/serve.ts");
    const { GET, PUT, POST } = serveInngest();
    for (const [handler, method] of [
      [GET, "GET"],
      [PUT, "PUT"],
      [POST, "POST"],
    ] as const) {
      const res = await handler(new Request("http://aura.test/api/inngest", { method }) as never, undefined as never);
      assert.equal(res.status, 503, method);
      assert.deepEqual(await res.json(), { error: INNGEST_NOT_CONFIGURED });
    }
  });

  test("configuration: triggers, retries, cancelOn by job id, concurrency per workspace and for renders, onFailure", () => {
    const generate = generateFunction.opts as unknown as Record<string, unknown>;
    assert.equal(generateFunction.id(), "video-generate");
    assert.deepEqual(generate.triggers, [{ event: "video/generate.requested" }]);
    assert.equal(generate.retries, 3, "STEP_MAX_ATTEMPTS=4 means 3 retries");
    assert.deepEqual(generate.concurrency, [{ key: "event.data.workspaceId", limit: 3 }]);
    assert.deepEqual(generate.cancelOn, [{ event: "video/generate.cancelled", if: "async.data.jobId == event.data.jobId" }]);
    assert.equal(generate.onFailure, onWorkflowFailure);
    const render = renderFunction.opts as unknown as Record<string, unknown>;
    assert.equal(renderFunction.id(), "video-render");
    assert.deepEqual(render.triggers, [{ event: "video/render.requested" }]);
    assert.deepEqual(render.concurrency, [{ limit: 2 }]);
    assert.deepEqual(render.cancelOn, generate.cancelOn);
  });

  test("a run executes the steps in order with stable ids, invokes the render function, and records every step", async () => {
    const { video, job } = await createVideo({ db, workspaceId, userId }, briefOf());
    const t = new InngestTestEngine({ function: generateFunction, events: [generateEvent(job.id)], steps: [{ id: "render", handler: () => renderResult }] });
    const { result, ctx, error } = await t.execute();
    assert.equal(error, undefined, String(error));
    assert.deepEqual(result, { videoAssetId: "asset-1", durationSec: 12.5 });

    const steps = await db.jobStep.findMany({ where: { jobId: job.id } });
    const sceneCount = (steps.find((s) => s.stepId === "script")!.output as { sceneCount: number }).sceneCount;
    const scenes = Array.from({ length: sceneCount }, (_, i) => i + 1);
    const runIds = (ctx.step.run as unknown as { mock: { calls: [string][] } }).mock.calls.map((c) => c[0]);
    assert.deepEqual(runIds, ["script", ...scenes.map((i) => `narration-${i}`), ...scenes.map((i) => `visual-${i}`), "timeline", "finish"]);
    const invoke = (ctx.step.invoke as unknown as { mock: { calls: [string, { function: unknown; data: Record<string, unknown> }][] } }).mock.calls;
    assert.equal(invoke.length, 1);
    assert.equal(invoke[0]![0], "render");
    assert.equal(invoke[0]![1].function, renderFunction);
    assert.match(String(invoke[0]![1].data.timelineKey), new RegExp(`^workspaces/${workspaceId}/videos/${video.id}/timeline/`));

    // Every step ran exactly once, though the test engine delivered some several times.
    for (const s of steps) assert.deepEqual([s.status, s.attempts], ["succeeded", 1], s.stepId);
    assert.equal(steps.find((s) => s.stepId === "narration-1")!.provider, "festival");
    const done = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    assert.equal(done.status, "succeeded");
    assert.equal(
      await db.jobStepAttempt.count({ where: { jobId: job.id } }),
      steps.reduce((a, s) => a + s.attempts, 0),
    );
  });

  test("a step that succeeded for the job is not run again by a later run (retry from a stage)", async () => {
    // Checked on the adapter's step wrapper itself: @inngest/test can deliver a later run's
    // steps from its own memory, which would hide what the wrapper does.
    const { job } = await createVideo({ db, workspaceId, userId }, briefOf());
    const signal = new AbortController().signal;
    let runs = 0;
    const body = async () => {
      runs++;
      return { key: "t.json", provider: "test" };
    };
    assert.deepEqual(await runRecordedStep(job.id, "timeline", body, 0, signal), { key: "t.json", provider: "test" });
    // A later run (a new Inngest run after a retry) finds the checkpoint: the body does not run.
    assert.deepEqual(await runRecordedStep(job.id, "timeline", body, 0, signal), { key: "t.json", provider: "test" });
    assert.equal(runs, 1);
    // Reset by a retry from this stage: it runs again, and its history keeps both attempts.
    await db.jobStep.updateMany({ where: { jobId: job.id, stepId: "timeline" }, data: { status: "pending", attempts: 0 } });
    await runRecordedStep(job.id, "timeline", body, 0, signal);
    assert.equal(runs, 2);
    assert.equal(await db.jobStepAttempt.count({ where: { jobId: job.id, stepId: "timeline", status: "succeeded" } }), 2);
    // Two deliveries of the same step at once: the step lock lets one run, the other reads its result.
    await db.jobStep.updateMany({ where: { jobId: job.id, stepId: "timeline" }, data: { status: "pending", attempts: 0 } });
    const slow = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 200));
      return { key: "t2.json" };
    };
    const both = await Promise.all([runRecordedStep(job.id, "timeline", slow, 0, signal), runRecordedStep(job.id, "timeline", slow, 0, signal)]);
    assert.deepEqual(both, [{ key: "t2.json" }, { key: "t2.json" }]);
    assert.equal(runs, 3);
  });

  test("the review gate registers a wait for this job's reviewed event", async () => {
    const { job } = await createVideo({ db, workspaceId, userId }, briefOf({ reviewScript: true }));
    const t = new InngestTestEngine({ function: generateFunction, events: [generateEvent(job.id)] });
    const { ctx } = await t.executeStep("script-review");
    const wait = (ctx.step.waitForEvent as unknown as { mock: { calls: [string, Record<string, unknown>][] } }).mock.calls[0]!;
    assert.equal(wait[0], "script-review");
    assert.deepEqual(wait[1], { event: "video/script.reviewed", timeout: 72 * 3600_000, if: `async.data.jobId == "${job.id}"` });
    const waiting = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { video: true } });
    assert.deepEqual([waiting.status, waiting.waitingFor, waiting.video.status], ["waiting", "video/script.reviewed", "review"]);
  });

  /** Plain step tools with Inngest's meaning, for what @inngest/test cannot mock. */
  function plainSteps(reviewed: unknown) {
    return {
      run: async (_id: string, fn: () => unknown) => fn(),
      waitForEvent: async () => reviewed,
      invoke: async () => renderResult,
      sleep: async () => {},
    };
  }
  const handler = handlerFor(videoGenerateFunction, { entry: true });

  test("no review in time expires the job; an approved review continues it", async () => {
    const first = await createVideo({ db, workspaceId, userId }, briefOf({ reviewScript: true }));
    assert.deepEqual(await handler({ event: generateEvent(first.job.id), step: plainSteps(null), attempt: 0 }), { expired: true });
    const expired = await db.job.findUniqueOrThrow({ where: { id: first.job.id }, include: { video: true } });
    assert.deepEqual([expired.status, expired.video.status], ["expired", "expired"]);
    assert.match(expired.errorMessage ?? "", /not reviewed within 72 hours/);

    const second = await createVideo({ db, workspaceId, userId }, briefOf({ reviewScript: true }));
    const event = { name: "video/script.reviewed", data: { jobId: second.job.id, workspaceId } };
    assert.deepEqual(await handler({ event: generateEvent(second.job.id), step: plainSteps(event), attempt: 0 }), {
      videoAssetId: "asset-1",
      durationSec: 12.5,
    });
    assert.equal((await db.job.findUniqueOrThrow({ where: { id: second.job.id } })).status, "succeeded");
  });

  test("invalid event data fails without retries, naming the field", async () => {
    const t = new InngestTestEngine({ function: renderFunction, events: [{ name: "video/render.requested", data: { jobId: "x" } }] });
    const { error } = await t.execute();
    assert.match((error as { message: string }).message, /job x not found/);
    const { job } = await createVideo({ db, workspaceId, userId }, briefOf());
    const bad = new InngestTestEngine({ function: renderFunction, events: [{ name: "video/render.requested", data: { jobId: job.id, workspaceId } }] });
    const { error: badError } = await bad.execute();
    assert.match(String((badError as Error).message), /invalid video\/render.requested event: timelineKey/);
  });

  test("errors map to Inngest's: rate limits retry after the provider's delay, permanent ones do not retry", async () => {
    const { job } = await createVideo({ db, workspaceId, userId }, briefOf());
    const signal = new AbortController().signal;
    await assert.rejects(
      runRecordedStep(
        job.id,
        "narration-1",
        async () => {
          throw new RetryAfterError("429 Too Many Requests", 7000, "openai");
        },
        0,
        signal,
      ),
      (e: unknown) => e instanceof inngestErrors.RetryAfterError && e.retryAfter === "7",
    );
    await assert.rejects(
      runRecordedStep(
        job.id,
        "narration-2",
        async () => {
          throw new NonRetriableError("invalid API key");
        },
        0,
        signal,
      ),
      (e: unknown) => e instanceof inngestErrors.NonRetriableError && e.message === "invalid API key",
    );
    await assert.rejects(
      runRecordedStep(
        job.id,
        "narration-3",
        async () => {
          throw new Error("503 from provider");
        },
        0,
        signal,
      ),
      (e: unknown) => !(e instanceof inngestErrors.NonRetriableError) && (e as Error).message === "503 from provider",
    );
    // The last allowed attempt is final: Inngest must not retry it, and the step is failed.
    await assert.rejects(
      runRecordedStep(
        job.id,
        "narration-3",
        async () => {
          throw new Error("503 again");
        },
        3,
        signal,
      ),
      (e: unknown) => e instanceof inngestErrors.NonRetriableError,
    );
    const step = await db.jobStep.findFirstOrThrow({ where: { jobId: job.id, stepId: "narration-3" } });
    assert.deepEqual([step.status, step.attempts, step.error], ["failed", 2, "503 again"]);
  });

  test("onFailure fails the job naming the failed step's stage, provider and reason; a cancelled job ends cancelled", async () => {
    const { job } = await createVideo({ db, workspaceId, userId }, briefOf());
    await db.jobStep.create({
      data: {
        jobId: job.id,
        stepId: "visual-2",
        stage: "visuals",
        status: "failed",
        attempts: 4,
        provider: "pexels",
        error: "HTTP 500",
        finishedAt: new Date(),
      },
    });
    await onWorkflowFailure({ event: { data: { event: { data: { jobId: job.id } } } }, error: new Error("HTTP 500") });
    const failed = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    assert.deepEqual([failed.status, failed.errorStage, failed.errorProvider, failed.errorMessage], ["failed", "visuals", "pexels", "HTTP 500"]);

    const second = await createVideo({ db, workspaceId, userId }, briefOf());
    await db.job.update({ where: { id: second.job.id }, data: { status: "running", cancelRequestedAt: new Date() } });
    await onWorkflowFailure({ event: { data: { event: { data: { jobId: second.job.id } } } }, error: new Error("the job was cancelled") });
    assert.equal((await db.job.findUniqueOrThrow({ where: { id: second.job.id } })).status, "cancelled");
  });

  test("a run cancelled by cancelOn marks its job cancelled", async () => {
    const { job } = await createVideo({ db, workspaceId, userId }, briefOf());
    await db.job.update({ where: { id: job.id }, data: { status: "running" } });
    const t = new InngestTestEngine({
      function: cancelledFunction,
      events: [{ name: "inngest/function.cancelled", data: { function_id: "aura-video-generate", run_id: "r1", event: generateEvent(job.id) } }],
    });
    const { result } = await t.execute();
    assert.deepEqual(result, { jobId: job.id });
    const cancelled = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { video: true } });
    assert.deepEqual([cancelled.status, cancelled.video.status], ["cancelled", "cancelled"]);
  });
});
