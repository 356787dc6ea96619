// The brief form's voice samples on the real database, store, flite and espeak-ng: a voice's
// sample is spoken by the workspace's chain (flite for American male, espeak-ng for Spanish),
// stored once and read back on the next request without speaking again; each workspace has its
// own (another user's request, even sending this workspace's cookie, never lands in it); an
// unknown voice and a viewer are refused; and making new samples stops at the per-minute limit
// while stored ones are still served.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { rmSync, statSync } from "node:fs";
import { after, describe, test } from "node:test";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";

const env = setTestEnv({});
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb } = await import("../../server/db/client.ts");
const { getStore } = await import("../../server/storage/store.ts");
const { LocalStore } = await import("@aura/object-store");
const { SAMPLES_PER_MINUTE, voiceSampleKey } = await import("../../server/videos/samples.ts");
const { VOICES } = await import("../../server/videos/brief.ts");
const { callerFactory, code } = await import("../helpers/trpc.ts");

const db = getDb();
const as = await callerFactory(db);
const a = await createOwner(db, "samples-a");
const b = await createOwner(db, "samples-b");
const local = new LocalStore(env.STORAGE_DIR);
const samplesOf = async (workspaceId: string) => (await getStore()).list(`workspaces/${workspaceId}/voice-samples/`);

/** The stored sample's length in seconds and its format, read back by ffprobe. */
function probe(file: string) {
  const out = execFileSync("ffprobe", ["-v", "error", "-show_entries", "format=duration,format_name", "-of", "json", file], { encoding: "utf8" });
  const { format } = JSON.parse(out) as { format: { duration: string; format_name: string } };
  return { seconds: Number(format.duration), format: format.format_name };
}

after(async () => {
  await db.$disconnect();
  await database.drop();
  rmSync(env.dir, { recursive: true, force: true });
});

describe("voice samples", () => {
  let first = { sampleId: "", file: "", mtimeMs: 0 };

  test("an American male voice is spoken by flite (rms), stored as a WAV of a few seconds", async () => {
    const sample = await as(a.userId).videos.voiceSample({ voice: "en-us-male" });
    assert.equal(sample.provider, "flite");
    assert.equal(sample.speaker, "rms");
    assert.equal(sample.cached, false);
    assert.equal(sample.url, `/api/samples/voice/${sample.sampleId}`);
    assert.match(sample.text, /narrate your video/);
    const file = local.localPath(voiceSampleKey(a.workspaceId, sample.sampleId)!)!;
    const { seconds, format } = probe(file);
    assert.equal(format, "wav");
    assert.ok(seconds > 1.5 && seconds < 10, `${seconds} s`);
    first = { sampleId: sample.sampleId, file, mtimeMs: statSync(file).mtimeMs };
  });

  test("asked again, the stored sample answers and nothing is spoken again", async () => {
    const again = await as(a.userId).videos.voiceSample({ voice: "en-us-male" });
    assert.equal(again.cached, true);
    assert.equal(again.sampleId, first.sampleId);
    assert.equal(statSync(first.file).mtimeMs, first.mtimeMs);
    assert.equal((await samplesOf(a.workspaceId)).length, 1);
  });

  test("a Spanish voice is spoken by espeak-ng in Spanish, a sample of its own", async () => {
    const sample = await as(a.userId).videos.voiceSample({ voice: "es-female" });
    assert.equal(sample.provider, "espeak-ng");
    assert.equal(sample.speaker, "es+f3");
    assert.match(sample.text, /Hola/);
    assert.notEqual(sample.sampleId, first.sampleId);
    assert.ok(probe(local.localPath(voiceSampleKey(a.workspaceId, sample.sampleId)!)!).seconds > 1);
  });

  test("another workspace has its own samples: a's id names nothing in b, and b's cookie for a is not a's", async () => {
    assert.equal(await (await getStore()).head(voiceSampleKey(b.workspaceId, first.sampleId)!), null);
    // b sends a's workspace cookie: b is no member there, so b acts in its own workspace.
    const before = await samplesOf(a.workspaceId);
    const sample = await as(b.userId, a.workspaceId).videos.voiceSample({ voice: "en-us-male" });
    assert.equal(sample.cached, false);
    assert.deepEqual(await samplesOf(a.workspaceId), before);
    assert.equal((await samplesOf(b.workspaceId)).length, 1);
  });

  test("an unknown voice, an id that is not a sample's and a viewer are refused", async () => {
    assert.equal(await code(as(a.userId).videos.voiceSample({ voice: "robot" })), "BAD_REQUEST");
    assert.equal(voiceSampleKey(a.workspaceId, "../../secrets"), null);
    assert.equal(voiceSampleKey(a.workspaceId, first.sampleId.toUpperCase()), null);
    const viewer = await db.user.create({ data: { email: "samples-viewer@example.test" } });
    await db.membership.create({ data: { userId: viewer.id, workspaceId: a.workspaceId, role: "viewer" } });
    assert.equal(await code(as(viewer.id, a.workspaceId).videos.voiceSample({ voice: "en-us-male" })), "FORBIDDEN");
  });

  test(`past ${SAMPLES_PER_MINUTE} new samples a minute a workspace is refused, naming the limit; stored ones still play`, async () => {
    const c = await createOwner(db, "samples-c");
    const voices = VOICES.filter((v) => v.language !== "en" && v.language !== "ja").slice(0, SAMPLES_PER_MINUTE + 1);
    for (const voice of voices.slice(0, SAMPLES_PER_MINUTE)) assert.equal((await as(c.userId).videos.voiceSample({ voice: voice.id })).cached, false);
    const refused = await as(c.userId)
      .videos.voiceSample({ voice: voices.at(-1)!.id })
      .then(
        () => null,
        (error: Error & { code: string }) => error,
      );
    assert.equal(refused?.code, "TOO_MANY_REQUESTS");
    assert.match(refused!.message, /voice samples in the last minute.*Wait a minute/);
    assert.equal((await as(c.userId).videos.voiceSample({ voice: voices[0]!.id })).cached, true);
  });
});
