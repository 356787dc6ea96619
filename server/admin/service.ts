// The site admin console: every job of every workspace (filters, search, pages), a job's
// whole history, actions on one or many jobs, users, workspaces with their usage and
// quotas, retention and purge, and the system's health. Only site admins get here; anyone
// else is told there is nothing (NotFoundError), as for another workspace's objects.
import { z } from "zod";
import { emptyToUndefined } from "../lib/params.ts";
import { listAudit, recordAudit } from "../audit/log.ts";
import type { Db, Prisma } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { BadRequestError, NotFoundError } from "../lib/errors.ts";
import type { UserContext } from "../lib/service-context.ts";
import { quotaReport } from "../quotas/service.ts";
import { getStore } from "../storage/store.ts";
import { cancelJob, retryJob } from "../videos/service.ts";
import { runCleanup } from "../workflow/cleanup.ts";
import { probeRenderWorkers } from "../pipeline/render/workers.ts";
import { isActiveJobStatus, JOB_STATUSES } from "../workflow/job-status.ts";
import { STAGE_IDS, type StageId } from "../workflow/stages.ts";

export async function requireSiteAdmin({ db, userId }: UserContext) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { isSiteAdmin: true, disabledAt: true } });
  if (!user?.isSiteAdmin || user.disabledAt) throw new NotFoundError("page");
}

const opt = <T extends z.ZodType>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());

export const adminJobFilterSchema = z.object({
  status: opt(z.enum(JOB_STATUSES, { error: "Unknown status" })),
  stage: opt(z.enum(STAGE_IDS, { error: "Unknown stage" })),
  workspaceId: opt(z.string().max(64)),
  userId: opt(z.string().max(64)),
  provider: opt(z.string().max(60)),
  from: opt(z.coerce.date({ error: "from must be a date" })),
  to: opt(z.coerce.date({ error: "to must be a date" })),
  /** A job id or a correlation id (exact), or words of the video's title. */
  search: opt(z.string().trim().max(200)),
  cursor: opt(z.string().max(64)),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type AdminJobFilter = z.input<typeof adminJobFilterSchema>;

export async function listAllJobs({ db }: UserContext, input: AdminJobFilter) {
  const f = adminJobFilterSchema.parse(input);
  const to = f.to ? new Date(f.to.getTime() + 86400_000) : undefined;
  const where: Prisma.JobWhereInput = {
    ...(f.status ? { status: f.status } : {}),
    ...(f.stage
      ? { OR: [{ currentStage: f.stage }, { errorStage: f.stage }, { steps: { some: { stage: f.stage, status: { in: ["failed", "running", "waiting"] } } } }] }
      : {}),
    ...(f.workspaceId ? { workspaceId: f.workspaceId } : {}),
    ...(f.userId ? { video: { createdById: f.userId } } : {}),
    ...(f.provider ? { steps: { some: { provider: { startsWith: f.provider } } } } : {}),
    ...(f.from || to ? { createdAt: { ...(f.from ? { gte: f.from } : {}), ...(to ? { lt: to } : {}) } } : {}),
    ...(f.search ? { AND: [{ OR: [{ id: f.search }, { correlationId: f.search }, { video: { title: { contains: f.search, mode: "insensitive" } } }] }] } : {}),
  };
  const rows = await db.job.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: f.limit + 1,
    ...(f.cursor ? { cursor: { id: f.cursor }, skip: 1 } : {}),
    include: {
      workspace: { select: { id: true, name: true } },
      video: { select: { id: true, title: true, createdBy: { select: { id: true, email: true } } } },
    },
  });
  const page = rows.slice(0, f.limit);
  return {
    jobs: page.map((j) => ({
      id: j.id,
      status: j.status,
      stage: j.currentStage ?? j.errorStage,
      progress: j.progress,
      correlationId: j.correlationId,
      error: j.errorMessage ? { stage: j.errorStage, provider: j.errorProvider, reason: j.errorMessage } : null,
      workspace: j.workspace,
      video: { id: j.video.id, title: j.video.title },
      user: j.video.createdBy,
      createdAt: j.createdAt,
      finishedAt: j.finishedAt,
    })),
    nextCursor: rows.length > f.limit ? page.at(-1)!.id : null,
  };
}

export async function getAdminJob({ db }: UserContext, jobId: string) {
  const job = await db.job.findUnique({
    where: { id: jobId },
    include: {
      workspace: { select: { id: true, name: true } },
      video: { select: { id: true, title: true, status: true, createdBy: { select: { email: true } } } },
      steps: { orderBy: { startedAt: "asc" }, include: { attemptLog: { orderBy: { startedAt: "asc" } } } },
      events: { orderBy: { id: "desc" }, take: 300 },
    },
  });
  if (!job) throw new NotFoundError("job");
  return {
    ...job,
    events: job.events.reverse().map((e) => ({ id: e.id.toString(), type: e.type, payload: e.payload, createdAt: e.createdAt })),
  };
}

