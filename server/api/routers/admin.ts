// The site admin console's procedures. A non-admin gets NOT_FOUND for all of them.
import { z } from "zod";
import {
  adminAudit,
  adminBulk,
  adminCancelJob,
  adminDeleteJob,
  adminJobFilterSchema,
  adminRetryJob,
  BULK_ACTIONS,
  getAdminJob,
  listAllJobs,
  listUsers,
  listWorkspacesWithUsage,
  purgeNow,
  quotaInputSchema,
  requireSiteAdmin,
  setUserFlags,
  setWorkspaceQuotas,
  systemHealth,
} from "../../admin/service.ts";
import { STAGE_IDS } from "../../workflow/stages.ts";
import { protectedProcedure, router } from "../trpc.ts";
import {
  adminBulkSchema,
  adminDeletedSchema,
  adminJobSchema,
  adminJobsSchema,
  adminUsersSchema,
  adminWorkspacesSchema,
  healthSchema,
  purgeSchema,
  updatedSchema,
  userFlagsSchema,
} from "../schemas/admin.ts";
import { cancelResultSchema, retryResultSchema } from "../schemas/jobs.ts";
import { auditEntrySchema } from "../schemas/workspaces.ts";
import { rowCursorSchema } from "../schemas/common.ts";

const adminProcedure = protectedProcedure.use(async ({ ctx, next }) => {
  await requireSiteAdmin(ctx);
  return next();
});
const jobId = z.object({ jobId: z.string().min(1) });

export const adminRouter = router({
  jobs: adminProcedure
    .input(adminJobFilterSchema)
    .output(adminJobsSchema)
    .query(({ ctx, input }) => listAllJobs(ctx, input)),
  job: adminProcedure
    .input(jobId)
    .output(adminJobSchema)
    .query(({ ctx, input }) => getAdminJob(ctx, input.jobId)),
  cancel: adminProcedure
    .input(jobId)
    .output(cancelResultSchema)
    .mutation(({ ctx, input }) => adminCancelJob(ctx, input.jobId)),
  retry: adminProcedure
    .input(jobId.extend({ fromStage: z.enum(STAGE_IDS).optional() }))
    .output(retryResultSchema)
    .mutation(({ ctx, input }) => adminRetryJob(ctx, input.jobId, input.fromStage)),
  delete: adminProcedure
    .input(jobId)
    .output(adminDeletedSchema)
    .mutation(({ ctx, input }) => adminDeleteJob(ctx, input.jobId)),
  bulk: adminProcedure
    .input(
      z.object({ action: z.enum(BULK_ACTIONS), jobIds: z.array(z.string().min(1)).min(1, "Select at least one job").max(100, "At most 100 jobs at once") }),
    )
    .output(adminBulkSchema)
    .mutation(({ ctx, input }) => adminBulk(ctx, input.action, input.jobIds)),
  users: adminProcedure
    .input(z.object({ search: z.string().trim().max(200).optional() }).optional())
    .output(adminUsersSchema)
    .query(({ ctx, input }) => listUsers(ctx, input?.search || undefined)),
  setUser: adminProcedure
    .input(z.object({ userId: z.string().min(1), disabled: z.boolean().optional(), siteAdmin: z.boolean().optional() }))
    .output(userFlagsSchema)
    .mutation(({ ctx, input }) => setUserFlags(ctx, input.userId, { disabled: input.disabled, siteAdmin: input.siteAdmin })),
  workspaces: adminProcedure.output(adminWorkspacesSchema).query(({ ctx }) => listWorkspacesWithUsage(ctx)),
  setQuotas: adminProcedure
    .input(quotaInputSchema)
    .output(updatedSchema)
    .mutation(({ ctx, input }) => setWorkspaceQuotas(ctx, input)),
  purge: adminProcedure.output(purgeSchema).mutation(({ ctx }) => purgeNow(ctx)),
  health: adminProcedure.output(healthSchema).query(({ ctx }) => systemHealth(ctx)),
  audit: adminProcedure
    .input(z.object({ before: rowCursorSchema.optional() }).optional())
    .output(z.array(auditEntrySchema))
    .query(({ ctx, input }) => adminAudit(ctx, input?.before)),
});
