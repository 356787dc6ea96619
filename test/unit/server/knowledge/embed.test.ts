import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { cosine } from "../../../../server/knowledge/embed.ts";

describe("reference documents", () => {
  test("cosine similarity", () => {
    assert.equal(cosine([1, 0], [1, 0]), 1);
    assert.equal(cosine([1, 0], [0, 1]), 0);
    assert.equal(cosine([0, 0], [1, 1]), 0);
  });
});