async function jobWorkspace(db: Db, jobId: string) {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { workspaceId: true } });
  if (!job) throw new NotFoundError("job");
  return job.workspaceId;
}

export async function adminCancelJob({ db, userId }: UserContext, jobId: string) {
  return cancelJob({ db, workspaceId: await jobWorkspace(db, jobId) }, jobId, { actorId: userId, action: "admin.job.cancelled" });
}

export async function adminRetryJob({ db, userId }: UserContext, jobId: string, fromStage?: StageId) {
  return retryJob({ db, workspaceId: await jobWorkspace(db, jobId) }, jobId, fromStage, { actorId: userId, action: "admin.job.retried" });
}

/** Deletes a job with the files it made; a video left without any job goes too. A running
 *  job must be cancelled first. */
export async function adminDeleteJob({ db, userId }: UserContext, jobId: string) {
  const job = await db.job.findUnique({ where: { id: jobId }, include: { video: { select: { id: true, title: true, _count: { select: { jobs: true } } } } } });
  if (!job) throw new NotFoundError("job");
  if (isActiveJobStatus(job.status)) throw new BadRequestError(`the job is ${job.status}: cancel it first`);
  const assets = await db.asset.findMany({ where: { jobId }, select: { storageKey: true } });
  const deleteVideo = job.video._count.jobs <= 1;
  await db.$transaction(async (tx) => {
    await recordAudit(tx, {
      workspaceId: job.workspaceId,
      actorId: userId,
      action: "admin.job.deleted",
      targetType: "job",
      targetId: jobId,
      data: { video: job.video.title, videoDeleted: deleteVideo, files: assets.length },
    });
    await tx.asset.deleteMany({ where: { jobId } });
    if (deleteVideo) await tx.video.delete({ where: { id: job.videoId } });
    else await tx.job.delete({ where: { id: jobId } });
  });
  const store = await getStore();
  await Promise.all(assets.map((a) => store.delete(a.storageKey)));
  if (deleteVideo) await store.deletePrefix(`workspaces/${job.workspaceId}/videos/${job.videoId}`);
  return { deleted: true, videoDeleted: deleteVideo };
}

export const BULK_ACTIONS = ["cancel", "retry", "delete"] as const;

export async function adminBulk(ctx: UserContext, action: (typeof BULK_ACTIONS)[number], jobIds: string[]) {
  const results: { jobId: string; ok: boolean; error?: string }[] = [];
  for (const jobId of [...new Set(jobIds)]) {
    try {
      if (action === "cancel") await adminCancelJob(ctx, jobId);
      else if (action === "retry") await adminRetryJob(ctx, jobId);
      else await adminDeleteJob(ctx, jobId);
      results.push({ jobId, ok: true });
    } catch (error) {
      results.push({ jobId, ok: false, error: (error as Error).message });
    }
  }
  return { action, results };
}

export async function listUsers({ db }: UserContext, search?: string) {
  const users = await db.user.findMany({
    where: search ? { OR: [{ email: { contains: search, mode: "insensitive" } }, { name: { contains: search, mode: "insensitive" } }] } : {},
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      id: true,
      email: true,
      name: true,
      isSiteAdmin: true,
      disabledAt: true,
      createdAt: true,
      _count: { select: { memberships: true, videos: true } },
    },
  });
  return users.map((u) => ({ ...u, workspaces: u._count.memberships, videos: u._count.videos }));
}

export async function setUserFlags({ db, userId: actorId }: UserContext, userId: string, flags: { disabled?: boolean; siteAdmin?: boolean }) {
  if (userId === actorId && (flags.disabled || flags.siteAdmin === false))
    throw new BadRequestError("You cannot disable yourself or remove your own admin rights");
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) throw new NotFoundError("user");
    const updated = await tx.user.update({
      where: { id: userId },
      data: {
        ...(flags.disabled !== undefined ? { disabledAt: flags.disabled ? new Date() : null } : {}),
        ...(flags.siteAdmin !== undefined ? { isSiteAdmin: flags.siteAdmin } : {}),
      },
    });
    // Database sessions end now; signed-token sessions are refused on their next request
    // (tRPC checks the user, and a disabled user has no workspace for pages and media).
    if (flags.disabled) await tx.session.deleteMany({ where: { userId } });
    await recordAudit(tx, {
      workspaceId: null,
      actorId,
      action: "admin.user.updated",
      targetType: "user",
      targetId: userId,
      data: { email: user.email, ...flags },
    });
    return { id: updated.id, disabled: Boolean(updated.disabledAt), siteAdmin: updated.isSiteAdmin };
  });
}

