// The store's contract, run on both drivers: the local directory, and the S3 driver against a
// real S3-compatible server (s3rver) on loopback. Then the S3 store's faults: an unreachable
// endpoint, refused credentials, a missing bucket, and 503 answers in the middle of an upload.
import assert from "node:assert/strict";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { LocalStore, openStore, storeEnvSchema, StoreError, type ObjectStore } from "../src/index.ts";
import { S3Store } from "../src/s3.ts";
import { S3RVER_CREDENTIALS, startS3Server } from "./s3-server.ts";

const scratch = () => mkdtempSync(path.join(os.tmpdir(), "aura-store-test-"));
let s3: Awaited<ReturnType<typeof startS3Server>>;

before(async () => {
  s3 = await startS3Server({ buckets: ["aura", "other"] });
});
after(async () => {
  await s3.stop();
});

const s3Store = (overrides: Partial<ConstructorParameters<typeof S3Store>[0]> = {}) =>
  new S3Store({
    bucket: "aura",
    region: "us-east-1",
    endpoint: s3.endpoint,
    forcePathStyle: true,
    ...S3RVER_CREDENTIALS,
    partSizeBytes: 5 * 1024 * 1024,
    ...overrides,
  });

const drivers: [string, () => Promise<ObjectStore>][] = [
  ["local", async () => new LocalStore(scratch())],
  ["s3", async () => s3Store({ prefix: `run-${randomBytes(3).toString("hex")}` })],
];

for (const [name, make] of drivers) {
  describe(`${name} store`, () => {
    test("put, get, head, ranged read, list, delete and delete by prefix", async () => {
      const store = await make();
      const data = Buffer.from("0123456789abcdef");
      const stored = await store.put("workspaces/w1/videos/v1/a.bin", data, { contentType: "application/octet-stream" });
      assert.equal(stored.bytes, 16);
      assert.equal(stored.sha256, createHash("sha256").update(data).digest("hex"));
      assert.deepEqual(await store.getBuffer("workspaces/w1/videos/v1/a.bin"), data);
      assert.equal((await store.head("workspaces/w1/videos/v1/a.bin"))?.bytes, 16);
      assert.equal(await store.head("workspaces/w1/videos/v1/missing.bin"), null);
      assert.equal(await store.read("workspaces/w1/videos/v1/missing.bin"), null);
      const part = await store.read("workspaces/w1/videos/v1/a.bin", { start: 4, end: 9 });
      const chunks: Buffer[] = [];
      for await (const c of part!.body) chunks.push(c as Buffer);
      assert.equal(Buffer.concat(chunks).toString(), "456789");
      assert.equal(part!.info.bytes, 16, "the size is the whole object's");
      await store.put("workspaces/w1/videos/v1/b/c.json", Buffer.from("{}"));
      await store.put("workspaces/w2/x.txt", Buffer.from("x"));
      assert.deepEqual(await store.list("workspaces/w1"), ["workspaces/w1/videos/v1/a.bin", "workspaces/w1/videos/v1/b/c.json"]);
      const modified = await store.listModified("workspaces/w1");
      assert.deepEqual(
        modified.map((o) => o.key),
        ["workspaces/w1/videos/v1/a.bin", "workspaces/w1/videos/v1/b/c.json"],
      );
      assert.ok(
        modified.every((o) => Math.abs(Date.now() - o.modifiedAt.getTime()) < 60_000),
        "with when each was written",
      );
      await store.delete("workspaces/w1/videos/v1/a.bin");
      await store.delete("workspaces/w1/videos/v1/a.bin");
      assert.equal(await store.head("workspaces/w1/videos/v1/a.bin"), null);
      assert.equal(await store.deletePrefix("workspaces/w1/"), 1);
      assert.deepEqual(await store.list("workspaces/w1"), []);
      assert.deepEqual(await store.list("workspaces/w2"), ["workspaces/w2/x.txt"], "another prefix is untouched");
      await assert.rejects(store.getBuffer("workspaces/w1/gone"), /no object workspaces\/w1\/gone in storage/);
    });

    // Local: the write is a rename, so a reader never sees part of it. S3 makes an object
    // visible when its upload completes; s3rver, the test server, writes in place, so on S3
    // this checks the bytes, and Aura itself never finds an object by its key before the
    // writer says it is complete (asset rows, step outputs, the segment cache's commit record).
    test("a 12 MB file goes in whole (in parts on S3) and its local file is gone", async () => {
      const store = await make();
      const dir = scratch();
      const file = path.join(dir, "video.mp4");
      const data = randomBytes(12 * 1024 * 1024);
      writeFileSync(file, data);
      const seen = new Set<number | null>();
      let done = false;
      const watching = (async () => {
        while (!done) {
          seen.add((await store.head("renders/video.mp4"))?.bytes ?? null);
          await new Promise((r) => setTimeout(r, 5));
        }
      })();
      await store.putFile("renders/video.mp4", file, { contentType: "video/mp4" });
      done = true;
      await watching;
      if (name === "local")
        assert.ok(
          [...seen].every((s) => s === null || s === data.length),
          `sizes seen while writing: ${[...seen].join(", ")}`,
        );
      assert.equal(existsSync(file), false);
      const copy = path.join(dir, "copy.mp4");
      await store.download("renders/video.mp4", copy);
      assert.ok(readFileSync(copy).equals(data));
      assert.equal((await store.list("renders")).length, 1, "no staging object or part is left");
    });

    test("keys that are URLs, absolute paths or climb out are refused", async () => {
      const store = await make();
      for (const key of ["../etc/passwd", "/etc/passwd", "a/../../b", "http://169.254.169.254/x", "a//b", ""]) {
        await assert.rejects(store.put(key, Buffer.from("x")), /invalid storage key/, key);
      }
    });
  });
}

