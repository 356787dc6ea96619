// The stages of the video workflow, each as the order of steps it runs and its share of the
// overall progress bar. The job page, the engines and "retry from a stage" read this table.
export const STAGES = [
  { id: "script", label: "Script", weight: 5 },
  { id: "review", label: "Review", weight: 0 },
  { id: "narration", label: "Narration", weight: 15 },
  { id: "visuals", label: "Visuals", weight: 10 },
  { id: "timeline", label: "Timeline", weight: 2 },
  { id: "render", label: "Render", weight: 68 },
] as const;

export type StageId = (typeof STAGES)[number]["id"];

/** The render function's one step: it renders on the worker and stores the result (and chapters). */
export const ENCODE_STEP = "encode";

export const STAGE_IDS = STAGES.map((s) => s.id) as [StageId, ...StageId[]];

export function stageOfStep(stepId: string): StageId {
  if (stepId.startsWith("narration-")) return "narration";
  if (stepId.startsWith("visual-")) return "visuals";
  if (stepId === "script-review") return "review";
  // "render" is the invocation of the render function; "encode" is its one step.
  if (stepId === ENCODE_STEP) return "render";
  if (stepId === "script" || stepId === "timeline" || stepId === "render") return stepId;
  throw new Error(`unknown step ${stepId}`);
}

export const stageIndex = (stage: string) => STAGES.findIndex((s) => s.id === stage);

/** Overall percent from finished steps (and, optionally, how far the render is). */
export function overallProgress(finishedStepIds: Iterable<string>, sceneCount: number | null, renderFraction = 0) {
  const done = new Map<StageId, number>();
  for (const id of finishedStepIds) {
    if (id === ENCODE_STEP) continue; // counted through "render"
    if (/^visual-\d+-/.test(id)) continue; // an AI video clip's polls, waits and last step: one scene counts once
    done.set(stageOfStep(id), (done.get(stageOfStep(id)) ?? 0) + 1);
  }
  const total = STAGES.reduce((a, s) => a + s.weight, 0);
  let sum = 0;
  for (const s of STAGES) {
    const expected = s.id === "narration" || s.id === "visuals" ? sceneCount : 1;
    const fraction = expected ? Math.min(1, (done.get(s.id) ?? 0) / expected) : 0;
    sum += s.weight * (s.id === "render" && fraction < 1 ? renderFraction : fraction);
  }
  return Math.round((sum / total) * 1000) / 10;
}