export async function listWorkspacesWithUsage({ db }: UserContext) {
  const workspaces = await db.workspace.findMany({
    orderBy: { createdAt: "desc" },
    take: 200,
    select: {
      id: true,
      name: true,
      personal: true,
      createdAt: true,
      quotaConcurrentJobs: true,
      quotaVideosPerDay: true,
      quotaMinutesPerMonth: true,
      quotaMaxLengthSec: true,
      _count: { select: { memberships: true, videos: true, jobs: true } },
    },
  });
  return Promise.all(
    workspaces.map(async (w) => ({
      id: w.id,
      name: w.name,
      personal: w.personal,
      createdAt: w.createdAt,
      members: w._count.memberships,
      videos: w._count.videos,
      jobs: w._count.jobs,
      own: {
        concurrentJobs: w.quotaConcurrentJobs,
        videosPerDay: w.quotaVideosPerDay,
        minutesPerMonth: w.quotaMinutesPerMonth,
        maxLengthSec: w.quotaMaxLengthSec,
      },
      ...(await quotaReport({ db, workspaceId: w.id })),
    })),
  );
}

const quotaValue = z.number().int("A quota is a whole number").min(0, "A quota cannot be negative").max(1_000_000).nullable().optional();
export const quotaInputSchema = z.object({
  workspaceId: z.string().min(1),
  concurrentJobs: quotaValue,
  videosPerDay: quotaValue,
  minutesPerMonth: quotaValue,
  maxLengthSec: quotaValue,
});

export async function setWorkspaceQuotas({ db, userId }: UserContext, input: z.input<typeof quotaInputSchema>) {
  const q = quotaInputSchema.parse(input);
  const data = {
    ...(q.concurrentJobs !== undefined ? { quotaConcurrentJobs: q.concurrentJobs } : {}),
    ...(q.videosPerDay !== undefined ? { quotaVideosPerDay: q.videosPerDay } : {}),
    ...(q.minutesPerMonth !== undefined ? { quotaMinutesPerMonth: q.minutesPerMonth } : {}),
    ...(q.maxLengthSec !== undefined ? { quotaMaxLengthSec: q.maxLengthSec } : {}),
  };
  return db.$transaction(async (tx) => {
    const found = await tx.workspace.findUnique({ where: { id: q.workspaceId }, select: { id: true } });
    if (!found) throw new NotFoundError("workspace");
    await tx.workspace.update({ where: { id: q.workspaceId }, data });
    await recordAudit(tx, {
      workspaceId: q.workspaceId,
      actorId: userId,
      action: "admin.quotas.updated",
      targetType: "workspace",
      targetId: q.workspaceId,
      data,
    });
    return { updated: true };
  });
}

/** Runs the retention cleanup now (the same as the hourly one). */
export async function purgeNow({ db, userId }: UserContext) {
  const env = getEnv();
  const result = await runCleanup(db, { retentionDays: env.JOB_RETENTION_DAYS, segmentDays: env.RENDER_SHARED_CACHE_DAYS });
  await recordAudit(db, { workspaceId: null, actorId: userId, action: "admin.purged", data: { ...result, retentionDays: env.JOB_RETENTION_DAYS } });
  return { ...result, retentionDays: env.JOB_RETENTION_DAYS };
}

/** Providers (health of every configured setting), the render workers and their encoders, queues. */
export async function systemHealth({ db }: UserContext) {
  const env = getEnv();
  const [providers, jobs, queue] = await Promise.all([
    db.providerSetting.groupBy({ by: ["capability", "provider", "healthStatus"], where: { enabled: true }, _count: { _all: true } }),
    db.job.groupBy({ by: ["status"], _count: { _all: true } }),
    db.$queryRaw<
      { name: string; state: string; count: bigint }[]
    >`SELECT name, state::text, count(*)::bigint AS count FROM pgboss.job WHERE state IN ('created', 'retry', 'active') GROUP BY name, state`.catch(() => []),
  ]);
  // Every worker the app knows, with its load, encoders and last contact; and the store.
  const [renderWorkers, storage] = await Promise.all([probeRenderWorkers(db), storageHealth()]);
  return {
    providers: providers.map((p) => ({ capability: p.capability, provider: p.provider, health: p.healthStatus ?? "unchecked", count: p._count._all })),
    jobs: Object.fromEntries(jobs.map((j) => [j.status, j._count._all])),
    queue: queue.map((q) => ({ name: q.name, state: q.state, count: Number(q.count) })),
    renderWorkers,
    storage,
    engine: env.engine,
    retentionDays: env.JOB_RETENTION_DAYS,
  };
}

export const adminAudit = (ctx: UserContext, before?: bigint) => listAudit(ctx, { before, limit: 100 });

/** Can the store be reached and used? Its kind and place, and the reason when not. */
async function storageHealth() {
  const store = await getStore();
  try {
    await store.check();
    return { kind: store.kind, description: store.description, ok: true, error: null };
  } catch (error) {
    return { kind: store.kind, description: store.description, ok: false, error: (error as Error).message };
  }
}
