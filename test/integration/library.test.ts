// The media library on the real database, store and FFmpeg: a picture, a video clip and audio
// each upload, get a thumbnail, are listed and found by tag; refusals (too large as declared
// and as streamed, a wrong type behind a right extension, a picture header claiming 60000×60000,
// a corrupt clip, audio that is not audio) name the reason and leave nothing in the store or
// the table; another workspace's item is not found by any door (tRPC, REST, file routes);
// deleting removes the objects; who may delete what.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { setTestEnv } from "../helpers/env.ts";
import { pngHeader } from "../helpers/images.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";
import { callerFactory, code } from "../helpers/trpc.ts";

setTestEnv({ LIBRARY_MAX_IMAGE_MB: "1", LIBRARY_MAX_VIDEO_MB: "2", LIBRARY_MAX_AUDIO_MB: "1" });
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb } = await import("../../server/db/client.ts");
const { addMediaItem, getMediaFileOrThrow, listMediaItems } = await import("../../server/library/service.ts");
const { getStore } = await import("../../server/storage/store.ts");
const { mediaResponse } = await import("../../server/videos/media.ts");
const rest = await import("../../server/api/rest/library.ts");
const { AppError } = await import("../../server/lib/errors.ts");

const db = getDb();
const as = await callerFactory(db);
const dir = mkdtempSync(path.join(os.tmpdir(), "aura-library-fixtures-"));
const ffmpeg = (...args: string[]) => execFileSync("ffmpeg", ["-v", "error", "-nostdin", "-y", ...args]);
const fixture = (name: string) => readFileSync(path.join(dir, name));

let a = { userId: "", workspaceId: "" };
let b = { userId: "", workspaceId: "" };
let keyA = "";
let keyB = "";

before(async () => {
  ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360", "-frames:v", "1", path.join(dir, "picture.png"));
  ffmpeg(
    "-f",
    "lavfi",
    "-i",
    "testsrc2=s=320x240:r=25:d=2",
    "-f",
    "lavfi",
    "-i",
    "sine=f=440:d=2",
    "-shortest",
    "-c:v",
    "libx264",
    "-pix_fmt",
    "yuv420p",
    "-c:a",
    "aac",
    path.join(dir, "clip.mp4"),
  );
  ffmpeg("-f", "lavfi", "-i", "testsrc2=s=320x240:r=25:d=2", "-c:v", "libx264", "-pix_fmt", "yuv420p", path.join(dir, "silent.mp4"));
  ffmpeg("-f", "lavfi", "-i", "sine=f=330:d=3", "-c:a", "libmp3lame", "-b:a", "64k", path.join(dir, "tune.mp3"));
  a = await createOwner(db, "library-a");
  b = await createOwner(db, "library-b");
  keyA = (await as(a.userId, a.workspaceId).automation.createApiKey({ name: "library", scopes: ["library:read", "library:write"] })).key;
  keyB = (await as(b.userId, b.workspaceId).automation.createApiKey({ name: "library", scopes: ["library:read", "library:write"] })).key;
});

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await db.$disconnect();
  await database.drop();
});

/** A body that hands over `bytes` in 64 KB chunks and counts what was pulled from it. */
function bodyOf(bytes: Buffer) {
  const seen = { pulled: 0, cancelled: false };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = bytes.subarray(seen.pulled, seen.pulled + 64 * 1024);
      if (!chunk.length) return controller.close();
      seen.pulled += chunk.length;
      controller.enqueue(new Uint8Array(chunk));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { body, seen };
}

const ctxOf = (who: { userId: string; workspaceId: string }) => ({ db, ...who });

function upload(who: { userId: string; workspaceId: string }, name: string, bytes: Buffer, declared: number | null = bytes.length) {
  return addMediaItem(ctxOf(who), { name, body: bodyOf(bytes).body, declaredBytes: declared });
}

const libraryKeys = async (workspaceId: string) => (await getStore()).list(`workspaces/${workspaceId}/library`);
const leftoverTempDirs = () => readdirSync(os.tmpdir()).filter((f) => f.startsWith("aura-library-") && !f.startsWith("aura-library-fixtures-")).length;

