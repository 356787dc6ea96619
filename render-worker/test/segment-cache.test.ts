// The segment cache in front of a shared store: a segment is reused from the store only with
// its commit record and the bytes that record names; one still being written, or cut short, is
// a miss (rendered again), never a broken video. The quality detectors' marks travel with it.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { LocalStore } from "@aura/object-store";
import { SHARED_SEGMENT_PREFIX } from "@aura/render-contract";
import { SegmentCache } from "../src/renders/segment-cache.ts";

const dir = () => mkdtempSync(path.join(os.tmpdir(), "aura-segcache-"));

test("a segment one worker put in the shared store is reused by another; a partial or unrecorded one is a miss", async () => {
  const shared = new LocalStore(dir());
  const a = new SegmentCache(dir(), 1 << 30, shared);
  const b = new SegmentCache(dir(), 1 << 30, shared);
  await Promise.all([a.open(), b.open()]);
  const bytes = randomBytes(200_000);
  const rendered = path.join(dir(), "segment.mp4");
  writeFileSync(rendered, bytes);
  const marks = { version: 1 as const, blacks: [{ start: 0, end: 1.2 }], freezes: [], edges: { first: "AAAA", last: "BBBB" } };
  await a.put(rendered, a.fileFor("k1"), marks);
  assert.deepEqual(await a.marks(a.fileFor("k1")), marks);
  assert.ok(await shared.head(`${SHARED_SEGMENT_PREFIX}/k1.mp4`));
  assert.equal(await b.marks(b.fileFor("k1")), null, "not fetched yet");
  assert.equal(await b.reuse(b.fileFor("k1")), true);
  assert.ok(readFileSync(b.fileFor("k1")).equals(bytes), "the other worker has the same bytes");
  assert.deepEqual(await b.marks(b.fileFor("k1")), marks, "and the same marks, from the commit record");

  // Being written (no commit record yet) or cut short (fewer bytes than recorded): a miss.
  await shared.put(`${SHARED_SEGMENT_PREFIX}/k2.mp4`, bytes);
  assert.equal(await b.reuse(b.fileFor("k2")), false);
  await shared.put(`${SHARED_SEGMENT_PREFIX}/k3.mp4`, bytes.subarray(0, 1000));
  await shared.put(`${SHARED_SEGMENT_PREFIX}/k3.mp4.json`, Buffer.from(JSON.stringify({ bytes: bytes.length, sha256: "0".repeat(64) })));
  assert.equal(await b.reuse(b.fileFor("k3")), false);
  assert.equal(existsSync(b.fileFor("k3")), false, "nothing half-fetched is left as a cache entry");
  assert.equal(await b.reuse(b.fileFor("missing")), false);
});
