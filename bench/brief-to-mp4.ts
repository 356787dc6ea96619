// Times one brief → MP4 on the embedded default: a 60 s, 16:9, 1080p video with captions and
// a ducked music bed, through the real engine, espeak-ng, the card renderer and a separate
// render-worker process. Prints each stage's wall time and the total.
//   npm run bench:e2e            (BENCH_LENGTH_SEC and BENCH_ASPECT change the brief)
import os from "node:os";
import path from "node:path";
import { startPipelineEnvironment } from "../test/helpers/pipeline.ts";

const root = path.resolve(import.meta.dirname, "..");
const harness = await startPipelineEnvironment({ dataDir: path.join(root, ".data/bench"), port: 54359 });
const { database } = harness;

const { getDb } = await import("../server/db/client.ts");
const { BuiltinEngine } = await import("../server/workflow/engine/builtin.ts");
const { WORKFLOW_FUNCTIONS } = await import("../server/workflow/video-generate.ts");
const { createVideo } = await import("../server/videos/service.ts");
const { createLogger } = await import("../server/lib/log.ts");
const { briefSchema } = await import("../server/videos/brief.ts");
const { STAGES } = await import("../server/workflow/stages.ts");

const db = getDb();
const engine = new BuiltinEngine({ db, databaseUrl: database.url, functions: [...WORKFLOW_FUNCTIONS], log: createLogger(), concurrency: 1, maxAttempts: 1 });
const user = await db.user.create({ data: { email: "bench@example.test" } });
const ws = await db.workspace.create({ data: { name: "Bench", slug: "bench", memberships: { create: { userId: user.id, role: "owner" } } } });
const brief = briefSchema.parse({
  topic:
    // Enough to say for a 60 s video: the offline writer makes a thinner brief shorter.
    "How the internet reaches your home. Data travels as light through undersea fibre cables. Routers pass packets from network to network. Your provider connects the last mile by cable, fibre or radio. Every page arrives in pieces and is put back together. " +
    "A name like example.com is first turned into a number by the domain name system. Your request then hops through a dozen routers, each choosing the next step from its own table. " +
    "Big services keep copies of their pages in data centres near you, so the answer travels only a short way. Undersea cables are as thin as a garden hose, yet they carry almost all traffic between continents. " +
    "When a cable breaks, traffic flows around the damage by other routes within seconds. Your home router shares one connection between every phone, laptop and television in the house.",
  audience: "adults who are curious about technology",
  tone: "informative",
  targetLengthSec: Number(process.env.BENCH_LENGTH_SEC ?? 60),
  aspectRatio: process.env.BENCH_ASPECT ?? "16:9",
  voice: "en-us-male",
  visualStyle: "modern",
  music: "calm",
  captions: true,
});

const started = performance.now();
const { job } = await createVideo({ db, workspaceId: ws.id, userId: user.id }, brief);
await engine.runJob(job.id);
const wallSec = (performance.now() - started) / 1000;

const done = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true, video: true } });
if (done.status !== "succeeded") throw new Error(`job ${done.status}: ${done.errorStage} ${done.errorMessage}`);
const render = done.steps.find((s) => s.stepId === "render")!.output as { durationSec: number; renderSec: number };

console.log(`brief → MP4: ${brief.targetLengthSec} s target, ${brief.aspectRatio}, ${done.video.width}x${done.video.height}, ${os.cpus().length} cores`);
console.log(`video length: ${render.durationSec.toFixed(2)} s, ${done.steps.filter((s) => s.stage === "narration").length} scenes`);
// Narration and visuals run concurrently (two steps at a time), so their wall times overlap.
console.log("stage       wall (s)   steps");
for (const stage of STAGES) {
  const steps = done.steps.filter((s) => s.stage === stage.id);
  if (!steps.length) continue; // no review was asked for
  const start = Math.min(...steps.map((s) => s.startedAt.getTime()));
  const end = Math.max(...steps.map((s) => s.finishedAt!.getTime()));
  console.log(`${stage.id.padEnd(11)} ${((end - start) / 1000).toFixed(2).padStart(8)}   ${steps.length}`);
}
console.log(`total       ${wallSec.toFixed(2).padStart(8)}   (render at ${(render.durationSec / render.renderSec).toFixed(2)}× real time)`);

await engine.stop();
await db.$disconnect();
await harness.stop();
