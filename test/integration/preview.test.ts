// The growing preview through the whole pipeline: a real render on the real worker; while it
// runs, the REST API serves a playlist that grows (read with fewer files, then more), whose
// first file plays (video and audio, as long as the first segment); the last playlist read
// ends with EXT-X-ENDLIST and lasts as long as the video; another workspace gets 404; once
// the video is saved, the preview is gone.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { after, test } from "node:test";
import { createTestEngine, startPipelineEnvironment } from "../helpers/pipeline.ts";
import { createOwner } from "../helpers/seed.ts";
import { callerFactory } from "../helpers/trpc.ts";

const harness = await startPipelineEnvironment();
const { getDb } = await import("../../server/db/client.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { previewFileResponse, previewPrefix } = await import("../../server/pipeline/render/preview.ts");
const { getStore } = await import("../../server/storage/store.ts");
const { GET: restPreview } = await import("../../app/api/v1/videos/[id]/preview/[file]/route.ts");
const { NotFoundError } = await import("../../server/lib/errors.ts");
const { ENCODE_STEP } = await import("../../server/workflow/stages.ts");

const db = getDb();
const engine = await createTestEngine(harness.database.url, { name: "preview" });

after(async () => {
  await engine.stop();
  await closeSender();
  await db.$disconnect();
  await harness.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** What ffprobe finds in a file: its streams' kinds and its length. */
function probe(file: string) {
  const out = spawnSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type:format=duration", "-of", "json", file], { encoding: "utf8" });
  const json = JSON.parse(out.stdout) as { streams: { codec_type: string }[]; format: { duration: string } };
  const kinds = json.streams.map((st) => st.codec_type);
  return { video: kinds.includes("video"), audio: kinds.includes("audio"), durationSec: Number(json.format.duration) };
}
const rest = (key: string, videoId: string, file: string) =>
  restPreview(new Request(`http://aura.test/api/v1/videos/${videoId}/preview/${file}`, { headers: { authorization: `Bearer ${key}` } }), {
    params: Promise.resolve({ id: videoId, file }),
  });

test("while a video renders, its preview grows and plays; the final file replaces it", { timeout: 300_000 }, async (t) => {
  const as = await callerFactory(db);
  const a = await createOwner(db, "preview-a");
  const b = await createOwner(db, "preview-b");
  const keyA = (await as(a.userId, a.workspaceId).automation.createApiKey({ name: "a", scopes: ["videos:read"] })).key;
  const keyB = (await as(b.userId, b.workspaceId).automation.createApiKey({ name: "b", scopes: ["videos:read"] })).key;
  // No music: the preview waits for the mixed audio, and a composed bed takes seconds to play.
  const brief = briefSchema.parse({
    topic: "Lighthouses. Keepers trimmed the wicks each night. Lenses bent the light into beams. Today the lamps run themselves.",
    audience: "sailors",
    tone: "informative",
    targetLengthSec: 30,
    aspectRatio: "16:9",
    voice: "en-gb-male",
    visualStyle: "minimal",
    music: "none",
  });
  const { video, job } = await createVideo({ db, workspaceId: a.workspaceId, userId: a.userId }, brief);
  // A preview left from an earlier run is not served while the job is not rendering (a retry's
  // narration and visuals run first): the page must not play the old scenes.
  const stale = `${previewPrefix(a.workspaceId, video.id, job.id)}/index.m3u8`;
  await (await getStore()).put(stale, Buffer.from("#EXTM3U\n#EXT-X-PLAYLIST-TYPE:EVENT\n"));
  assert.equal((await rest(keyA, video.id, "index.m3u8")).status, 404, "a stale preview outside the render stage");
  await (await getStore()).delete(stale);
  await engine.start();
  const done = engine.runJob(job.id);

  const playlists: string[] = [];
  let first: ReturnType<typeof probe> | null = null;
  let otherWorkspace: number | null = null;
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    const res = await rest(keyA, video.id, "index.m3u8");
    if (res.status === 200) {
      const text = await res.text();
      assert.match(res.headers.get("content-type") ?? "", /mpegurl/);
      if (playlists.at(-1) !== text) playlists.push(text);
      if (!first) {
        // The first file, read over REST while later scenes still render.
        const chunk = await rest(keyA, video.id, "chunk-00000.ts");
        assert.equal(chunk.status, 200);
        // A retry renders the same job again under the same names: nothing is cached.
        assert.equal(chunk.headers.get("cache-control"), "no-store");
        assert.equal((await rest(keyA, video.id, "../../timeline.json")).status, 404, "only a preview's own files are served");
        const file = path.join(harness.env.dir, "first.ts");
        writeFileSync(file, Buffer.from(await chunk.arrayBuffer()));
        first = probe(file);
        otherWorkspace = (await rest(keyB, video.id, "index.m3u8")).status;
        await assert.rejects(previewFileResponse({ db, workspaceId: b.workspaceId }, video.id, "index.m3u8", new Request("http://aura.test/")), NotFoundError);
      }
    }
    await sleep(100);
  }
  await done;
  const ended = await db.job.findUniqueOrThrow({ where: { id: job.id }, include: { video: true } });
  assert.equal(ended.status, "succeeded", `${ended.errorStage}: ${ended.errorMessage}`);

  const counts = playlists.map((t) => (t.match(/chunk-\d+\.ts/g) ?? []).length);
  assert.ok(new Set(counts).size >= 2, `the playlist grew while the video rendered (files seen: ${counts.join(", ")})`);
  assert.deepEqual(
    counts,
    [...counts].sort((x, y) => x - y),
    "it only grew",
  );
  assert.ok(first?.video && first.audio, "the first file has video and audio");
  const firstListed = Number(/#EXTINF:([\d.]+),/.exec(playlists[0]!)![1]);
  assert.ok(Math.abs(first!.durationSec - firstListed) < 0.1, `the first file lasts ${first!.durationSec}s, the playlist says ${firstListed}s`);
  assert.equal(otherWorkspace, 404, "another workspace's key gets 404");

  const last = playlists.at(-1)!;
  assert.ok(last.includes("#EXT-X-ENDLIST"), "the last playlist read is complete");
  const listed = [...last.matchAll(/#EXTINF:([\d.]+),/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  assert.ok(Math.abs(listed - ended.video.durationSec!) < 0.2, `the playlist lasts ${listed}s, the video ${ended.video.durationSec}s`);
  const render = await db.jobStep.findFirstOrThrow({ where: { jobId: job.id, stepId: ENCODE_STEP } });
  const readyMs = (render.output as { previewReadyMs?: number }).previewReadyMs;
  assert.ok(typeof readyMs === "number" && readyMs > 0, "the render step records when the preview was first playable");
  t.diagnostic(
    `preview playable ${readyMs} ms after the render started (render ${(render.output as { renderSec: number }).renderSec} s); files per read: ${counts.join(", ")}`,
  );

  // The final file replaced it: nothing left in storage, 404 over REST.
  assert.deepEqual(await (await getStore()).list(`${previewPrefix(a.workspaceId, video.id, job.id)}/`), []);
  assert.equal((await rest(keyA, video.id, "index.m3u8")).status, 404);
});
