// A brief becomes an MP4 made of stock video clips: the workspace uses Pexels videos (a local
// server speaking its API, with clips made here by FFmpeg, each a colour of its own); every
// shot of every scene gets a clip, no clip twice, and a frame from the middle of each shot of
// the rendered video shows the colour of the clip its step chose. The job page's shots carry
// each clip's credit and words.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, describe, test } from "node:test";
import { startFakeOpenAiVideo } from "../helpers/fake-openai-video.ts";
import { colourCount, frameRgb, meanColour } from "../helpers/frames.ts";
import { startFakePexelsVideos, type StockVideo } from "../helpers/fake-providers.ts";
import { createTestEngine, startPipelineEnvironment } from "../helpers/pipeline.ts";
import { createOwner } from "../helpers/seed.ts";

/** Twelve clips, each a flat colour, 640×360 at 25 fps, 6 s. */
const COLOURS: [string, [number, number, number]][] = [
  ["red", [255, 0, 0]],
  ["lime", [0, 255, 0]],
  ["blue", [0, 0, 255]],
  ["yellow", [255, 255, 0]],
  ["magenta", [255, 0, 255]],
  ["cyan", [0, 255, 255]],
  ["white", [255, 255, 255]],
  ["black", [0, 0, 0]],
  ["orange", [255, 165, 0]],
  ["purple", [128, 0, 128]],
  ["teal", [0, 128, 128]],
  ["gray", [128, 128, 128]],
];

// The media host serves the clips; its address is allowed as Pexels' video host.
const files = new Map<string, Buffer>();
const media = http.createServer((req, res) => {
  const bytes = files.get(new URL(req.url ?? "/", "http://x").pathname);
  if (!bytes) return res.writeHead(404).end();
  res.writeHead(200, { "content-type": "video/mp4", "content-length": bytes.length }).end(bytes);
});
await new Promise<void>((r) => media.listen(0, "127.0.0.1", r));
const mediaUrl = `http://127.0.0.1:${(media.address() as AddressInfo).port}`;

const harness = await startPipelineEnvironment({
  env: { PROVIDER_PRIVATE_HOSTS: "127.0.0.1:*", PEXELS_VIDEO_HOSTS: new URL(mediaUrl).host, AI_VIDEO_POLL_SEC: "0.2" },
});
const clipsDir = path.join(harness.env.dir, "clips");
mkdirSync(clipsDir);
const catalogue: StockVideo[] = COLOURS.map(([colour], i) => {
  const file = path.join(clipsDir, `${colour}.mp4`);
  execFileSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", `color=c=${colour}:s=640x360:r=25:d=6`, "-c:v", "libx264", "-pix_fmt", "yuv420p", file]);
  files.set(`/clips/${colour}.mp4`, readFileSync(file));
  return {
    id: 100 + i,
    duration: 6,
    user: `Filmer ${colour}`,
    title: `${colour} harbour light`,
    files: [{ link: `${mediaUrl}/clips/${colour}.mp4`, width: 640, height: 360 }],
  };
});
const colourOf = (sourceId: string) => COLOURS[Number(sourceId.split(":")[1]) - 100]!;
const pexels = await startFakePexelsVideos({ videos: () => catalogue });
const sora = await startFakeOpenAiVideo();

