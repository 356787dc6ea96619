import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { foldJobEvents } from "../../app/_components/job-state.ts";
import { wavDurationSec } from "../../server/providers/tts/wav.ts";
import { buildCardSvg, renderCardPng, wrapLines } from "../../server/pipeline/visuals/card.ts";
import { overallProgress } from "../../server/workflow/stages.ts";
import { briefSchema, fieldErrors } from "../../server/videos/brief.ts";
import { parseRange } from "../../server/videos/media.ts";

describe("WAV duration", () => {
  function wav(dataBytes: number, declared: number) {
    const b = Buffer.alloc(44 + dataBytes);
    b.write("RIFF", 0);
    b.write("WAVE", 8);
    b.write("fmt ", 12);
    b.writeUInt32LE(16, 16);
    b.writeUInt32LE(44100, 28); // byte rate: 22050 Hz, 16-bit mono
    b.write("data", 36);
    b.writeUInt32LE(declared, 40);
    return b;
  }
  test("reads the data size, or the file length when a pipe left it unset", () => {
    assert.equal(wavDurationSec(wav(88200, 88200)), 2);
    assert.equal(wavDurationSec(wav(44100, 0xffffffff)), 1);
    assert.throws(() => wavDurationSec(Buffer.from("not a wav file at all, definitely not")));
  });
});

describe("visual cards", () => {
  test("user text is escaped in the SVG", () => {
    const svg = buildCardSvg({ title: `<script>alert("x")</script> & more`, label: "L", index: 0, total: 3, style: "bold", width: 1920, height: 1080 });
    assert.ok(!svg.includes("<script>"));
    assert.ok(svg.includes("&lt;script&gt;"));
  });
  test("the PNG has the requested size for every aspect ratio", () => {
    for (const [w, h] of [[1920, 1080], [1080, 1920], [1080, 1080]] as const) {
      const { png, width, height } = renderCardPng({ title: "A title", label: "L", index: 1, total: 3, style: "warm", width: w, height: h });
      assert.equal(png.readUInt32BE(16), w);
      assert.equal(png.readUInt32BE(20), h);
      assert.deepEqual([width, height], [w, h]);
    }
  });
  test("long titles wrap and are cut with an ellipsis", () => {
    const lines = wrapLines("word ".repeat(60), 80, 1500, 3);
    assert.equal(lines.length, 3);
    assert.ok(lines[2]!.endsWith("…"));
  });
});

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