/** The refusal an upload gets, and proof that nothing of it was kept. */
async function refused(name: string, bytes: Buffer, declared: number | null = bytes.length) {
  const ws = await createOwner(db, `refused-${Math.random().toString(36).slice(2, 8)}`);
  const tempBefore = leftoverTempDirs();
  const error = await upload(ws, name, bytes, declared).then(
    () => assert.fail(`${name} was accepted`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof AppError, `${name}: ${String(error)}`);
  assert.doesNotMatch(error.message, new RegExp(os.tmpdir()), `${name}: the message names no server path`);
  assert.deepEqual(await libraryKeys(ws.workspaceId), [], `${name}: nothing in the store`);
  assert.equal(await db.mediaItem.count({ where: { workspaceId: ws.workspaceId } }), 0, `${name}: no row`);
  assert.equal(leftoverTempDirs(), tempBefore, `${name}: no temporary file left`);
  return { code: error.code, message: error.message };
}

const restCall = (
  handler: (r: Request, route?: { params: Promise<{ id: string }> }) => Promise<Response>,
  url: string,
  init: RequestInit & { key: string; id?: string; headers?: Record<string, string> },
) =>
  handler(
    new Request(`http://aura.test${url}`, { ...init, headers: { authorization: `Bearer ${init.key}`, ...init.headers }, duplex: "half" } as RequestInit),
    init.id ? { params: Promise.resolve({ id: init.id }) } : undefined,
  );

describe("media library", () => {
  test("a picture, a video clip and audio each upload with a thumbnail, are listed, and are found by tag", async () => {
    const picture = await upload(a, "Harbour at dawn.png", fixture("picture.png"));
    assert.deepEqual(
      [picture.kind, picture.mimeType, picture.width, picture.height, picture.durationSec, picture.hasAudio],
      ["image", "image/png", 640, 360, null, false],
    );
    const clip = await upload(a, "waves.mp4", fixture("clip.mp4"));
    assert.deepEqual([clip.kind, clip.mimeType, clip.width, clip.height, clip.hasAudio], ["video", "video/mp4", 320, 240, true]);
    assert.ok(Math.abs(clip.durationSec! - 2) < 0.2, `clip lasts ${clip.durationSec}`);
    const silent = await upload(a, "silent.mp4", fixture("silent.mp4"));
    assert.equal(silent.hasAudio, false);
    const tune = await upload(a, "tune.mp3", fixture("tune.mp3"));
    assert.deepEqual([tune.kind, tune.mimeType, tune.width, tune.hasAudio], ["audio", "audio/mpeg", null, true]);
    assert.ok(Math.abs(tune.durationSec! - 3) < 0.2, `tune lasts ${tune.durationSec}`);

    // Each item's original and thumbnail are in the store, under the workspace's prefix.
    const store = await getStore();
    for (const item of [picture, clip, tune]) {
      const original = await getMediaFileOrThrow(ctxOf(a), item.id, "original");
      assert.ok(original.storageKey.startsWith(`workspaces/${a.workspaceId}/library/`));
      assert.equal((await store.head(original.storageKey))?.bytes, item.bytes);
      const thumbnail = await getMediaFileOrThrow(ctxOf(a), item.id, "thumbnail");
      const jpeg = await store.getBuffer(thumbnail.storageKey);
      assert.deepEqual([...jpeg.subarray(0, 3)], [0xff, 0xd8, 0xff], `${item.name}: the thumbnail is a JPEG`);
      const size = execFileSync("ffprobe", ["-v", "error", "-show_entries", "stream=width,height", "-of", "csv=p=0", "-"], { input: jpeg }).toString().trim();
      const [w, h] = size.split(",").map(Number);
      assert.ok(w! <= 480 && h! <= 480 && w! > 0, `${item.name}: thumbnail ${size}`);
    }

    const caller = as(a.userId, a.workspaceId);
    await caller.library.update({ itemId: clip.id, tags: ["Ocean", "b-roll", "ocean"] });
    await caller.library.update({ itemId: tune.id, tags: ["calm music"], name: "Calm tune" });
    const all = await caller.library.list({});
    assert.equal(all.total, 4);
    assert.deepEqual(
      all.items.map((i) => i.name),
      ["Calm tune", "silent.mp4", "waves.mp4", "Harbour at dawn.png"],
      "newest first, renamed",
    );
    assert.deepEqual((await caller.library.get({ itemId: clip.id })).tags, ["ocean", "b-roll"], "tags are lower-cased, each once");
    // Found by a tag (any case, part of a word), by the name, by kind, and by both words at once.
    assert.deepEqual(
      (await caller.library.list({ q: "OCEAN" })).items.map((i) => i.id),
      [clip.id],
    );
    assert.deepEqual(
      (await caller.library.list({ q: "calm" })).items.map((i) => i.id),
      [tune.id],
    );
    assert.deepEqual(
      (await caller.library.list({ q: "harbour" })).items.map((i) => i.id),
      [picture.id],
    );
    assert.deepEqual(
      (await caller.library.list({ q: "b-roll waves" })).items.map((i) => i.id),
      [clip.id],
    );
    assert.deepEqual((await caller.library.list({ q: "ocean", kind: "audio" })).items, []);
    assert.deepEqual(
      (await caller.library.list({ kind: "video" })).items.map((i) => i.name),
      ["silent.mp4", "waves.mp4"],
    );
    assert.deepEqual((await caller.library.list({ q: "100%" })).items, [], "% is matched as itself");
    // Pages.
    const first = await caller.library.list({ pageSize: 3 });
    const second = await caller.library.list({ pageSize: 3, page: 2 });
    assert.deepEqual([first.items.length, second.items.length, second.total], [3, 1, 4]);
    assert.equal(new Set([...first.items, ...second.items].map((i) => i.id)).size, 4);
    // Bad input names its field.
    await assert.rejects(caller.library.update({ itemId: clip.id, tags: ["no/slashes"] }), /Tags use letters/);
    await assert.rejects(caller.library.update({ itemId: clip.id, name: "   " }), /name/i);
  });

  test("the file and the thumbnail are served to members, the file with Range", async () => {
    const clip = await upload(a, "range.mp4", fixture("clip.mp4"));
    const file = await getMediaFileOrThrow(ctxOf(a), clip.id, "original");
    const part = await mediaResponse(file, new Request("http://aura.test/x", { headers: { range: "bytes=0-99" } }));
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-type"), "video/mp4");
    assert.equal(part.headers.get("content-range"), `bytes 0-99/${clip.bytes}`);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), fixture("clip.mp4").subarray(0, 100));
  });

  test("too large, as declared and as streamed: refused with nothing stored, the stream stopped early", async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 1);
    const declared = await refused("huge.mp4", fixture("clip.mp4"), 3 * 1024 * 1024);
    assert.deepEqual(declared, { code: "PAYLOAD_TOO_LARGE", message: "file: huge.mp4 is larger than the 2 MB limit for video clips" });

    const ws = await createOwner(db, "streamed-big");
    const { body, seen } = bodyOf(big);
    await assert.rejects(addMediaItem(ctxOf(ws), { name: "huge.mp4", body, declaredBytes: null }), (e: Error) => {
      return e instanceof AppError && e.code === "PAYLOAD_TOO_LARGE" && /2 MB limit for video clips/.test(e.message);
    });
    assert.ok(seen.cancelled, "the body was cancelled");
    assert.ok(seen.pulled < big.length, `stopped after ${seen.pulled} of ${big.length} bytes`);
    assert.deepEqual(await libraryKeys(ws.workspaceId), []);
    assert.equal(await db.mediaItem.count({ where: { workspaceId: ws.workspaceId } }), 0);
    // A picture has its own, smaller limit.
    assert.match((await refused("big.png", Buffer.alloc(1024 * 1024 + 1, 0), null)).message, /1 MB limit for pictures/);
  });

  test("a wrong type behind a right extension, a picture bomb, a corrupt clip and audio that is not audio are refused, saying why", async () => {
    const text = Buffer.from("This is a text file, not a video.\n".repeat(20));
    assert.match((await refused("notes.mp4", text)).message, /^file: notes\.mp4: it is not a video file ffprobe can read/);
    assert.match((await refused("song.png", fixture("tune.mp3"))).message, /^file: song\.png: it is not a PNG, JPEG or WebP image$/);
    assert.match((await refused("clip.mp3", fixture("clip.mp4"))).message, /^file: clip\.mp3: it has a video stream/);
    assert.match((await refused("silent.m4a", fixture("silent.mp4"))).message, /^file: silent\.m4a: it has no audio stream$/);
    assert.match((await refused("notes.wav", text)).message, /^file: notes\.wav: it is not an audio file ffprobe can read/);
    assert.match((await refused("picture.mp3", fixture("picture.png"))).message, /^file: picture\.mp3: /);
    assert.match((await refused("tune.mov", fixture("tune.mp3"))).message, /^file: tune\.mov: it has no video stream$/);
    assert.match((await refused("notes.txt", text)).message, /^file: notes\.txt: only pictures \(\.png, \.jpg, \.jpeg, \.webp\), video clips/);
    assert.equal((await refused("empty.png", Buffer.alloc(0))).message, "file: empty.png: the file is empty");

    // A small PNG whose header claims 60000×60000 pixels: refused from its header, never decoded.
    const bomb = pngHeader(60000, 60000);
    const started = Date.now();
    assert.match((await refused("bomb.png", bomb)).message, /^file: bomb\.png: it is 60000×60000, more pixels than allowed/);
    assert.ok(Date.now() - started < 5000);

    // A clip whose container is whole but whose pictures are garbage.
    const corrupt = Buffer.from(fixture("silent.mp4"));
    const mdat = corrupt.indexOf("mdat");
    for (let i = mdat + 64; i < corrupt.length - 2048; i++) corrupt[i] = (i * 151) & 0xff;
    assert.match((await refused("corrupt.mp4", corrupt)).message, /^file: corrupt\.mp4: (its pictures cannot be decoded|it is not a video file)/);
    // A clip cut short (its index is at the end, as FFmpeg writes it by default).
    const cut = fixture("clip.mp4").subarray(0, 4000);
    assert.match((await refused("cut.mp4", cut)).message, /^file: cut\.mp4: it is not a video file ffprobe can read/);
    // A picture whose header is right and whose body is garbage cannot be made a thumbnail.
    const png = Buffer.from(fixture("picture.png"));
    for (let i = 60; i < png.length - 20; i++) png[i] = (i * 31) & 0xff;
    assert.match((await refused("garbled.png", png)).message, /^file: garbled\.png: no thumbnail can be made from it/);
  });

  test("the library quota (QUOTA_LIBRARY_MB) refuses a file that does not fit", async () => {
    const ws = await createOwner(db, "library-quota");
    const { getEnv } = await import("../../server/env.ts");
    const env = getEnv() as { QUOTA_LIBRARY_MB: number };
    const saved = env.QUOTA_LIBRARY_MB;
    env.QUOTA_LIBRARY_MB = 0.01;
    try {
      await assert.rejects(
        upload(ws, "tune.mp3", fixture("tune.mp3")),
        (e: Error) => e instanceof AppError && e.code === "TOO_MANY_REQUESTS" && /media library/.test(e.message),
      );
      assert.deepEqual(await libraryKeys(ws.workspaceId), []);
      assert.equal(await db.mediaItem.count({ where: { workspaceId: ws.workspaceId } }), 0);
    } finally {
      env.QUOTA_LIBRARY_MB = saved;
    }
  });

  test("another workspace's item is not found by any door, and nothing changes", async () => {
    const item = await upload(a, "private.png", fixture("picture.png"));
    await as(a.userId, a.workspaceId).library.update({ itemId: item.id, tags: ["secret"] });
    const outsider = as(b.userId, b.workspaceId);
    assert.equal(await code(outsider.library.get({ itemId: item.id })), "NOT_FOUND");
    assert.equal(await code(outsider.library.update({ itemId: item.id, name: "mine now" })), "NOT_FOUND");
    assert.equal(await code(outsider.library.update({ itemId: item.id, tags: ["stolen"] })), "NOT_FOUND");
    assert.equal(await code(outsider.library.remove({ itemId: item.id })), "NOT_FOUND");
    assert.equal((await outsider.library.list({ q: "secret" })).total, 0);
    await assert.rejects(getMediaFileOrThrow(ctxOf(b), item.id, "original"), /media item not found/);
    await assert.rejects(getMediaFileOrThrow(ctxOf(b), item.id, "thumbnail"), /media item not found/);
    // The REST API, with workspace B's key.
    for (const [handler, method, url] of [
      [rest.getMediaRoute, "GET", ""],
      [rest.updateMediaRoute, "PATCH", ""],
      [rest.removeMediaRoute, "DELETE", ""],
      [rest.mediaFileRoute, "GET", "/file"],
      [rest.mediaThumbnailRoute, "GET", "/thumbnail"],
    ] as const) {
      const response = await restCall(handler, `/api/v1/library/${item.id}${url}`, {
        method,
        key: keyB,
        id: item.id,
        ...(method === "PATCH" ? { body: JSON.stringify({ name: "x" }), headers: { "content-type": "application/json" } } : {}),
      });
      assert.equal(response.status, 404, `${method} ${url}`);
    }
    const still = await as(a.userId, a.workspaceId).library.get({ itemId: item.id });
    assert.deepEqual([still.name, still.tags], ["private.png", ["secret"]]);
    const kept = await getMediaFileOrThrow(ctxOf(a), item.id, "original");
    assert.ok(await (await getStore()).head(kept.storageKey), "the file is still there");
  });

  test("delete removes the row and both objects; members delete their own, admins anyone's", async () => {
    const team = await db.workspace.create({ data: { name: "crew", slug: "library-crew" } });
    const member = async (role: "owner" | "admin" | "editor" | "viewer") => {
      const user = await db.user.create({ data: { email: `library-${role}@example.test` } });
      await db.membership.create({ data: { workspaceId: team.id, userId: user.id, role } });
      return { userId: user.id, workspaceId: team.id };
    };
    const [owner, admin, editor, viewer] = [await member("owner"), await member("admin"), await member("editor"), await member("viewer")];
    const ownersItem = await upload(owner, "owner.png", fixture("picture.png"));
    const editorsItem = await upload(editor, "editor.png", fixture("picture.png"));
    const keys = async (id: string) => {
      const f = await getMediaFileOrThrow(ctxOf(owner), id, "original");
      const t = await getMediaFileOrThrow(ctxOf(owner), id, "thumbnail");
      return [f.storageKey, t.storageKey];
    };
    const ownersKeys = await keys(ownersItem.id);

    assert.equal(await code(as(viewer.userId, team.id).library.update({ itemId: ownersItem.id, tags: ["x"] })), "FORBIDDEN");
    assert.equal(await code(as(viewer.userId, team.id).library.remove({ itemId: editorsItem.id })), "FORBIDDEN");
    assert.equal((await as(viewer.userId, team.id).library.list({})).total, 2, "viewers see the library");
    assert.equal(await code(as(editor.userId, team.id).library.update({ itemId: ownersItem.id, tags: ["team"] })), "OK", "editors tag anyone's item");
    await assert.rejects(as(editor.userId, team.id).library.remove({ itemId: ownersItem.id }), /may delete only the media you added/);
    assert.equal(await db.mediaItem.count({ where: { id: ownersItem.id } }), 1);

    assert.deepEqual(await as(editor.userId, team.id).library.remove({ itemId: editorsItem.id }), { removed: true });
    assert.deepEqual(await as(admin.userId, team.id).library.remove({ itemId: ownersItem.id }), { removed: true });
    assert.equal(await db.mediaItem.count({ where: { workspaceId: team.id } }), 0);
    assert.deepEqual(await libraryKeys(team.id), [], "originals and thumbnails are gone");
    const store = await getStore();
    for (const key of ownersKeys) assert.equal(await store.head(key), null);
    assert.equal(await code(as(admin.userId, team.id).library.get({ itemId: ownersItem.id })), "NOT_FOUND");
    assert.equal(await db.auditLog.count({ where: { workspaceId: team.id, action: "media.deleted" } }), 2);
  });

  test("the REST API uploads, lists, changes, serves and deletes", async () => {
    const clip = fixture("clip.mp4");
    const created = await restCall(rest.uploadMediaRoute, "/api/v1/library?name=sea.mp4", {
      method: "POST",
      key: keyA,
      body: clip,
      headers: { "content-type": "video/mp4", "content-length": String(clip.length) },
    });
    assert.equal(created.status, 201);
    const item = (await created.json()) as { id: string; kind: string; links: { self: string; file: string; thumbnail: string }; createdAt: string };
    assert.equal(item.kind, "video");
    assert.equal(item.links.file, `/api/v1/library/${item.id}/file`);
    assert.equal(created.headers.get("location"), item.links.self);

    const patched = await restCall(rest.updateMediaRoute, item.links.self, {
      method: "PATCH",
      key: keyA,
      id: item.id,
      body: JSON.stringify({ tags: ["Sea", "waves"] }),
      headers: { "content-type": "application/json" },
    });
    assert.deepEqual(((await patched.json()) as { tags: string[] }).tags, ["sea", "waves"]);
    const bad = await restCall(rest.updateMediaRoute, item.links.self, {
      method: "PATCH",
      key: keyA,
      id: item.id,
      body: JSON.stringify({ tags: "sea" }),
      headers: { "content-type": "application/json" },
    });
    assert.equal(bad.status, 400);
    assert.ok(((await bad.json()) as { fields: Record<string, string> }).fields.tags);

    const list = (await (await restCall(rest.listMediaRoute, "/api/v1/library?q=SEA&kind=video", { key: keyA })).json()) as {
      items: { id: string }[];
      total: number;
    };
    assert.deepEqual(
      list.items.map((i) => i.id),
      [item.id],
    );
    const badKind = await restCall(rest.listMediaRoute, "/api/v1/library?kind=font", { key: keyA });
    assert.equal(badKind.status, 400);
    assert.match(((await badKind.json()) as { error: string }).error, /^kind: /);

    const part = await restCall(rest.mediaFileRoute, item.links.file, { key: keyA, id: item.id, headers: { range: "bytes=10-19" } });
    assert.equal(part.status, 206);
    assert.deepEqual(Buffer.from(await part.arrayBuffer()), clip.subarray(10, 20));
    const thumb = await restCall(rest.mediaThumbnailRoute, item.links.thumbnail, { key: keyA, id: item.id });
    assert.equal(thumb.headers.get("content-type"), "image/jpeg");

    const refusedUpload = await restCall(rest.uploadMediaRoute, "/api/v1/library?name=notes.mp4", { method: "POST", key: keyA, body: "just text, not a clip" });
    assert.equal(refusedUpload.status, 400);
    assert.match(((await refusedUpload.json()) as { error: string }).error, /^file: notes\.mp4: it is not a video file/);
    const tooBig = await restCall(rest.uploadMediaRoute, "/api/v1/library?name=big.mp4", {
      method: "POST",
      key: keyA,
      body: Buffer.alloc(3 * 1024 * 1024),
    });
    assert.equal(tooBig.status, 413);

    const videosOnly = (await as(a.userId, a.workspaceId).automation.createApiKey({ name: "videos", scopes: ["videos:read"] })).key;
    assert.equal((await restCall(rest.listMediaRoute, "/api/v1/library", { key: videosOnly })).status, 403, "a key needs the library scope");

    const removed = await restCall(rest.removeMediaRoute, item.links.self, { method: "DELETE", key: keyA, id: item.id });
    assert.deepEqual(await removed.json(), { removed: true });
    assert.equal((await restCall(rest.getMediaRoute, item.links.self, { key: keyA, id: item.id })).status, 404);
    assert.equal((await listMediaItems(ctxOf(a), { q: "sea" })).total, 0);
  });
});
