// What the site admin console's procedures return.
import { z } from "zod";
import {
  BULK_ACTIONS,
  type adminBulk,
  type adminDeleteJob,
  type getAdminJob,
  type listAllJobs,
  type listUsers,
  type listWorkspacesWithUsage,
  type purgeNow,
  type setUserFlags,
  type setWorkspaceQuotas,
  type systemHealth,
} from "../../admin/service.ts";
import { jobErrorSchema, jsonValue, type Expect, type Returned, type Same } from "./common.ts";
import { jobStatusSchema, stepStatusSchema, videoStatusSchema } from "./videos.ts";
import { quotaReportSchema } from "./workspaces.ts";

const named = z.object({ id: z.string(), name: z.string() });

export const adminJobsSchema = z.object({
  jobs: z.array(
    z.object({
      id: z.string(),
      status: jobStatusSchema,
      stage: z.string().nullable(),
      progress: z.number(),
      correlationId: z.string(),
      error: jobErrorSchema.nullable(),
      workspace: named,
      video: z.object({ id: z.string(), title: z.string() }),
      user: z.object({ id: z.string(), email: z.string() }),
      createdAt: z.date(),
      finishedAt: z.date().nullable(),
    }),
  ),
  nextCursor: z.string().nullable(),
});

const attemptSchema = z.object({
  id: z.string(),
  jobStepId: z.string(),
  jobId: z.string(),
  stepId: z.string(),
  stage: z.string(),
  attempt: z.number(),
  status: stepStatusSchema,
  provider: z.string().nullable(),
  error: z.string().nullable(),
  startedAt: z.date(),
  durationMs: z.number(),
});

const stepRowSchema = z.object({
  id: z.string(),
  jobId: z.string(),
  stepId: z.string(),
  stage: z.string(),
  status: stepStatusSchema,
  attempts: z.number(),
  output: jsonValue,
  provider: z.string().nullable(),
  error: z.string().nullable(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  durationMs: z.number().nullable(),
  waitEvent: z.string().nullable(),
  waitUntil: z.date().nullable(),
  attemptLog: z.array(attemptSchema),
});

/** A job with its whole history: every column of the job, its steps and their attempts, its last events. */
export const adminJobSchema = z.object({
  id: z.string(),
  workspaceId: z.string(),
  videoId: z.string(),
  kind: z.string(),
  status: jobStatusSchema,
  currentStage: z.string().nullable(),
  progress: z.number(),
  attempts: z.number(),
  correlationId: z.string(),
  engine: z.string(),
  cancelRequestedAt: z.date().nullable(),
  waitingFor: z.string().nullable(),
  waitUntil: z.date().nullable(),
  errorStage: z.string().nullable(),
  errorProvider: z.string().nullable(),
  errorMessage: z.string().nullable(),
  createdAt: z.date(),
  startedAt: z.date().nullable(),
  finishedAt: z.date().nullable(),
  updatedAt: z.date(),
  workspace: named,
  video: z.object({ id: z.string(), title: z.string(), status: videoStatusSchema, createdBy: z.object({ email: z.string() }) }),
  steps: z.array(stepRowSchema),
  events: z.array(z.object({ id: z.string(), type: z.string(), payload: jsonValue, createdAt: z.date() })),
});

export const adminDeletedSchema = z.object({ deleted: z.boolean(), videoDeleted: z.boolean() });
export const adminBulkSchema = z.object({
  action: z.enum(BULK_ACTIONS),
  results: z.array(z.object({ jobId: z.string(), ok: z.boolean(), error: z.string().optional() })),
});

export const adminUsersSchema = z.array(
  z.object({
    id: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    isSiteAdmin: z.boolean(),
    disabledAt: z.date().nullable(),
    createdAt: z.date(),
    _count: z.object({ memberships: z.number(), videos: z.number() }),
    workspaces: z.number(),
    videos: z.number(),
  }),
);
export const userFlagsSchema = z.object({ id: z.string(), disabled: z.boolean(), siteAdmin: z.boolean() });

const quota = z.number().nullable();
export const adminWorkspacesSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    personal: z.boolean(),
    createdAt: z.date(),
    members: z.number(),
    videos: z.number(),
    jobs: z.number(),
    own: z.object({ concurrentJobs: quota, videosPerDay: quota, minutesPerMonth: quota, maxLengthSec: quota }),
    ...quotaReportSchema.shape,
  }),
);
export const updatedSchema = z.object({ updated: z.boolean() });
export const purgeSchema = z.object({
  events: z.number(),
  assets: z.number(),
  stagingFiles: z.number(),
  cachedSegments: z.number(),
  retentionDays: z.number(),
});

export const healthSchema = z.object({
  providers: z.array(z.object({ capability: z.string(), provider: z.string(), health: z.string(), count: z.number() })),
  jobs: z.record(z.string(), z.number()),
  queue: z.array(z.object({ name: z.string(), state: z.string(), count: z.number() })),
  renderWorkers: z.array(
    z.object({
      url: z.string(),
      ok: z.boolean(),
      reachable: z.boolean(),
      authenticated: z.boolean().nullable(),
      version: z.string().nullable(),
      running: z.number().nullable(),
      capacity: z.number().nullable(),
      encoders: z.array(z.string()),
      preferred: z.string().nullable(),
      error: z.string().nullable(),
      lastContactAt: z.date().nullable(),
    }),
  ),
  storage: z.object({ kind: z.enum(["local", "s3"]), description: z.string(), ok: z.boolean(), error: z.string().nullable() }),
  engine: z.enum(["builtin", "inngest"]),
  retentionDays: z.number(),
});

export type AdminSchemaChecks = [
  Expect<Same<z.output<typeof adminJobsSchema>, Returned<typeof listAllJobs>>>,
  Expect<Same<z.output<typeof adminJobSchema>, Returned<typeof getAdminJob>>>,
  Expect<Same<z.output<typeof adminDeletedSchema>, Returned<typeof adminDeleteJob>>>,
  Expect<Same<z.output<typeof adminBulkSchema>, Returned<typeof adminBulk>>>,
  Expect<Same<z.output<typeof adminUsersSchema>, Returned<typeof listUsers>>>,
  Expect<Same<z.output<typeof userFlagsSchema>, Returned<typeof setUserFlags>>>,
  Expect<Same<z.output<typeof adminWorkspacesSchema>, Returned<typeof listWorkspacesWithUsage>>>,
  Expect<Same<z.output<typeof purgeSchema>, Returned<typeof purgeNow>>>,
  Expect<Same<z.output<typeof healthSchema>, Returned<typeof systemHealth>>>,
  Expect<Same<z.output<typeof updatedSchema>, Returned<typeof setWorkspaceQuotas>>>,
];