const { getDb } = await import("../../server/db/client.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { getVideoDetail } = await import("../../server/videos/queries.ts");
const { saveProviderSetting } = await import("../../server/providers/settings.ts");
const { createApiKey } = await import("../../server/api-keys/service.ts");
const rest = await import("../../server/api/rest/videos.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { computeTiming, renderSpecSchema } = await import("@aura/render-contract");
const { LocalStore } = await import("@aura/object-store");
const storagePath = (key: string) => new LocalStore(harness.env.STORAGE_DIR).localPath(key)!;

const db = getDb();
const engine = await createTestEngine(harness.database.url, { name: "stock-clips" });

after(async () => {
  await engine.stop();
  await closeSender();
  await db.$disconnect();
  await pexels.close();
  await sora.close();
  await new Promise((r) => media.close(r));
  await harness.stop();
});

/** A short Draft brief without music, captions or titles, so frames show only the pictures. */
const plainBrief = (topic: string, targetLengthSec: number) =>
  briefSchema.parse({
    topic,
    audience: "sailors",
    tone: "informative",
    targetLengthSec,
    aspectRatio: "16:9",
    voice: "en-gb-male",
    visualStyle: "bold",
    music: "none",
    quality: "draft",
    captions: false,
    titles: false,
  });

/** Runs a job until it ends; a job that sleeps (waiting for AI video clips) is run again
 *  after each sleep. */
async function runToEnd(jobId: string) {
  for (let round = 0; round < 300; round++) {
    await engine.runJob(jobId);
    const { status } = await db.job.findUniqueOrThrow({ where: { id: jobId } });
    if (!["queued", "running", "waiting"].includes(status)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return db.job.findUniqueOrThrow({ where: { id: jobId }, include: { steps: true } });
}

describe("a video made of stock clips", () => {
  test("every shot shows its own clip, none twice, read back from the rendered frames", async () => {
    const owner = await createOwner(db, "stock-clips");
    await saveProviderSetting({ db, ...owner }, { capability: "visuals", provider: "pexels-video", baseUrl: pexels.url, apiKey: "pexels-test-key" });
    const { video, job } = await createVideo(
      { db, ...owner },
      plainBrief("How harbour lights guide ships. Each light has a colour of its own. Sailors learn them all, and they find their way at night.", 30),
    );
    const done = await runToEnd(job.id);
    assert.equal(done.status, "succeeded", `${done.errorStage}: ${done.errorMessage}`);

    // Which clip each shot got, in timeline order.
    const chosen = done.steps
      .filter((s) => /^visual-\d+$/.test(s.stepId))
      .sort((a, b) => Number(a.stepId.slice(7)) - Number(b.stepId.slice(7)))
      .flatMap((s) => (s.output as { shots: { kind: string; sourceId?: string; provider: string }[] }).shots);
    assert.ok(chosen.length > 3, `${chosen.length} shots`);
    assert.ok(
      chosen.every((s) => s.kind === "clip" && s.provider === "pexels-video"),
      JSON.stringify(chosen),
    );
    const ids = chosen.map((s) => s.sourceId!);
    assert.equal(new Set(ids).size, ids.length, `no clip twice: ${ids.join(", ")}`);

    const timeline = done.steps.find((s) => s.stepId === "timeline")!.output as { key: string };
    const spec = renderSpecSchema.parse(JSON.parse(readFileSync(storagePath(timeline.key), "utf8")));
    assert.equal(spec.scenes.length, ids.length);
    assert.ok(spec.scenes.every((s) => s.clip && !s.image));
    const output = await db.asset.findUniqueOrThrow({ where: { id: (await db.video.findUniqueOrThrow({ where: { id: video.id } })).outputAssetId! } });
    const timing = computeTiming(spec);
    ids.forEach((id, i) => {
      const shot = timing.scenes[i]!;
      const [name, want] = colourOf(id);
      const got = meanColour(frameRgb(storagePath(output.storageKey), shot.startSec + shot.durationSec / 2));
      const off = Math.max(...got.map((v, c) => Math.abs(v - want[c]!)));
      assert.ok(off < 40, `shot ${i + 1} should show ${name} (${id}), got ${got.map(Math.round)}`);
    });

    const detail = await getVideoDetail({ db, workspaceId: owner.workspaceId }, video.id);
    const shots = detail.scenes.flatMap((s) => s.shots);
    assert.deepEqual(
      shots.map((s) => [s.kind, s.credit]),
      ids.map((id) => ["clip", `Video by Filmer ${colourOf(id)[0]} on Pexels`]),
    );
    assert.ok(shots.every((s) => s.thumbnailUrl && s.url && s.words.includes("harbour")));

    // The REST API credits each shot too.
    const { key } = await createApiKey({ db, ...owner }, { name: "credits", scopes: ["videos:read"] });
    const response = await rest.getVideoRoute(new Request(`http://aura.test/api/v1/videos/${video.id}`, { headers: { authorization: `Bearer ${key}` } }), {
      params: Promise.resolve({ id: video.id }),
    });
    const body = (await response.json()) as { scenes: { shots: { kind: string; credit: string; sourceUrl: string; match: boolean }[] }[] };
    const credited = body.scenes.flatMap((s) => s.shots);
    assert.deepEqual(
      credited.map((s) => [s.kind, s.credit, s.match]),
      shots.map((s) => ["clip", s.credit, s.match]),
    );
    assert.ok(credited.every((s) => s.sourceUrl.startsWith("https://www.pexels.com/video/")));
  });

  test("AI video clips are generated, waited for, and rendered as the shots' pictures", async () => {
    const owner = await createOwner(db, "ai-clips");
    await saveProviderSetting({ db, ...owner }, { capability: "visuals", provider: "openai-video", baseUrl: `${sora.url}/v1`, apiKey: sora.key });
    // Done after 600 ms and not before its second poll: the job sleeps at least once, however
    // long the stages before the first poll took on a busy machine.
    sora.setPlan(() => ({ readyAfterMs: 600, readyAfterPolls: 2 }));
    const { video, job } = await createVideo({ db, ...owner }, plainBrief("Harbour cranes at work. They lift boxes off the ships.", 15));
    const done = await runToEnd(job.id);
    assert.equal(done.status, "succeeded", `${done.errorStage}: ${done.errorMessage}`);
    assert.ok(
      done.steps.some((s) => /^visual-\d+-wait-\d+$/.test(s.stepId)),
      "the job slept while the clips were generated",
    );
    const detail = await getVideoDetail({ db, workspaceId: owner.workspaceId }, video.id);
    const shots = detail.scenes.flatMap((s) => s.shots);
    assert.ok(
      shots.every((s) => s.kind === "clip" && s.provider === "openai-video" && s.credit?.startsWith("Generated with OpenAI")),
      JSON.stringify(shots),
    );
    assert.equal(sora.videos.length, shots.length, "one generation per shot");
    // The rendered file shows the generated clip (FFmpeg's colourful test pattern), not a card.
    const timeline = done.steps.find((s) => s.stepId === "timeline")!.output as { key: string };
    const spec = renderSpecSchema.parse(JSON.parse(readFileSync(storagePath(timeline.key), "utf8")));
    assert.ok(spec.scenes.every((s) => s.clip));
    const output = await db.asset.findUniqueOrThrow({ where: { id: (await db.video.findUniqueOrThrow({ where: { id: video.id } })).outputAssetId! } });
    const timing = computeTiming(spec);
    const first = timing.scenes[0]!;
    const colours = colourCount(frameRgb(storagePath(output.storageKey), first.startSec + first.durationSec / 2, { width: 64, height: 36 }));
    assert.ok(colours > 12, `a many-coloured test pattern, not a flat picture: ${colours} colours`);
  });
});
