import assert from "node:assert/strict";
import { describe, test } from "node:test";

describe("storage keys", () => {
  test("the app refuses the same keys as the render worker", async () => {
    const { storagePath } = await import("../../../../server/storage/local.ts");
    assert.equal(storagePath("workspaces/w/videos/v/a.png", "/data"), "/data/workspaces/w/videos/v/a.png");
    for (const key of ["../x", "/etc/passwd", "a/../../b", "a//b", "http://x/y"]) assert.throws(() => storagePath(key, "/data"), /invalid storage key/);
  });
});
