import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseRange } from "../../../../server/videos/media.ts";

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
