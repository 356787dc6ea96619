import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { mediaResponse, parseRange } from "../../../../server/videos/media.ts";
import { setTestEnv } from "../../../helpers/env.ts";

describe("Range header", () => {
  test("parses single ranges and rejects unsatisfiable ones", () => {
    assert.equal(parseRange(null, 100), null);
    assert.deepEqual(parseRange("bytes=0-9", 100), { start: 0, end: 9 });
    assert.deepEqual(parseRange("bytes=90-", 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange("bytes=-10", 100), { start: 90, end: 99 });
    assert.deepEqual(parseRange("bytes=50-500", 100), { start: 50, end: 99 });
    assert.equal(parseRange("bytes=100-", 100), "invalid");
    assert.equal(parseRange("bytes=5-2", 100), "invalid");
    assert.equal(parseRange("items=0-1", 100), "invalid");
  });
});

describe("media responses", () => {
  test("caption files are served as UTF-8 text; video keeps its own type", async () => {
    const env = setTestEnv({ DATABASE_URL: "postgresql://unused@127.0.0.1:9/none" });
    const key = "workspaces/w/videos/v/output/j.vtt";
    mkdirSync(path.dirname(path.join(env.STORAGE_DIR, key)), { recursive: true });
    writeFileSync(path.join(env.STORAGE_DIR, key), "WEBVTT\n\n00:00.000 --> 00:01.000\nçà va ✓\n");
    const get = (mimeType: string) => mediaResponse({ storageKey: key, mimeType }, new Request("http://aura.test/x"));
    assert.equal((await get("text/vtt")).headers.get("content-type"), "text/vtt; charset=utf-8");
    assert.equal((await get("application/x-subrip")).headers.get("content-type"), "application/x-subrip; charset=utf-8");
    assert.equal((await get("video/mp4")).headers.get("content-type"), "video/mp4");
  });
});
