// The visuals step of an offline job (the built-in writer and pictures, a real PostgreSQL):
// every shot gets a library illustration with its credit and licence, no picture twice in the
// video, the picture's own words as the shot's words; a run again keeps each shot's picture,
// and "another take" gives a shot a different one. The REST API lists the licences.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, describe, test } from "node:test";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";

const env = setTestEnv({ RENDER_WORKER_URL: "http://127.0.0.1:9", RENDER_WORKER_WAIT_SECONDS: "0" });
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb } = await import("../../server/db/client.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { runScriptStep, runVisualStep } = await import("../../server/pipeline/index.ts");
const { isStarted } = await import("../../server/pipeline/visuals/step.ts");
const { getVideoDetail } = await import("../../server/videos/queries.ts");
const { openApiDocument } = await import("../../server/api/rest/openapi.ts");

const db = getDb();

after(async () => {
  await closeSender();
  await db.$disconnect();
  await database.drop();
  rmSync(env.dir, { recursive: true, force: true });
});

type StepShot = { kind: string; provider: string; query: string; words: string[]; match: boolean; credit?: string; license?: string; sourceId?: string };

describe("offline illustrations in the visuals step", () => {
  test("each shot gets its own licensed illustration, kept on a re-run and changed by another take", async () => {
    const owner = await createOwner(db, "illustrations");
    const brief = briefSchema.parse({
      topic: "Coffee from bean to cup. Farmers pick the cherries, roasters heat the beans, and baristas pour the espresso into a cup in the morning.",
      audience: "curious teenagers",
      tone: "friendly",
      targetLengthSec: 40,
      aspectRatio: "9:16",
      voice: "en-us-male",
      visualStyle: "warm",
      music: "none",
      quality: "draft",
    });
    const { video, job } = await createVideo({ db, ...owner }, brief);
    await runScriptStep(job.id);
    const stored = await db.video.findUniqueOrThrow({ where: { id: video.id } });
    const sceneCount = (stored.script as { scenes: unknown[] }).scenes.length;
    const shotsOf = async (i: number) => {
      const out = await runVisualStep(job.id, i);
      assert.ok(!isStarted(out));
      return out.shots as StepShot[];
    };
    const all: StepShot[][] = [];
    for (let i = 0; i < sceneCount; i++) all.push(await shotsOf(i));
    /** Records scene i's step output as the engine does, for the job page and the API to read. */
    const record = (i: number, shots: StepShot[]) =>
      db.jobStep.upsert({
        where: { jobId_stepId: { jobId: job.id, stepId: `visual-${i + 1}` } },
        create: { jobId: job.id, stepId: `visual-${i + 1}`, stage: "visuals", status: "succeeded", output: { shots } },
        update: { output: { shots } },
      });
    const shots = all.flat();
    assert.ok(shots.length > sceneCount, `${shots.length} shots in ${sceneCount} scenes`);
    const illustrated = shots.filter((s) => s.sourceId);
    // Every shot of this topic has words the library knows.
    assert.equal(illustrated.length, shots.length, JSON.stringify(shots.filter((s) => !s.sourceId)));
    for (const shot of shots) {
      assert.equal(shot.provider, "offline-card");
      assert.match(shot.sourceId!, /^(fluent-emoji|openclipart):/);
      assert.ok(shot.license === "MIT" || shot.license === "Public domain", JSON.stringify(shot));
      assert.match(shot.credit!, /^Illustration: .+(Fluent Emoji, Microsoft\), MIT licence|Open Clip Art, public domain)$/);
      assert.ok(shot.words.length > 0 && shot.match, `the picture's words match the query: ${shot.query} / ${shot.words.join(", ")}`);
    }
    const ids = shots.map((s) => s.sourceId);
    assert.equal(new Set(ids).size, ids.length, `no picture twice: ${ids.join(", ")}`);
    const claims = await db.shotClaim.findMany({ where: { videoId: video.id } });
    assert.deepEqual(claims.map((c) => c.sourceId).sort(), [...ids].sort(), "each picture is claimed by its shot");

    // The step run again keeps every picture.
    const again = await shotsOf(0);
    assert.deepEqual(
      again.map((s) => s.sourceId),
      all[0]!.map((s) => s.sourceId),
    );

    // Another take of the first scene's last shot: a picture no other shot has.
    const script = stored.script as { scenes: { shots?: { query: string; take?: number }[] }[] };
    const first = all[0]!;
    script.scenes[0]!.shots = first.map((s, k) => ({ query: s.query, ...(k === first.length - 1 ? { take: 1 } : {}) }));
    await db.video.update({ where: { id: video.id }, data: { script } });
    const retaken = await shotsOf(0);
    assert.notEqual(retaken.at(-1)!.sourceId, first.at(-1)!.sourceId, "another take, another picture");
    const now = [...retaken, ...all.slice(1).flat()].map((s) => s.sourceId);
    assert.equal(new Set(now).size, now.length, "still none twice");

    // The job page and the REST API read the licence from the step; the API's document names it.
    await record(0, retaken);
    for (let i = 1; i < sceneCount; i++) await record(i, all[i]!);
    const detail = await getVideoDetail({ db, workspaceId: owner.workspaceId }, video.id);
    const listed = detail.scenes.flatMap((s) => s.shots);
    assert.equal(listed.length, shots.length);
    assert.ok(
      listed.every((s) => s.license && s.credit?.startsWith("Illustration: ")),
      JSON.stringify(listed),
    );
    const shotSchema = JSON.stringify(openApiDocument());
    assert.ok(shotSchema.includes('"license"'), "the OpenAPI document lists the licence");
  });
});
