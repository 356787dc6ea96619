// Folds a job's event stream into what the job page shows: each stage's state and wall time
// (the current run's own: a retry starts the clock again for what it runs), the overall
// percentage, the render's time left, and the job's status. Pure, so the same events always
// give the same picture, whether they arrive live or are replayed after a reload.
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";
import type { JobStatus } from "@/server/workflow/job-status";
import { STAGES, type StageId } from "@/server/workflow/stages";

/** One message of the jobs.events subscription, as the router sends it. */
export type JobEvent = inferRouterOutputs<AppRouter>["jobs"]["events"] extends AsyncIterable<{ data: infer E }> ? E : never;
export type StageState = {
  id: StageId;
  label: string;
  state: "pending" | "running" | "waiting" | "done" | "skipped" | "failed" | "cancelled";
  done: number;
  expected: number | null;
  startedAt?: string;
  finishedAt?: string;
  detail?: string;
};
export type JobView = {
  status: JobStatus;
  progress: number;
  stages: StageState[];
  error?: { stage: string; provider: string | null; reason: string };
  /** Why a job expired or what it waits for. */
  note?: string;
  /** Seconds the running render has left, as its worker last estimated them, and when. */
  eta?: { sec: number; at: string };
  /** Scene edits made since the run ended, which the next Retry runs again. */
  edits: string[];
  cancelling: boolean;
};

/** The stage running or waiting now, if any: what the page announces with the percentage. */
export function currentStage(view: JobView) {
  return view.stages.find((s) => s.state === "running" || s.state === "waiting");
}

const stageIndex = (id: string) => STAGES.findIndex((s) => s.id === id);

export function foldJobEvents(events: JobEvent[]): JobView {
  let status: JobView["status"] = "queued";
  let progress = 0;
  let sceneCount: number | null = null;
  let error: JobView["error"];
  let cancelling = false;
  let note: string | undefined;
  let eta: JobView["eta"];
  let edits: string[] = [];
  const fresh = (s: (typeof STAGES)[number]): StageState => ({
    id: s.id,
    label: s.label,
    state: "pending",
    done: 0,
    expected: s.id === "narration" || s.id === "visuals" ? null : 1,
  });
  const stages = new Map<StageId, StageState>(STAGES.map((s) => [s.id, fresh(s)]));
  const succeededSteps = new Map<string, StageId>();
  /** Steps run again (a scene edit): their stage is no longer done, and its clock starts again. */
  const rerun = (stepIds: unknown) => {
    for (const stepId of Array.isArray(stepIds) ? (stepIds as string[]) : []) {
      const stageId = succeededSteps.get(stepId);
      if (!stageId) continue;
      succeededSteps.delete(stepId);
      const stage = stages.get(stageId)!;
      stage.done = Math.max(0, stage.done - 1);
      Object.assign(stage, { state: "pending", startedAt: undefined, finishedAt: undefined });
    }
  };
  for (const e of events) {
    const p = e.payload;
    if (typeof p.progress === "number" && e.type !== "job.retried") progress = Math.max(progress, p.progress);
    const stage = p.stage ? stages.get(p.stage as StageId) : undefined;
    switch (e.type) {
      case "job.started":
      case "job.resumed":
        status = "running";
        note = undefined;
        if (stages.get("review")!.state === "waiting") Object.assign(stages.get("review")!, { state: "done", done: 1, finishedAt: e.createdAt });
        break;
      case "job.waiting":
        status = "waiting";
        note = String(p.message ?? "");
        if (p.stepId === "script-review") {
          const review = stages.get("review")!;
          review.state = "waiting";
          review.startedAt ??= e.createdAt;
        }
        break;
      case "job.retried": {
        // The failed step and, with fromStage, every stage from there on run again; a scene
        // edit names the steps it runs again.
        const from = typeof p.fromStage === "string" ? stageIndex(p.fromStage) : Infinity;
        rerun(p.steps);
        for (const def of STAGES) {
          const s = stages.get(def.id)!;
          if (stageIndex(def.id) >= from) {
            stages.set(def.id, fresh(def));
            for (const [stepId, stageId] of succeededSteps) if (stageId === def.id) succeededSteps.delete(stepId);
          } else if (s.done < (s.expected ?? sceneCount ?? Infinity)) {
            // What this run does again is timed from this run, not from the first.
            Object.assign(s, { state: "pending", detail: undefined, startedAt: undefined, finishedAt: undefined });
          }
        }
        status = "queued";
        error = undefined;
        note = undefined;
        eta = undefined;
        edits = [];
        cancelling = false;
        progress = typeof p.progress === "number" ? p.progress : progress;
        break;
      }
      case "step.started":
        if (stage && stage.state !== "done") {
          stage.state = "running";
          stage.startedAt ??= e.createdAt;
        }
        break;
      case "step.succeeded": {
        const stepId = String(p.stepId);
        if (stage && !succeededSteps.has(stepId)) {
          succeededSteps.set(stepId, stage.id);
          stage.done++;
          stage.finishedAt = e.createdAt;
        }
        if (stepId === "script") sceneCount = Number((p.output as { sceneCount?: number } | undefined)?.sceneCount ?? 0) || null;
        break;
      }
      case "step.retrying":
        if (stage) stage.detail = `retrying: ${String(p.message ?? "")}`;
        break;
      case "stage.progress":
        if (stage) stage.detail = String(p.message ?? "");
        if (p.stage === "render" && typeof p.etaSec === "number") eta = { sec: p.etaSec, at: e.createdAt };
        break;
      case "script.edited":
        // A scene edited after the run ended: the next Retry runs its steps again.
        if (Array.isArray(p.steps)) {
          rerun(p.steps);
          edits.push(String(p.message ?? ""));
        }
        break;
      case "step.failed":
        if (stage) stage.state = "failed";
        break;
      case "job.cancel_requested":
        cancelling = true;
        break;
      case "job.succeeded":
        status = "succeeded";
        progress = 100;
        eta = undefined;
        break;
      case "job.failed":
        status = "failed";
        eta = undefined;
        error = p.error as JobView["error"];
        if (error && stages.has(error.stage as StageId)) stages.get(error.stage as StageId)!.state = "failed";
        break;
      case "job.cancelled":
        status = "cancelled";
        eta = undefined;
        cancelling = false;
        break;
      case "job.expired":
        status = "expired";
        note = String(p.message ?? "");
        if (stages.get("review")!.state !== "done") stages.get("review")!.state = "cancelled";
        break;
    }
  }
  // A brief without a review passes the review stage by.
  const review = stages.get("review")!;
  if (review.state === "pending" && STAGES.some((d) => stageIndex(d.id) > stageIndex("review") && stages.get(d.id)!.state !== "pending"))
    review.state = "skipped";
  for (const s of stages.values()) {
    if (s.expected === null) s.expected = sceneCount;
    if (s.expected && s.done >= s.expected && s.state !== "failed") s.state = "done";
    if ((status === "cancelled" || status === "expired") && (s.state === "running" || s.state === "waiting")) s.state = "cancelled";
  }
  if (stages.get("render")!.state !== "running") eta = undefined;
  return { status, progress, stages: [...stages.values()], error, note, eta, edits, cancelling };
}
