import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { briefSchema, fieldErrors } from "../../../../server/videos/brief.ts";

describe("brief validation", () => {
  test("errors name the field", () => {
    const r = briefSchema.safeParse({ topic: "", audience: "x", tone: "angry", targetLengthSec: 5, aspectRatio: "4:3", voice: "robot", visualStyle: "modern" });
    assert.equal(r.success, false);
    const errors = fieldErrors(r.error!);
    assert.equal(errors.topic, "Topic must be at least 3 characters");
    assert.equal(errors.targetLengthSec, "Target length must be at least 15 seconds");
    assert.match(errors.tone!, /^Tone must be one of/);
    assert.match(errors.aspectRatio!, /^Aspect ratio must be one of/);
    assert.equal(errors.voice, "Voice must be one of the listed voices");
  });
});
