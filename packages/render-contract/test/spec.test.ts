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

describe("shots", () => {
  const shot = (extra: object) => ({ ...base.scenes[1], ...extra });
  test("a shot shows an image or a clip, exactly one", () => {
    const both = renderSpecSchema.safeParse({ ...base, scenes: [base.scenes[0], shot({ clip: { key: "a/clip.mp4" } })] });
    assert.equal(both.success, false);
    assert.deepEqual(both.error!.issues[0]!.path, ["scenes", 1, "image"]);
    const neither = renderSpecSchema.safeParse({ ...base, scenes: [base.scenes[0], shot({ image: undefined })] });
    assert.equal(neither.success, false);
    assert.deepEqual(neither.error!.issues[0]!.path, ["scenes", 1, "image"]);
    const clip = renderSpecSchema.parse({ ...base, scenes: [base.scenes[0], shot({ image: undefined, clip: { key: "a/clip.mp4", start: 2 } })] });
    assert.deepEqual(clip.scenes[1]!.clip, { key: "a/clip.mp4", start: 2, volumeDb: null, fit: "crop" });
  });
  test("a clip's key is a storage key, never a path or URL", () => {
    const r = renderSpecSchema.safeParse({ ...base, scenes: [base.scenes[0], shot({ image: undefined, clip: { key: "https://evil/x.mp4" } })] });
    assert.equal(r.success, false);
    assert.deepEqual(r.error!.issues[0]!.path, ["scenes", 1, "clip", "key"]);
  });
  test("the first shot cannot continue a scene", () => {
    const r = renderSpecSchema.safeParse({ ...base, scenes: [{ ...base.scenes[0], continues: true }, base.scenes[1]] });
    assert.equal(r.success, false);
    assert.deepEqual(r.error!.issues[0]!.path, ["scenes", 0, "continues"]);
  });
});

describe("music", () => {
  test("generated music takes an optional seed: specs without one still parse; an empty or huge one is refused", () => {
    assert.deepEqual(renderSpecSchema.parse(base).music?.source, { kind: "generated", mood: "calm" });
    const seeded = { ...base, music: { source: { kind: "generated", mood: "dark", seed: "cm0video1" } } };
    assert.deepEqual(renderSpecSchema.parse(seeded).music?.source, { kind: "generated", mood: "dark", seed: "cm0video1" });
    for (const seed of ["", "x".repeat(201)]) {
      const r = renderSpecSchema.safeParse({ ...base, music: { source: { kind: "generated", mood: "dark", seed } } });
      assert.equal(r.success, false);
      assert.deepEqual(r.error!.issues[0]!.path, ["music", "source", "seed"]);
    }
  });
});
