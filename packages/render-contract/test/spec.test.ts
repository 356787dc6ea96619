import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderSpecSchema } from "@aura/render-contract";
import { base } from "./fixtures.ts";

describe("spec validation", () => {
  test("refuses storage keys that leave storage or look like URLs", () => {
    for (const key of ["../etc/passwd", "/etc/passwd", "a/../../b", "http://evil/x.png", "a//b"]) {
      const r = renderSpecSchema.safeParse({ ...base, scenes: [{ ...base.scenes[0], image: key }] });
      assert.equal(r.success, false, key);
      assert.deepEqual(r.error!.issues[0]!.path, ["scenes", 0, "image"]);
    }
  });
  test("a scene must outlast the transition", () => {
    const r = renderSpecSchema.safeParse({ ...base, scenes: [{ ...base.scenes[0], duration: 0.4 }, base.scenes[1]] });
    assert.equal(r.success, false);
    assert.deepEqual(r.error!.issues[0]!.path, ["scenes", 0, "duration"]);
  });
});
