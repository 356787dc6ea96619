// The video workflow, written once as a durable function of { event, step }: every side
// effect is inside step.run(id, fn) with a stable id, and each step returns small JSON.
// The built-in engine runs it today; Inngest can run the same function.
import { runNarrationStep, runRenderStep, runScriptStep, runTimelineStep, runVisualStep } from "../pipeline/run-stages.ts";

export const VIDEO_GENERATE_EVENT = "video/generate.requested";

export type StepTools = { run<T>(id: string, fn: () => Promise<T>): Promise<T> };

export type WorkflowContext = {
  event: { name: string; data: { jobId: string } };
  step: StepTools;
  /** Aborted when the job is cancelled (built-in engine). */
  signal?: AbortSignal;
  /** Reports how far a long step has come, 0..1 (built-in engine). */
  reportProgress?: (stepId: string, fraction: number) => void;
};

export async function videoGenerateWorkflow({ event, step, signal, reportProgress }: WorkflowContext) {
  const { jobId } = event.data;
  const script = await step.run("script", () => runScriptStep(jobId));
  const scenes = Array.from({ length: script.sceneCount }, (_, i) => i);
  const narrations = await Promise.all(scenes.map((i) => step.run(`narration-${i + 1}`, () => runNarrationStep(jobId, i, signal))));
  const visuals = await Promise.all(scenes.map((i) => step.run(`visual-${i + 1}`, () => runVisualStep(jobId, i))));
  const timeline = await step.run("timeline", () => runTimelineStep(jobId, narrations, visuals));
  const render = await step.run("render", () =>
    runRenderStep(jobId, timeline.key, { signal, onProgress: (percent) => reportProgress?.("render", percent / 100) }),
  );
  return { videoAssetId: render.videoAssetId, durationSec: render.durationSec };
}