describe("job progress", () => {
  const ev = (id: number, type: string, payload: Record<string, unknown> = {}) => ({ id: String(id), type, payload, createdAt: new Date(1700000000000 + id * 1000).toISOString() });
  test("stages fold from events; a repeated event counts once", () => {
    const events = [
      ev(1, "job.queued", { progress: 0 }),
      ev(2, "job.started"),
      ev(3, "step.started", { stage: "script", stepId: "script" }),
      ev(4, "step.succeeded", { stage: "script", stepId: "script", progress: 5, output: { sceneCount: 2 } }),
      ev(5, "step.started", { stage: "narration", stepId: "narration-1" }),
      ev(6, "step.succeeded", { stage: "narration", stepId: "narration-1", progress: 12 }),
      ev(6, "step.succeeded", { stage: "narration", stepId: "narration-1", progress: 12 }),
    ];
    const view = foldJobEvents(events);
    assert.equal(view.status, "running");
    assert.equal(view.progress, 12);
    assert.equal(view.stages.find((s) => s.id === "script")!.state, "done");
    const narration = view.stages.find((s) => s.id === "narration")!;
    assert.deepEqual([narration.state, narration.done, narration.expected], ["running", 1, 2]);
    const failed = foldJobEvents([...events, ev(7, "job.failed", { error: { stage: "narration", provider: "espeak-ng", reason: "boom" } })]);
    assert.equal(failed.status, "failed");
    assert.equal(failed.stages.find((s) => s.id === "narration")!.state, "failed");
    assert.equal(failed.error!.provider, "espeak-ng");
  });
  test("the review gate: waiting, then resumed; a brief without review skips the stage; an expiry says why", () => {
    const upToScript = [ev(1, "job.started"), ev(2, "step.started", { stage: "script", stepId: "script" }), ev(3, "step.succeeded", { stage: "script", stepId: "script", output: { sceneCount: 1 } })];
    const waiting = foldJobEvents([...upToScript, ev(4, "job.waiting", { stepId: "script-review", message: "waiting for the script to be reviewed" })]);
    assert.equal(waiting.status, "waiting");
    assert.equal(waiting.note, "waiting for the script to be reviewed");
    assert.equal(waiting.stages.find((s) => s.id === "review")!.state, "waiting");
    const resumed = foldJobEvents([...upToScript, ev(4, "job.waiting", { stepId: "script-review" }), ev(5, "job.resumed"), ev(6, "step.started", { stage: "narration", stepId: "narration-1" })]);
    assert.equal(resumed.status, "running");
    assert.equal(resumed.stages.find((s) => s.id === "review")!.state, "done");
    const expired = foldJobEvents([...upToScript, ev(4, "job.waiting", { stepId: "script-review" }), ev(5, "job.expired", { message: "the script was not reviewed within 72 hours" })]);
    assert.deepEqual([expired.status, expired.note, expired.stages.find((s) => s.id === "review")!.state], ["expired", "the script was not reviewed within 72 hours", "cancelled"]);
    const noReview = foldJobEvents([...upToScript, ev(4, "step.started", { stage: "narration", stepId: "narration-1" })]);
    assert.equal(noReview.stages.find((s) => s.id === "review")!.state, "skipped");
  });
  test("a retry clears the failure; from a stage, that stage and later ones start over", () => {
    const events = [
      ev(1, "job.started"),
      ev(2, "step.succeeded", { stage: "script", stepId: "script", progress: 5, output: { sceneCount: 2 } }),
      ev(3, "step.succeeded", { stage: "narration", stepId: "narration-1", progress: 12 }),
      ev(4, "step.succeeded", { stage: "narration", stepId: "narration-2", progress: 20 }),
      ev(5, "step.succeeded", { stage: "visuals", stepId: "visual-1", progress: 25 }),
      ev(6, "job.failed", { error: { stage: "visuals", provider: "offline-card", reason: "boom" } }),
    ];
    const retried = foldJobEvents([...events, ev(7, "job.retried", { progress: 25 })]);
    assert.deepEqual([retried.status, retried.error, retried.progress], ["queued", undefined, 25]);
    assert.equal(retried.stages.find((s) => s.id === "visuals")!.state, "pending");
    assert.equal(retried.stages.find((s) => s.id === "visuals")!.done, 1, "the visual that succeeded still counts");
    assert.equal(retried.stages.find((s) => s.id === "narration")!.state, "done");
    const fromNarration = foldJobEvents([...events, ev(7, "job.retried", { fromStage: "narration", progress: 5 })]);
    assert.deepEqual(
      fromNarration.stages.filter((s) => ["narration", "visuals"].includes(s.id)).map((s) => [s.id, s.state, s.done]),
      [["narration", "pending", 0], ["visuals", "pending", 0]],
    );
    assert.equal(fromNarration.progress, 5);
    const again = foldJobEvents([...events, ev(7, "job.retried", { fromStage: "narration", progress: 5 }), ev(8, "step.succeeded", { stage: "narration", stepId: "narration-1" })]);
    assert.equal(again.stages.find((s) => s.id === "narration")!.done, 1, "a step that runs again counts again");
    // A scene edit names the steps that run again: their stages start over, others stay done.
    const edit = foldJobEvents([...events.slice(0, 5), ev(6, "job.succeeded"), ev(7, "job.retried", { steps: ["narration-2", "timeline"], progress: 20 })]);
    assert.deepEqual(
      edit.stages.filter((s) => ["script", "narration"].includes(s.id)).map((s) => [s.id, s.state, s.done]),
      [["script", "done", 1], ["narration", "pending", 1]],
    );
  });
  test("overall progress weighs stages and reaches 100 only when the render is done", () => {
    assert.equal(overallProgress([], null), 0);
    const beforeRender = ["script", "narration-1", "visual-1", "timeline"];
    assert.ok(overallProgress(beforeRender, 1) < 40);
    assert.ok(overallProgress(beforeRender, 1, 0.5) > overallProgress(beforeRender, 1));
    assert.equal(overallProgress([...beforeRender, "render"], 1), 100);
  });
});

describe("storage keys", () => {
  test("the app refuses the same keys as the render worker", async () => {
    const { storagePath } = await import("../../server/storage/local.ts");
    assert.equal(storagePath("workspaces/w/videos/v/a.png", "/data"), "/data/workspaces/w/videos/v/a.png");
    for (const key of ["../x", "/etc/passwd", "a/../../b", "a//b", "http://x/y"]) assert.throws(() => storagePath(key, "/data"), /invalid storage key/);
  });
});