describe("S3 specifics", () => {
  test("a presigned GET serves the object (and a download name) without credentials; the local store has none", async () => {
    const store = s3Store();
    await store.put("shared/poster.jpg", Buffer.from("JPEGDATA"));
    const url = await store.presignGet("shared/poster.jpg", { expiresSec: 60, contentType: "image/jpeg", downloadName: 'my "poster".jpg' });
    const res = await fetch(url!);
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "JPEGDATA");
    assert.equal(await new LocalStore(scratch()).presignGet(), null);
  });

  test("settings: the driver is local by default; s3 needs a bucket, and the keys come in pairs", () => {
    assert.equal(storeEnvSchema.parse({}).STORAGE_BACKEND, "local");
    const refused = (env: object) => storeEnvSchema.safeParse(env).error?.issues.map((i) => i.message);
    assert.deepEqual(refused({ STORAGE_BACKEND: "s3" }), ["S3_BUCKET is required when STORAGE_BACKEND=s3"]);
    assert.deepEqual(refused({ STORAGE_BACKEND: "s3", S3_BUCKET: "aura", S3_ACCESS_KEY_ID: "k" }), [
      "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are set together",
    ]);
    assert.deepEqual(refused({ STORAGE_BACKEND: "s3", S3_BUCKET: "aura", S3_ENDPOINT: "not a url" }), [
      "S3_ENDPOINT must be a URL such as http://127.0.0.1:9000",
    ]);
  });

  test("faults name the store and the reason: unreachable, refused credentials, no such bucket", async () => {
    const unreachable = await openStore(storeEnvSchema.parse({ ...s3.env(), S3_ENDPOINT: "http://127.0.0.1:9" }), "/unused");
    await assert.rejects(
      unreachable.check(),
      (e: StoreError) =>
        e instanceof StoreError &&
        e.retriable &&
        /S3 bucket aura at http:\/\/127\.0\.0\.1:9.*the store cannot be reached \(S3_ENDPOINT\): ECONNREFUSED/.test(e.message),
    );
    const wrongKey = s3Store({ accessKeyId: "WRONG", secretAccessKey: "WRONG" });
    await assert.rejects(wrongKey.put("x.txt", Buffer.from("x")), (e: StoreError) => !e.retriable && /refused the credentials/.test(e.message));
    const noBucket = s3Store({ bucket: "no-such-bucket" });
    await assert.rejects(noBucket.put("x.txt", Buffer.from("x")), (e: StoreError) => /no-such-bucket/.test(e.message));
  });

  test("503 answers in the middle of a multipart upload are retried: the object arrives whole", async () => {
    // A proxy in front of s3rver that answers the first two part uploads with 503 Slow Down.
    let refused = 0;
    const proxy = http.createServer((req, res) => {
      if (req.method === "PUT" && /partNumber=2/.test(req.url ?? "") && refused < 2) {
        refused++;
        req.resume();
        res
          .writeHead(503, { "content-type": "application/xml" })
          .end("<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>");
        return;
      }
      const upstream = http.request(`${s3.endpoint}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
    try {
      const store = s3Store({ endpoint: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}` });
      const file = path.join(scratch(), "big.bin");
      const data = randomBytes(11 * 1024 * 1024);
      writeFileSync(file, data);
      await store.putFile("retry/big.bin", file);
      assert.equal(refused, 2, "the store refused twice");
      assert.ok((await s3Store().getBuffer("retry/big.bin")).equals(data));
    } finally {
      await new Promise((r) => proxy.close(r));
    }
  });
});
