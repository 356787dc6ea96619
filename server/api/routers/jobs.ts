import { tracked } from "@trpc/server";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { createJobFeeds } from "../../workflow/job-feed.ts";
import { cancelJob, getJobOrThrow, retryJob, reviewScript, scriptEditSchema } from "../../videos/service.ts";
import { STAGE_IDS } from "../../workflow/stages.ts";
import { requirePermission, router, workspaceProcedure } from "../trpc.ts";
import { cancelResultSchema, jobEventMessageSchema, retryResultSchema, reviewResultSchema } from "../schemas/jobs.ts";
import { rowCursorSchema } from "../schemas/common.ts";
import { plainEventPayload } from "../../lib/plain-errors.ts";

export type JobEventMessage = z.output<typeof jobEventMessageSchema>;

export const jobsRouter = router({
  cancel: workspaceProcedure
    .input(z.object({ jobId: z.string().min(1) }))
    .use(requirePermission("job.cancel"))
    .output(cancelResultSchema)
    .mutation(({ ctx, input }) => cancelJob(ctx, input.jobId)),

  /** Runs a failed, cancelled or expired job again from its failed step, or from a stage. */
  retry: workspaceProcedure
    .input(z.object({ jobId: z.string().min(1), fromStage: z.enum(STAGE_IDS).optional() }))
    .use(requirePermission("job.retry"))
    .output(retryResultSchema)
    .mutation(({ ctx, input }) => retryJob(ctx, input.jobId, input.fromStage)),

  /** Saves edits to a script waiting for review; with approve: true the job goes on. */
  reviewScript: workspaceProcedure
    .input(scriptEditSchema)
    .use(requirePermission("script.review"))
    .output(reviewResultSchema)
    .mutation(({ ctx, input }) => reviewScript(ctx, input)),

  /** Every JobEvent of a job, in id order, as SSE with the event id: a client that
   *  reconnects with lastEventId gets what it missed, nothing twice. The stream ends after
   *  the last event of a job that has ended. */
  events: workspaceProcedure
    .input(z.object({ jobId: z.string().min(1), lastEventId: rowCursorSchema.nullish() }))
    .subscription(async ({ ctx, input, signal }) => {
      // Checked before the stream starts, so another workspace's job answers NOT_FOUND.
      await getJobOrThrow(ctx, input.jobId);
      return streamJobEvents(ctx.db, input.jobId, input.lastEventId ?? 0n, signal);
    }),
});

/** One feed per job in this process, shared by all its watchers; each message is checked
 *  against the output schema once, when the feed reads its row. */
const jobFeeds = createJobFeeds<JobEventMessage>({
  // Failures go out in plain words; the stored row keeps the raw reason for the admin.
  toMessage: (row) =>
    jobEventMessageSchema.parse({ id: String(row.id), type: row.type, payload: plainEventPayload(row.payload), createdAt: row.createdAt.toISOString() }),
});

async function* streamJobEvents(db: Db, jobId: string, after: bigint, signal?: AbortSignal) {
  for await (const event of jobFeeds.watch(db, jobId, after, signal)) yield tracked(String(event.id), event.message);
}
