// Folds a job's event stream into what the job page shows: each stage's state and wall time,
// the overall percentage, and the job's status. Pure, so the same events always give the
// same picture, whether they arrive live or are replayed after a reload.
import { STAGES, type StageId } from "@/server/workflow/stages";

export type JobEvent = { id: string; type: string; payload: Record<string, unknown>; createdAt: string };
export type StageState = { id: StageId; label: string; state: "pending" | "running" | "done" | "failed" | "cancelled"; done: number; expected: number | null; startedAt?: string; finishedAt?: string; detail?: string };
export type JobView = { status: "queued" | "running" | "succeeded" | "failed" | "cancelled"; progress: number; stages: StageState[]; error?: { stage: string; provider: string | null; reason: string }; cancelling: boolean };

export function foldJobEvents(events: JobEvent[]): JobView {
  let status: JobView["status"] = "queued";
  let progress = 0;
  let sceneCount: number | null = null;
  let error: JobView["error"];
  let cancelling = false;
  const stages = new Map<StageId, StageState>(STAGES.map((s) => [s.id, { id: s.id, label: s.label, state: "pending", done: 0, expected: s.id === "narration" || s.id === "visuals" ? null : 1 }]));
  const succeededSteps = new Set<string>();
  for (const e of events) {
    const p = e.payload;
    if (typeof p.progress === "number") progress = Math.max(progress, p.progress);
    const stage = p.stage ? stages.get(p.stage as StageId) : undefined;
    switch (e.type) {
      case "job.started":
        status = "running";
        break;
      case "step.started":
        if (stage && stage.state !== "done") {
          stage.state = "running";
          stage.startedAt ??= e.createdAt;
        }
        break;
      case "step.succeeded": {
        const stepId = String(p.stepId);
        if (stage && !succeededSteps.has(stepId)) {
          succeededSteps.add(stepId);
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
        break;
      case "job.failed":
        status = "failed";
        error = p.error as JobView["error"];
        if (error && stages.has(error.stage as StageId)) stages.get(error.stage as StageId)!.state = "failed";
        break;
      case "job.cancelled":
        status = "cancelled";
        cancelling = false;
        break;
    }
  }
  for (const s of stages.values()) {
    if (s.expected === null) s.expected = sceneCount;
    if (s.expected && s.done >= s.expected && s.state !== "failed") s.state = "done";
    if (status === "cancelled" && s.state === "running") s.state = "cancelled";
  }
  return { status, progress, stages: [...stages.values()], error, cancelling };
}
