// The functions registered with Inngest and served at /api/inngest: the video workflow's two
// functions, the end of a cancelled run, and the scheduled jobs (schedules.ts).
import { getDb } from "../../db/client.ts";
import { markJobCancelled } from "../lifecycle.ts";
import { SCHEDULES } from "../schedules.ts";
import { videoGenerateFunction, videoRenderFunction } from "../video-generate.ts";
import { createInngestFunction, type InngestStep } from "./adapter.ts";
import { inngest, RENDER_CONCURRENCY, WORKSPACE_CONCURRENCY } from "./client.ts";

export const renderFunction = createInngestFunction(videoRenderFunction, {
  name: "Render a video",
  entry: false,
  // One limit for the whole environment: renders are the scarce resource.
  concurrency: [{ limit: RENDER_CONCURRENCY }],
});

export const generateFunction = createInngestFunction(videoGenerateFunction, {
  name: "Generate a video",
  entry: true,
  concurrency: [{ key: "event.data.workspaceId", limit: WORKSPACE_CONCURRENCY }],
});

/** Runs cancelled by cancelOn end here: the job is marked cancelled. */
export const cancelledFunction = inngest.createFunction(
  {
    id: "video-run-cancelled",
    name: "Mark a cancelled video job",
    triggers: [{ event: "inngest/function.cancelled", if: "event.data.function_id == 'aura-video-generate' || event.data.function_id == 'aura-video-render'" }],
  },
  async ({ event }: { event: { data: { event?: { data?: { jobId?: string } } } } }) => {
    const jobId = event.data.event?.data?.jobId;
    if (jobId) await markJobCancelled(getDb(), jobId);
    return { jobId: jobId ?? null };
  },
);

/** The scheduled jobs (the built-in engine runs the same, on queues of the same ids). */
export const scheduledFunctions = SCHEDULES.map(({ id, name, cron, stepId, run }) =>
  inngest.createFunction({ id, name, triggers: [{ cron }] }, async ({ step }: { step: InngestStep }) => step.run(stepId, run)),
);

export const inngestFunctions = [generateFunction, renderFunction, cancelledFunction, ...scheduledFunctions];
