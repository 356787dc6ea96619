import { tracked } from "@trpc/server";
import { z } from "zod";
import type { Db } from "../../db/client.ts";
import { waitForJobEvents } from "../../workflow/listener.ts";
import { cancelJob, getJobOrThrow, retryJob, reviewScript, scriptEditSchema } from "../../videos/service.ts";
import { TERMINAL_JOB_STATUSES } from "../../workflow/job-status.ts";
import { STAGE_IDS } from "../../workflow/stages.ts";
import { requirePermission, router, workspaceProcedure } from "../trpc.ts";
import { cancelResultSchema, jobEventMessageSchema, retryResultSchema, reviewResultSchema } from "../schemas/jobs.ts";
import { rowCursorSchema } from "../schemas/common.ts";

const TERMINAL = new Set<string>(TERMINAL_JOB_STATUSES);
const PAGE = 500;

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
   *  reconnects with lastEventId gets what it missed, nothing twice. */
  events: workspaceProcedure
    .input(z.object({ jobId: z.string().min(1), lastEventId: rowCursorSchema.nullish() }))
    .subscription(async ({ ctx, input, signal }) => {
      // Checked before the stream starts, so another workspace's job answers NOT_FOUND.
      await getJobOrThrow(ctx, input.jobId);
      return streamJobEvents(ctx.db, input.jobId, input.lastEventId ?? 0n, signal);
    }),
});

async function* streamJobEvents(db: Db, jobId: string, after: bigint, signal?: AbortSignal) {
  let cursor = after;
  while (!signal?.aborted) {
    const rows = await db.jobEvent.findMany({ where: { jobId, id: { gt: cursor } }, orderBy: { id: "asc" }, take: PAGE });
    for (const row of rows) {
      cursor = row.id;
      // A subscription yields many values, so its output schema checks each message here.
      const message: JobEventMessage = jobEventMessageSchema.parse({
        id: String(row.id),
        type: row.type,
        payload: row.payload,
        createdAt: row.createdAt.toISOString(),
      });
      yield tracked(String(row.id), message);
    }
    if (rows.length === PAGE) continue;
    const job = await db.job.findUniqueOrThrow({ where: { id: jobId }, select: { status: true } });
    if (TERMINAL.has(job.status)) {
      // A terminal job writes no more events once its last one is read.
      const more = await db.jobEvent.count({ where: { jobId, id: { gt: cursor } } });
      if (more === 0) return;
      continue;
    }
    await waitForJobEvents(jobId, 2000, signal);
  }
}
