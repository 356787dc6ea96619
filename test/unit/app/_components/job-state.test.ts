import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { foldJobEvents } from "../../../../app/_components/job-state.ts";
import { overallProgress } from "../../../../server/workflow/stages.ts";

describe("job progress", () => {
  const ev = (id: number, type: string, payload: Record<string, unknown> = {}) => ({
    id: String(id),
    type,
    payload,
    createdAt: new Date(1700000000000 + id * 1000).toISOString(),
  });
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
    const upToScript = [
      ev(1, "job.started"),
      ev(2, "step.started", { stage: "script", stepId: "script" }),
      ev(3, "step.succeeded", { stage: "script", stepId: "script", output: { sceneCount: 1 } }),
    ];
    const waiting = foldJobEvents([...upToScript, ev(4, "job.waiting", { stepId: "script-review", message: "waiting for the script to be reviewed" })]);
    assert.equal(waiting.status, "waiting");
    assert.equal(waiting.note, "waiting for the script to be reviewed");
    assert.equal(waiting.stages.find((s) => s.id === "review")!.state, "waiting");
    const resumed = foldJobEvents([
      ...upToScript,
      ev(4, "job.waiting", { stepId: "script-review" }),
      ev(5, "job.resumed"),
      ev(6, "step.started", { stage: "narration", stepId: "narration-1" }),
    ]);
    assert.equal(resumed.status, "running");
    assert.equal(resumed.stages.find((s) => s.id === "review")!.state, "done");
    const expired = foldJobEvents([
      ...upToScript,
      ev(4, "job.waiting", { stepId: "script-review" }),
      ev(5, "job.expired", { message: "the script was not reviewed within 72 hours" }),
    ]);
    assert.deepEqual(
      [expired.status, expired.note, expired.stages.find((s) => s.id === "review")!.state],
      ["expired", "the script was not reviewed within 72 hours", "cancelled"],
    );
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
      [
        ["narration", "pending", 0],
        ["visuals", "pending", 0],
      ],
    );
    assert.equal(fromNarration.progress, 5);
    const again = foldJobEvents([
      ...events,
      ev(7, "job.retried", { fromStage: "narration", progress: 5 }),
      ev(8, "step.succeeded", { stage: "narration", stepId: "narration-1" }),
    ]);
    assert.equal(again.stages.find((s) => s.id === "narration")!.done, 1, "a step that runs again counts again");
    // A scene edit names the steps that run again: their stages start over, others stay done.
    const edit = foldJobEvents([...events.slice(0, 5), ev(6, "job.succeeded"), ev(7, "job.retried", { steps: ["narration-2", "timeline"], progress: 20 })]);
    assert.deepEqual(
      edit.stages.filter((s) => ["script", "narration"].includes(s.id)).map((s) => [s.id, s.state, s.done]),
      [
        ["script", "done", 1],
        ["narration", "pending", 1],
      ],
    );
  });
  test("a stage's time is the run's own: a retry starts its clock again; a finished stage keeps its time", () => {
    const events = [
      ev(1, "job.started"),
      ev(2, "step.started", { stage: "script", stepId: "script" }),
      ev(3, "step.succeeded", { stage: "script", stepId: "script", output: { sceneCount: 1 } }),
      ev(4, "step.started", { stage: "narration", stepId: "narration-1" }),
      ev(5, "step.failed", { stage: "narration", stepId: "narration-1" }),
      ev(6, "job.failed", { error: { stage: "narration", provider: "flite", reason: "boom" } }),
      ev(100, "job.retried", { progress: 5 }),
      ev(101, "job.started"),
      ev(102, "step.started", { stage: "narration", stepId: "narration-1" }),
      ev(104, "step.succeeded", { stage: "narration", stepId: "narration-1" }),
    ];
    const view = foldJobEvents(events);
    const narration = view.stages.find((s) => s.id === "narration")!;
    assert.deepEqual([narration.state, narration.startedAt, narration.finishedAt], ["done", ev(102, "").createdAt, ev(104, "").createdAt]);
    assert.equal(view.stages.find((s) => s.id === "script")!.startedAt, ev(2, "").createdAt);
  });
  test("the render's time left comes from its progress events and goes when the render does", () => {
    const base = [
      ev(1, "job.started"),
      ev(2, "step.succeeded", { stage: "script", stepId: "script", output: { sceneCount: 1 } }),
      ev(3, "step.started", { stage: "render", stepId: "encode" }),
      ev(4, "stage.progress", { stage: "render", stepId: "encode", progress: 60, etaSec: 42 }),
    ];
    assert.deepEqual(foldJobEvents(base).eta, { sec: 42, at: ev(4, "").createdAt });
    assert.equal(foldJobEvents([...base, ev(5, "job.succeeded")]).eta, undefined);
    assert.equal(foldJobEvents([...base, ev(5, "job.failed", { error: { stage: "render", provider: null, reason: "x" } })]).eta, undefined);
  });
  test("a scene edited after a failure is listed and its stage is no longer done, until the retry", () => {
    const events = [
      ev(1, "job.started"),
      ev(2, "step.succeeded", { stage: "script", stepId: "script", output: { sceneCount: 1 } }),
      ev(3, "step.succeeded", { stage: "narration", stepId: "narration-1" }),
      ev(4, "job.failed", { error: { stage: "visuals", provider: "offline-card", reason: "boom" } }),
      ev(5, "script.edited", { message: "scene 1 edited: Retry runs it again", steps: ["narration-1", "timeline"] }),
    ];
    const edited = foldJobEvents(events);
    assert.deepEqual(edited.edits, ["scene 1 edited: Retry runs it again"]);
    assert.equal(edited.stages.find((s) => s.id === "narration")!.state, "pending");
    assert.deepEqual(foldJobEvents([...events, ev(6, "job.retried", {})]).edits, []);
    // A review's edits (no steps) are not a pending edit.
    assert.deepEqual(foldJobEvents([ev(1, "script.edited", { message: "1 scene(s) edited, approved" })]).edits, []);
  });
  test("overall progress weighs stages and reaches 100 only when the render is done", () => {
    assert.equal(overallProgress([], null), 0);
    const beforeRender = ["script", "narration-1", "visual-1", "timeline"];
    assert.ok(overallProgress(beforeRender, 1) < 40);
    assert.ok(overallProgress(beforeRender, 1, 0.5) > overallProgress(beforeRender, 1));
    assert.equal(overallProgress([...beforeRender, "render"], 1), 100);
  });
});
