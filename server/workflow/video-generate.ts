// The video workflow, written once as durable functions of { event, step }: every side
// effect is inside a step with a stable id, and each step returns small JSON. Inngest
// (inngest/adapter.ts) and the built-in engine (engine/builtin.ts) both run these.
import { z } from "zod";
import { getDb } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { runNarrationStep, runRenderStep, runScriptStep, runTimelineStep, runVisualStep } from "../pipeline/index.ts";
import { JobExpiredError, NonRetriableError } from "./engine/errors.ts";
import { SCRIPT_REVIEW_STEP } from "./lifecycle.ts";
import { ENCODE_STEP } from "./stages.ts";
import { reportStepProgress } from "./steps.ts";
import { GENERATE_QUEUE, RENDER_QUEUE, SCRIPT_REVIEWED_EVENT, VIDEO_GENERATE_EVENT, VIDEO_RENDER_EVENT } from "./queue.ts";
import type { JobEventData, WorkflowEvent, WorkflowFunction } from "./types.ts";

const idPattern = /^[A-Za-z0-9_-]{1,64}$/;
const jobEventDataSchema = z.object({
  jobId: z.string().regex(idPattern, "jobId must be an id"),
  workspaceId: z.string().regex(idPattern, "workspaceId must be an id"),
});
const renderEventDataSchema = jobEventDataSchema.extend({ timelineKey: z.string().min(1) });
export type RenderEventData = z.infer<typeof renderEventDataSchema>;

/** Bad event data can never succeed: fail at once, without retries. */
function parseData<S extends z.ZodType>(schema: S, event: WorkflowEvent<unknown>): z.infer<S> {
  const parsed = schema.safeParse(event.data);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "data"}: ${i.message}`).join("; ");
    throw new NonRetriableError(`invalid ${event.name} event: ${issues}`);
  }
  return parsed.data;
}

export const videoRenderFunction: WorkflowFunction<RenderEventData, Awaited<ReturnType<typeof runRenderStep>>> = {
  id: "video-render",
  event: VIDEO_RENDER_EVENT,
  queue: RENDER_QUEUE,
  async handler({ event, step, signal }) {
    const { jobId, timelineKey } = parseData(renderEventDataSchema, event);
    let fraction = 0;
    return step.run(ENCODE_STEP, () =>
      runRenderStep(jobId, timelineKey, {
        signal,
        onProgress: (percent) => {
          fraction = percent / 100;
          void reportStepProgress(getDb(), jobId, ENCODE_STEP, fraction).catch(() => {});
        },
        onWaiting: (message) => void reportStepProgress(getDb(), jobId, ENCODE_STEP, fraction, message).catch(() => {}),
      }),
    );
  },
};

export const videoGenerateFunction: WorkflowFunction<JobEventData, { videoAssetId: string; durationSec: number }> = {
  id: "video-generate",
  event: VIDEO_GENERATE_EVENT,
  queue: GENERATE_QUEUE,
  async handler({ event, step, signal }) {
    const data = parseData(jobEventDataSchema, event);
    const { jobId } = data;
    const script = await step.run("script", () => runScriptStep(jobId, signal));
    if (script.review) {
      const hours = getEnv().REVIEW_TIMEOUT_HOURS;
      const reviewed = await step.waitForEvent(SCRIPT_REVIEW_STEP, { event: SCRIPT_REVIEWED_EVENT, timeoutMs: hours * 3600_000, jobId });
      if (!reviewed) throw new JobExpiredError(`the script was not reviewed within ${hours} hours`);
    }
    const scenes = Array.from({ length: script.sceneCount }, (_, i) => i);
    // Narration and visuals of all scenes run concurrently; the engine bounds how many at once.
    const [narrations, visuals] = await Promise.all([
      Promise.all(scenes.map((i) => step.run(`narration-${i + 1}`, () => runNarrationStep(jobId, i, signal)))),
      Promise.all(scenes.map((i) => step.run(`visual-${i + 1}`, () => runVisualStep(jobId, i, signal)))),
    ]);
    const timeline = await step.run("timeline", () => runTimelineStep(jobId, narrations, visuals));
    const render = await step.invoke("render", { function: videoRenderFunction, data: { ...data, timelineKey: timeline.key } });
    return { videoAssetId: render.videoAssetId, durationSec: render.durationSec };
  },
};

export const WORKFLOW_FUNCTIONS = [videoGenerateFunction, videoRenderFunction] as const;
