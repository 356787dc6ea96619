// Shots through the whole pipeline: a brief's scenes are cut into shots that the render
// shows one after another; a picture from the workspace's media library replaces one shot
// (copied into the video, read back from the rendered frames); "try another" redraws one
// shot; and a stock clip is claimed by one shot of a video only.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { startPipelineEnvironment, createTestEngine } from "../helpers/pipeline.ts";
import { frameRgb, meanColour } from "../helpers/frames.ts";
import { createOwner } from "../helpers/seed.ts";

const harness = await startPipelineEnvironment();
const { getDb } = await import("../../server/db/client.ts");
const { createVideo, editScene } = await import("../../server/videos/service.ts");
const { addMediaItem } = await import("../../server/library/service.ts");
const { getVideoDetail } = await import("../../server/videos/queries.ts");
const { shotClaims, takeClaims } = await import("../../server/pipeline/visuals/claims.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { computeTiming, renderSpecSchema } = await import("@aura/render-contract");
const { LocalStore } = await import("@aura/object-store");
const store = new LocalStore(harness.env.STORAGE_DIR);
const storagePath = (key: string) => store.localPath(key)!;

const db = getDb();
const engine = await createTestEngine(harness.database.url, { name: "shots" });
let owner = { userId: "", workspaceId: "" };
let stranger = { userId: "", workspaceId: "" };

before(async () => {
  owner = await createOwner(db, "shots-owner");
  stranger = await createOwner(db, "shots-stranger");
});

after(async () => {
  await engine.stop();
  await closeSender();
  await db.$disconnect();
  await harness.stop();
});

const ffmpegBytes = (...args: string[]) => execFileSync("ffmpeg", ["-v", "error", "-nostdin", ...args, "-"], { maxBuffer: 64 * 1024 * 1024 });
const streamOf = (bytes: Buffer) =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
const upload = (who: typeof owner, name: string, bytes: Buffer) => addMediaItem({ db, ...who }, { name, body: streamOf(bytes), declaredBytes: bytes.length });

/** What every brief here shares. */
const plain = { audience: "sailors", tone: "informative", aspectRatio: "16:9", voice: "en-gb-male", visualStyle: "bold" } as const;

type TimelineSpec = ReturnType<typeof renderSpecSchema.parse>;
async function timelineOf(jobId: string): Promise<TimelineSpec> {
  const step = await db.jobStep.findFirstOrThrow({ where: { jobId, stepId: "timeline" } });
  return renderSpecSchema.parse(JSON.parse(readFileSync(storagePath((step.output as { key: string }).key), "utf8")));
}

describe("shots", () => {
  test("a stock clip belongs to one shot of a video; a retried shot takes its own back; an unusable one is held by none", async () => {
    const { video } = await createVideo({ db, ...owner }, briefSchema.parse({ ...plain, topic: "Claims", targetLengthSec: 15 }));
    const [a, b] = [shotClaims(db, video.id, "scene-1#0"), shotClaims(db, video.id, "scene-2#0")];
    const raced = await Promise.all([a.claim("pexels-video:1"), b.claim("pexels-video:1")]);
    assert.deepEqual(raced.filter(Boolean).length, 1, "exactly one of two shots racing for a clip gets it");
    const holder = raced[0] ? a : b;
    assert.equal(await holder.claim("pexels-video:1"), true, "the holder takes its own claim back on a retry");
    // A clip that could not be had for now (a timeout) is free again; a bad one is never tried again.
    await holder.release("pexels-video:1", false);
    const other = holder === a ? b : a;
    assert.equal(await other.claim("pexels-video:1"), true, "given back after a failed download, another shot may take it");
    await other.release("pexels-video:1", true);
    assert.equal(await a.claim("pexels-video:1"), false, "a clip found unusable is claimed by no shot again");
    assert.equal(await b.claim("pexels-video:1"), false);
    // Another take passes over the first clip it could get and takes the next; a clip it could
    // not get anyway (another shot's, or unusable) does not count as passed over.
    const retake = takeClaims(shotClaims(db, video.id, "scene-3#0"), 1);
    assert.deepEqual([await retake.claim("pexels-video:1"), await retake.claim("pexels-video:7"), await retake.claim("pexels-video:8")], [false, false, true]);
  });

  test("scenes are cut into shots; a library picture replaces a shot and another take redraws one", async () => {
    const brief = briefSchema.parse({
      ...plain,
      topic:
        "How lighthouses guide ships. Their lamps turn all night, and each one flashes its own pattern. Sailors read the pattern on their charts, and they know where they are.",
      targetLengthSec: 40,
      music: "none",
      quality: "draft",
      captions: false,
      titles: false,
    });
    const { video, job } = await createVideo({ db, ...owner }, brief);
    await engine.runJob(job.id);
    const done = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    assert.equal(done.status, "succeeded", `${done.errorStage}: ${done.errorMessage}`);

    const spec = await timelineOf(job.id);
    const detail = await getVideoDetail({ db, workspaceId: owner.workspaceId }, video.id);
    const shotCount = detail.scenes.reduce((n, s) => n + s.shots.length, 0);
    assert.ok(shotCount > detail.scenes.length, `${shotCount} shots for ${detail.scenes.length} scenes`);
    assert.equal(spec.scenes.length, shotCount, "one timeline entry per shot");
    assert.equal(spec.scenes.filter((s) => !s.continues).length, detail.scenes.length);
    assert.ok(spec.scenes.every((s) => (s.continues ? s.narration === null : s.narration !== null)));
    assert.equal(new Set(spec.scenes.map((s) => s.image)).size, shotCount, "every shot has its own picture");
    for (const scene of detail.scenes) for (const shot of scene.shots) assert.ok(shot.query && shot.thumbnailUrl && shot.match !== null, JSON.stringify(shot));

    // A red picture from the library replaces the second scene's first shot.
    const red = await upload(
      owner,
      "red harbour light.png",
      ffmpegBytes("-f", "lavfi", "-i", "color=c=#d01010:s=640x360", "-frames:v", "1", "-f", "image2", "-c:v", "png"),
    );
    const scene = detail.scenes[1]!;
    const shots = scene.shots.map((s) => ({ query: s.query }));
    const edit = { videoId: video.id, sceneId: scene.id, narration: scene.narration, visualPrompt: scene.visualPrompt };

    // Not another workspace's item, nor an audio file: refused alike, naming the field.
    const theirs = await upload(
      stranger,
      "blue.png",
      ffmpegBytes("-f", "lavfi", "-i", "color=c=blue:s=320x180", "-frames:v", "1", "-f", "image2", "-c:v", "png"),
    );
    const sound = await upload(owner, "bell.mp3", ffmpegBytes("-f", "lavfi", "-i", "sine=d=1", "-f", "mp3"));
    for (const itemId of [theirs.id, sound.id, "no-such-item"]) {
      await assert.rejects(
        editScene({ db, ...owner }, { ...edit, shots: [{ query: "x", pick: { kind: "library", itemId } }, ...shots.slice(1)] }),
        /shots\.0\.pick\.itemId: no picture or video clip with this id in the workspace's media library/,
      );
    }

    assert.deepEqual(await editScene({ db, ...owner }, { ...edit, shots: [{ ...shots[0]!, pick: { kind: "library", itemId: red.id } }, ...shots.slice(1)] }), {
      changed: true,
      redoneSteps: 4,
    });
    await engine.runJob(job.id);
    const picked = await timelineOf(job.id);
    const first = picked.scenes.findIndex((s, i) => i > 0 && !s.continues);
    assert.match(picked.scenes[first]!.image!, new RegExp(`^workspaces/${owner.workspaceId}/videos/${video.id}/visuals/`), "copied into the video's own keys");
    const after = await getVideoDetail({ db, workspaceId: owner.workspaceId }, video.id);
    assert.deepEqual(after.scenes[1]!.shots[0]!.pick, { kind: "library", itemId: red.id });
    assert.equal(after.scenes[1]!.shots[0]!.provider, "library");
    // The middle of that shot, read from the rendered video, is red.
    const outputKey = (await db.asset.findUniqueOrThrow({ where: { id: (await db.video.findUniqueOrThrow({ where: { id: video.id } })).outputAssetId! } }))
      .storageKey;
    const timing = computeTiming(picked);
    const middle = timing.scenes[first]!.startSec + timing.scenes[first]!.durationSec / 2;
    const [r, g, b] = meanColour(frameRgb(storagePath(outputKey), middle));
    assert.ok(r! > 150 && g! < 80 && b! < 80, `the picked shot shows red, got ${[r, g, b]}`);

    // "Try another" on the last shot of the last scene: only its picture changes.
    const last = after.scenes.at(-1)!;
    const lastShots = last.shots.map((s, k) => ({ query: s.query, ...(k === last.shots.length - 1 ? { take: 1 } : {}) }));
    const sha = (key: string) => execFileSync("sha256sum", [storagePath(key)], { encoding: "utf8" }).split(" ")[0];
    const before = await timelineOf(job.id);
    const [firstBefore, lastBefore] = [sha(before.scenes[0]!.image!), sha(before.scenes.at(-1)!.image!)];
    await editScene({ db, ...owner }, { videoId: video.id, sceneId: last.id, narration: last.narration, visualPrompt: last.visualPrompt, shots: lastShots });
    await engine.runJob(job.id);
    const retaken = await timelineOf(job.id);
    assert.notEqual(sha(retaken.scenes.at(-1)!.image!), lastBefore, "the retaken shot has a new picture");
    assert.equal(sha(retaken.scenes[0]!.image!), firstBefore, "the others are as they were");
  });
});
