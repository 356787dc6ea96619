// The video workflow, written once as durable functions of { event, step }: every side
// effect is inside a step with a stable id, and each step returns small JSON. Inngest
// (inngest/adapter.ts) and the built-in engine (engine/builtin.ts) both run these.
import { z } from "zod";
import { getDb } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { runNarrationStep, runRenderStep, runScriptStep, runTimelineStep, runVisualStep } from "../pipeline/index.ts";
import {
  finishSceneVisuals,
  type GenerationPoll,
  isStarted,
  pollSceneGenerations,
  type SceneVisuals,
  type StartedSceneVisuals,
} from "../pipeline/visuals/step.ts";
import { JobExpiredError, NonRetriableError } from "./engine/errors.ts";
import { SCRIPT_REVIEW_STEP } from "./lifecycle.ts";
import { ENCODE_STEP } from "./stages.ts";
import { reportStepProgress } from "./steps.ts";
import { GENERATE_QUEUE, RENDER_QUEUE, SCRIPT_REVIEWED_EVENT, VIDEO_GENERATE_EVENT, VIDEO_RENDER_EVENT } from "./queue.ts";
import type { JobEventData, StepTools, WorkflowEvent, WorkflowFunction } from "./types.ts";

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
        onProgress: (percent, etaSec) => {
          fraction = percent / 100;
          void reportStepProgress(getDb(), jobId, ENCODE_STEP, fraction, undefined, etaSec).catch(() => {});
        },
        onWaiting: (message) => void reportStepProgress(getDb(), jobId, ENCODE_STEP, fraction, message).catch(() => {}),
      }),
    );
  },
};

/**
 * A scene whose visual step started AI video clips waits for them without holding a worker:
 * a short poll step, then a sleep, until every generation has ended (or timed out, which the
 * poll decides), then one step stores the clips and falls back for the shots that got none.
 * Every id is the scene's ("visual-2-poll-3", "visual-2-wait-3", "visual-2-clips"), so a
 * replay after a crash goes on polling the same generations, and a scene edit that redoes
 * visual-2 redoes these too.
 */
async function awaitSceneClips(step: StepTools, jobId: string, sceneIndex: number, started: StartedSceneVisuals, signal: AbortSignal): Promise<SceneVisuals> {
  const n = sceneIndex + 1;
  const pollMs = getEnv().AI_VIDEO_POLL_SEC * 1000;
  const ended: GenerationPoll[] = [];
  let waiting = started.generating;
  let polledAt = 0;
  for (let round = 1; waiting.length; round++) {
    // The sleep counts from the last poll, so a replay long after it (a retry on Inngest, whose
    // memory of sleeps starts empty) does not sleep every round again.
    if (round > 1) await step.sleep(`visual-${n}-wait-${round - 1}`, Math.max(1, Math.round(polledAt + pollMs - Date.now())));
    const stillWaiting = waiting;
    const polled = await step.run(`visual-${n}-poll-${round}`, async () => {
      const result = await pollSceneGenerations(jobId, stillWaiting, signal);
      const open = result.polls.filter((p) => p.status === "waiting").length;
      const message = open
        ? `AI video: ${open} clip${open === 1 ? "" : "s"} of scene ${n} generating (${Math.round(result.progress)}%)`
        : `AI video: scene ${n}'s clips are done`;
      void reportStepProgress(getDb(), jobId, `visual-${n}`, result.progress / 100, message).catch(() => {});
      return result;
    });
    polledAt = polled.polledAt;
    ended.push(...polled.polls.filter((p) => p.status !== "waiting"));
    waiting = waiting.filter((g) => !ended.some((p) => p.shotIndex === g.shotIndex));
  }
  return step.run(`visual-${n}-clips`, () => finishSceneVisuals(jobId, sceneIndex, started, ended, signal));
}

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
    const [narrations, drawn] = await Promise.all([
      Promise.all(scenes.map((i) => step.run(`narration-${i + 1}`, () => runNarrationStep(jobId, i, signal)))),
      Promise.all(scenes.map((i) => step.run(`visual-${i + 1}`, () => runVisualStep(jobId, i, signal)))),
    ]);
    // AI video clips generate remotely, all at once; the scenes wait for theirs one after the
    // other, so only one sleep is ever pending in a run.
    const visuals: SceneVisuals[] = [];
    for (const [i, visual] of drawn.entries()) visuals.push(isStarted(visual) ? await awaitSceneClips(step, jobId, i, visual, signal) : visual);
    const timeline = await step.run("timeline", () => runTimelineStep(jobId, narrations, visuals));
    const render = await step.invoke("render", { function: videoRenderFunction, data: { ...data, timelineKey: timeline.key } });
    return { videoAssetId: render.videoAssetId, durationSec: render.durationSec };
  },
};

export const WORKFLOW_FUNCTIONS = [videoGenerateFunction, videoRenderFunction] as const;
