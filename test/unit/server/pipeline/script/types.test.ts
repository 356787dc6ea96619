// A shortened script's record after its length changes (server/pipeline/script/types.ts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { reshortened, shortenedNotice } from "../../../../../server/pipeline/script/types.ts";

const thin = { targetSec: 60, plannedSec: 17, reason: "the brief gave enough material for about 17 s" };

describe("reshortened", () => {
  test("follows the new length while the script stays well short of its target", () => {
    const after = reshortened(thin, 31.4, "the edited script runs about 31 s");
    assert.deepEqual(after, { targetSec: 60, plannedSec: 31, reason: "the edited script runs about 31 s" });
    assert.match(shortenedNotice(after!), /^This video is about 31 s, not the 60 s asked for: the edited script runs about 31 s\./);
    // Without a new reason, the writer's stays.
    assert.equal(reshortened(thin, 18)!.reason, thin.reason);
  });

  test("goes once the script comes near its target (80% or more), and never appears from nothing", () => {
    assert.equal(reshortened(thin, 48), undefined);
    assert.equal(reshortened(thin, 47.4)?.plannedSec, 47);
    assert.equal(reshortened(undefined, 10, "anything"), undefined);
  });
});
