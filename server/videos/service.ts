// Videos and their jobs. Every function takes the service context first (the workspace
// derived by the caller from the session); an object of another workspace is not found.
import { hasBrandKit } from "../brand/service.ts";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { Prisma, type Db, type JobStatus } from "../db/client.ts";
import type { ServiceContext, WorkspaceContext } from "../lib/service-context.ts";
import { reshortened, type ScriptScene, type ShotPick, scriptSchema, shotPickSchema, type Script } from "../pipeline/script/types.ts";
import { requestVideoGeneration, sendCancelled, sendScriptReviewed } from "../workflow/client.ts";
import { appendJobEvent, JOB_CANCEL_CHANNEL } from "../workflow/events.ts";
import { isActiveJobStatus } from "../workflow/job-status.ts";
import { markJobCancelled } from "../workflow/lifecycle.ts";
import { SCRIPT_REVIEWED_EVENT } from "../workflow/queue.ts";
import { stageIndex, type StageId } from "../workflow/stages.ts";
import { jobProgress } from "../workflow/steps.ts";
import { getEnv } from "../env.ts";
import { log } from "../lib/log.ts";
import { BadRequestError, ConflictError, NotFoundError } from "../lib/errors.ts";
import { assertQuota } from "../quotas/service.ts";
import { assertBriefSpend } from "../quotas/spend.ts";
import { recordAudit, type AuditEntry } from "../audit/log.ts";

/** Who did it, for actions that are audited (a site admin's): recorded with the change. */
type ActorAudit = Pick<AuditEntry, "actorId" | "action" | "data">;
import { INSET_POSITIONS, voiceInfo, type Brief } from "./brief.ts";
import { NARRATION_WPM, pacedByCharacters, unitsPerSecond } from "../pipeline/pacing.ts";
import { hasSomethingToSay } from "../pipeline/narration/speakable.ts";
import { plannedWpm } from "../pipeline/script/analysis.ts";
import { estimatedLengthSec, MAX_LENGTH_RATIO } from "../pipeline/script/arc.ts";
import { MAX_SHOTS, shotsOf } from "../pipeline/shots.ts";
import { extractKeywords } from "../text/keywords.ts";
import { textField, truncateText } from "../text/policy.ts";

export async function createVideo({ db, workspaceId, userId }: ServiceContext, briefInput: Brief) {
  // A brief that does not say uses the brand kit when the workspace has one; the choice is
  // stored with the brief, so the video keeps it whatever the kit becomes.
  const brief: Brief = { ...briefInput, brand: briefInput.brand ?? { use: await hasBrandKit({ db, workspaceId }), music: "kit", logo: true } };
  // The first sentence, ended as its language ends one (。！？ in CJK, ؟ in Arabic, । in Hindi).
  const title = truncateText(brief.topic.split(/[.!?\n。！？؟।]/)[0]!.trim(), 100) || "Untitled video";
  // Paid visuals first: an estimate past the month's AI spend limit is refused with both figures.
  await assertBriefSpend(db, workspaceId, brief);
  const { video, job } = await db.$transaction(async (tx) => {
    await assertQuota({ db: tx, workspaceId }, brief.targetLengthSec);
    const video = await tx.video.create({
      data: { workspaceId, createdById: userId, title, brief: brief as Prisma.InputJsonValue, status: "queued" },
    });
    const job = await tx.job.create({ data: { workspaceId, videoId: video.id, correlationId: randomUUID(), engine: getEnv().engine } });
    return { video, job };
  });
  await appendJobEvent(db, job.id, "job.queued", { progress: 0 });
  return { video, job };
}

export async function getVideoOrThrow({ db, workspaceId }: WorkspaceContext, videoId: string) {
  const video = await db.video.findFirst({ where: { id: videoId, workspaceId } });
  if (!video) throw new NotFoundError("video");
  return video;
}

export async function getJobOrThrow({ db, workspaceId }: WorkspaceContext, jobId: string) {
  const job = await db.job.findFirst({ where: { id: jobId, workspaceId } });
  if (!job) throw new NotFoundError("job");
  return job;
}

export async function getAssetOrThrow({ db, workspaceId }: WorkspaceContext, assetId: string) {
  const asset = await db.asset.findFirst({ where: { id: assetId, workspaceId } });
  if (!asset) throw new NotFoundError("asset");
  return asset;
}

/** The video's newest job (the one its page and the REST API show), or null. */
export function getLatestJob({ db, workspaceId }: WorkspaceContext, videoId: string) {
  return db.job.findFirst({ where: { videoId, workspaceId }, orderBy: { createdAt: "desc" } });
}

/** The title of the video an asset belongs to (a download is named after it), if any. */
export async function getVideoTitle({ db, workspaceId }: WorkspaceContext, videoId: string) {
  const video = await db.video.findFirst({ where: { id: videoId, workspaceId }, select: { title: true } });
  return video?.title ?? null;
}

/** Cancels a job: a queued or waiting one at once; a running one by signalling its runner,
 *  which aborts the current step (and the render worker kills FFmpeg). */
export async function cancelJob(ctx: WorkspaceContext, jobId: string, audit?: ActorAudit) {
  const { db, workspaceId } = ctx;
  const job = await getJobOrThrow(ctx, jobId);
  if (!isActiveJobStatus(job.status)) return { status: job.status, changed: false };
  const now = new Date();
  await db.$transaction([
    db.job.update({ where: { id: jobId }, data: { cancelRequestedAt: now } }),
    ...(audit ? [recordAudit(db, { ...audit, workspaceId, targetType: "job", targetId: jobId })] : []),
  ]);
  await sendCancelled(job);
  // Nobody runs a queued or waiting job: it ends here. (A runner that picks it up later sees
  // cancelRequestedAt and stops.)
  const idle = await db.job.updateMany({ where: { id: jobId, status: { in: ["queued", "waiting"] } }, data: { status: "running" } });
  if (idle.count === 1) {
    await markJobCancelled(db, jobId, job.status === "queued" ? "cancelled before it started" : "cancelled while waiting");
    return { status: "cancelled" as const, changed: true };
  }
  log.info("job cancel requested", { jobId, correlationId: job.correlationId });
  await appendJobEvent(db, jobId, "job.cancel_requested", { message: "cancelling…" });
  await db.$executeRaw`SELECT pg_notify(${JOB_CANCEL_CHANNEL}, ${jobId})`;
  return { status: "running" as const, changed: true };
}

export const RETRYABLE_STATUSES = ["failed", "cancelled", "expired"] as const;

/**
 * Runs a failed, cancelled or expired job again. Steps that succeeded are kept and not run
 * again; the failed step and everything after it run. With fromStage, that stage and every
 * later one run again too.
 */
export async function retryJob(ctx: WorkspaceContext, jobId: string, fromStage?: StageId, audit?: ActorAudit) {
  const { db } = ctx;
  const job = await getJobOrThrow(ctx, jobId);
  if (!(RETRYABLE_STATUSES as readonly string[]).includes(job.status)) {
    throw new ConflictError(`only a failed, cancelled or expired job can be retried; this one is ${job.status}`);
  }
  const steps = await db.jobStep.findMany({ where: { jobId }, select: { id: true, stepId: true, stage: true, status: true, output: true } });
  const from = fromStage ? stageIndex(fromStage) : Infinity;
  // A job cancelled (or expired) while it waited for AI video clips had them deleted at the
  // provider: the scenes that started clips and did not store them start them again.
  const restart =
    job.status === "failed"
      ? []
      : steps
          .filter((s) => /^visual-\d+$/.test(s.stepId) && s.status === "succeeded" && (s.output as { generating?: unknown } | null)?.generating)
          .map((s) => s.stepId)
          .filter((scene) => !steps.some((c) => c.stepId === `${scene}-clips` && c.status === "succeeded"));
  const restarted = (stepId: string) => restart.some((scene) => stepId === scene || stepId.startsWith(`${scene}-`));
  const redo = steps.filter((s) => s.status !== "succeeded" || stageIndex(s.stage) >= from || restarted(s.stepId)).map((s) => s.id);
  const run = await requeueJob(
    db,
    job,
    redo,
    { fromStage: fromStage ?? undefined },
    audit && { ...audit, data: { ...audit.data, fromStage: fromStage ?? null } },
  );
  log.info("job retried", { jobId, correlationId: job.correlationId, fromStage: fromStage ?? null, run, redoneSteps: redo.length });
  return { status: "queued" as const, redoneSteps: redo.length };
}

/**
 * Resets the given steps (their earlier attempts stay in the history) and queues the job
 * again as a new run; only a job still in the status it was read in is claimed.
 */
async function requeueJob(
  db: Db,
  job: { id: string; workspaceId: string; videoId: string; status: string },
  redo: string[],
  event: { fromStage?: string; message?: string; steps?: string[] },
  audit?: ActorAudit,
) {
  const run = await db.$transaction(async (tx) => {
    if (audit) await recordAudit(tx, { ...audit, workspaceId: job.workspaceId, targetType: "job", targetId: job.id });
    // A job run again counts against the workspace's jobs at once (not its daily videos).
    await assertQuota({ db: tx, workspaceId: job.workspaceId }, 0, { newVideo: false });
    // Only one retry wins if two arrive together.
    const claimed = await tx.job.updateMany({
      where: { id: job.id, status: job.status as JobStatus },
      data: {
        status: "queued",
        cancelRequestedAt: null,
        errorStage: null,
        errorProvider: null,
        errorMessage: null,
        finishedAt: null,
        waitingFor: null,
        waitUntil: null,
        currentStage: null,
      },
    });
    if (claimed.count !== 1) throw new ConflictError("the job changed while retrying it; reload and try again");
    // Reset, not deleted: the steps' earlier attempts stay in the history.
    await tx.jobStep.updateMany({
      where: { id: { in: redo } },
      data: { status: "pending", attempts: 0, output: Prisma.DbNull, error: null, finishedAt: null, waitEvent: null, waitUntil: null },
    });
    await tx.video.update({ where: { id: job.videoId }, data: { status: "queued" } });
    return (await tx.jobEvent.count({ where: { jobId: job.id, type: "job.retried" } })) + 1;
  });
  const progress = await jobProgress(db, job.id);
  await appendJobEvent(db, job.id, "job.retried", { ...event, progress, message: event.message ?? `retry ${run}` }, { progress });
  await requestVideoGeneration(job, run);
  return run;
}

const narrationText = textField("Narration", { min: 1, max: 2000 });

/** What a person may change in a scene: its narration and its visual prompt. */
const sceneText = {
  narration: narrationText.refine(hasSomethingToSay, "Narration must contain words to speak"),
  visualPrompt: textField("Visual prompt", { min: 1, max: 500 }),
  /** The scene's shots, each with what it should show; absent keeps them. */
  shots: z
    .array(
      z.object({
        query: textField("Shot query", { min: 1, max: 200 }),
        /** An item of the workspace's media library instead of what the providers find. */
        pick: shotPickSchema.optional(),
        /** Another take of what the providers give: 0 is the first. */
        take: z.number().int().min(0).max(50).optional(),
      }),
    )
    .min(1, "A scene needs at least one shot")
    .max(MAX_SHOTS, `A scene has at most ${MAX_SHOTS} shots`)
    .optional(),
};

type ShotEdit = { query: string; pick?: ShotPick; take?: number };

/** Shots as a script stores them, for comparing an edit with what was there. */
const sameShots = (a: ShotEdit[] | undefined, b: ShotEdit[] | undefined) => {
  const plain = (shots: ShotEdit[] | undefined) => shots?.map((s) => ({ query: s.query, pick: s.pick ?? null, take: s.take ?? 0 })) ?? null;
  return JSON.stringify(plain(a)) === JSON.stringify(plain(b));
};

/** A shot may show only a picture or a clip of this workspace's own library: another
 *  workspace's item, an audio file or a missing one is refused alike, naming the field. */
async function assertPickedItems(ctx: WorkspaceContext, shots: ShotEdit[] | undefined, field: string) {
  const itemOf = (s: ShotEdit) => (s.pick?.kind === "library" ? s.pick.itemId : null);
  const ids = [...new Set((shots ?? []).flatMap((s) => itemOf(s) ?? []))];
  if (!ids.length) return;
  const found = await ctx.db.mediaItem.findMany({
    where: { id: { in: ids }, workspaceId: ctx.workspaceId, kind: { in: ["image", "video"] } },
    select: { id: true },
  });
  const k = (shots ?? []).findIndex((s) => itemOf(s) && !found.some((f) => f.id === itemOf(s)));
  if (k >= 0) throw new BadRequestError(`${field}.${k}.pick.itemId: no picture or video clip with this id in the workspace's media library`);
}

export const sceneEditSchema = z.object({
  videoId: z.string().min(1),
  sceneId: z.string().min(1),
  ...sceneText,
  /** Another scene's picture in a corner of this one; null removes it, absent keeps it. */
  inset: z
    .object({
      sceneId: z.string().min(1, "Choose the scene whose picture to show"),
      position: z.enum(INSET_POSITIONS, { error: `Inset position must be one of: ${INSET_POSITIONS.join(", ")}` }),
    })
    .nullable()
    .optional(),
});

/**
 * An edit may not make the video longer than its order allows (the bound the script stage
 * keeps), estimated at the script's own speaking rate before anything is narrated. An edit
 * that shortens an already long video passes. Returns the edited video's estimated length.
 */
function assertEditedLength(stored: unknown, before: Script, after: Script, field: string) {
  // Only what the check needs, as stored: a brief written before today's rules still edits.
  const brief = stored as Pick<Brief, "targetLengthSec" | "topic" | "audience" | "voice"> & { language?: string };
  const language = brief.language ?? voiceInfo(brief.voice)?.language ?? "en";
  const wpm = after.pace?.wpm ?? plannedWpm({ ...brief, language });
  const limit = brief.targetLengthSec * MAX_LENGTH_RATIO;
  const length = estimatedLengthSec(after.scenes, wpm, language);
  if (length > limit && length > estimatedLengthSec(before.scenes, wpm, language)) {
    const over = Math.ceil((length - limit) * unitsPerSecond(wpm, language));
    throw new BadRequestError(
      `${field}: with this text the video would last about ${Math.round(length)} s; it was ordered at ${brief.targetLengthSec} s, so it may last at most ${Math.round(limit)} s (about ${over} ${pacedByCharacters(language) ? "characters" : "words"} fewer)`,
    );
  }
  return length;
}

/** An edited script that was shortened says how long it is now, and no longer counts as
 *  shortened once the edits bring it near the length asked for. */
function withShortened(edited: Script, lengthSec: number) {
  const shortened = reshortened(edited.shortened, lengthSec, `the edited script runs about ${Math.round(lengthSec)} s`);
  if (shortened) edited.shortened = shortened;
  else delete edited.shortened;
}

/**
 * A scene whose visual prompt changed shows what the new prompt asks for, whatever the
 * provider: AI pictures are drawn from the prompt, but stock and the built-in pictures search
 * by the shots' queries, so each shot the person did not rewrite in the same edit gets a query
 * from the new prompt's key words (turned per shot, so shots differ). A picked item stays picked.
 */
function withPromptShots(before: ScriptScene, after: ScriptScene, wpm: number): ScriptScene {
  if (after.visualPrompt === before.visualPrompt) return after;
  const old = before.shots?.length ? before.shots : shotsOf(before, wpm);
  const words = extractKeywords(after.visualPrompt, 6);
  const shots = (after.shots ?? old).map((shot, k) => {
    if (shot.query !== old[k]?.query) return shot;
    const turn = words.length ? k % words.length : 0;
    const query = [...words.slice(turn), ...words.slice(0, turn)].slice(0, 3).join(" ");
    return { query: truncateText(query || after.title, 200), ...(shot.pick ? { pick: shot.pick } : {}) };
  });
  return { ...after, shots };
}

/** A job whose run ended without a video: its scenes may be edited before it is retried. */
const isEndedRun = (status: string) => (RETRYABLE_STATUSES as readonly string[]).includes(status);

/**
 * Edits one scene and makes the video again with it: that scene's narration (and visual, if
 * its prompt or shots changed), the timeline and the render run; everything else is kept, and
 * the render worker reuses the other scenes' rendered segments. On a ready video the new run
 * starts at once. On a failed, cancelled or expired job the edit is kept and those steps are
 * marked to run again: Retry then runs them with the failed step, reusing the rest.
 */
export async function editScene(ctx: WorkspaceContext, input: z.infer<typeof sceneEditSchema>) {
  const { db } = ctx;
  const video = await getVideoOrThrow(ctx, input.videoId);
  const job = await getLatestJob(ctx, video.id);
  if (!job || (job.status !== "succeeded" && !isEndedRun(job.status))) {
    throw new ConflictError("a scene can be edited once the video is ready, or once its job has failed or been cancelled");
  }
  if (!video.script) throw new ConflictError("the script is not written yet: retry the job to write it, then edit its scenes");
  const script = scriptSchema.parse(video.script);
  const index = script.scenes.findIndex((s) => s.id === input.sceneId);
  if (index < 0) throw new NotFoundError("scene");
  const scene = script.scenes[index]!;
  const inset = input.inset === undefined ? (scene.inset ?? null) : input.inset;
  if (inset && (inset.sceneId === scene.id || !script.scenes.some((s) => s.id === inset.sceneId))) {
    throw new BadRequestError("inset.sceneId: the inset must show another scene of this video");
  }
  await assertPickedItems(ctx, input.shots, "shots");
  const insetChanged = inset?.sceneId !== scene.inset?.sceneId || inset?.position !== scene.inset?.position;
  const stepIds = [
    ...(scene.narration !== input.narration ? [`narration-${index + 1}`] : []),
    ...(scene.visualPrompt !== input.visualPrompt || (input.shots && !sameShots(input.shots, scene.shots)) ? [`visual-${index + 1}`] : []),
  ];
  if (!stepIds.length && !insetChanged) return { changed: false, redoneSteps: 0 };
  stepIds.push("timeline", "render", "encode");
  const editedScene = withPromptShots(
    scene,
    { ...scene, narration: input.narration, visualPrompt: input.visualPrompt, inset, ...(input.shots ? { shots: input.shots } : {}) },
    script.pace?.wpm ?? NARRATION_WPM,
  );
  const edited: Script = { ...script, scenes: script.scenes.map((s, i) => (i === index ? editedScene : s)) };
  const lengthSec = assertEditedLength(video.brief, script, edited, "narration");
  withShortened(edited, lengthSec);
  // A scene's visual step comes with the polls, waits and last step of its AI video clips.
  const visualSteps = stepIds.filter((id) => id.startsWith("visual-")).map((id) => ({ stepId: { startsWith: `${id}-` } }));
  const redoWhere = { jobId: job.id, OR: [{ stepId: { in: stepIds } }, ...visualSteps] };
  if (isEndedRun(job.status)) {
    const redone = await db.$transaction(async (tx) => {
      // Locked, so a Retry arriving meanwhile claims the job only after the edit is in.
      const [row] = await tx.$queryRaw<{ status: string }[]>`SELECT status FROM "Job" WHERE id = ${job.id} FOR UPDATE`;
      if (row?.status !== job.status) throw new ConflictError("the job changed while saving the edit; reload and try again");
      await tx.video.update({ where: { id: video.id }, data: { script: edited as unknown as Prisma.InputJsonValue } });
      const steps = await tx.jobStep.updateMany({
        where: redoWhere,
        data: { status: "pending", attempts: 0, output: Prisma.DbNull, error: null, finishedAt: null, waitEvent: null, waitUntil: null },
      });
      return steps.count;
    });
    await appendJobEvent(db, job.id, "script.edited", { message: `scene ${index + 1} edited: Retry runs it again`, steps: stepIds });
    log.info("scene edited before a retry", { jobId: job.id, correlationId: job.correlationId, scene: index + 1, resetSteps: redone });
    return { changed: true, redoneSteps: redone };
  }
  // The edit renders the whole video again: its length counts towards the month's minutes.
  await db.$transaction(async (tx) => {
    await assertQuota({ db: tx, workspaceId: ctx.workspaceId }, lengthSec, { newVideo: false });
    await tx.video.update({ where: { id: video.id }, data: { script: edited as unknown as Prisma.InputJsonValue } });
  });
  const redo = (await db.jobStep.findMany({ where: redoWhere, select: { id: true } })).map((s) => s.id);
  await requeueJob(db, job, redo, { message: `scene ${index + 1} edited`, steps: stepIds });
  log.info("scene edited", { jobId: job.id, correlationId: job.correlationId, scene: index + 1, redoneSteps: redo.length });
  return { changed: true, redoneSteps: redo.length };
}

export const scriptEditSchema = z
  .object({
    jobId: z.string().min(1),
    scenes: z.array(z.object({ id: z.string().min(1), ...sceneText, narration: narrationText })).min(1),
    approve: z.boolean().default(false),
  })
  // The review gate: a scene with nothing to say aloud (only punctuation, emoji or links) is
  // refused by its number, before the job goes on to narrate it.
  .superRefine((review, ctx) => {
    for (const [i, scene] of review.scenes.entries()) {
      if (!hasSomethingToSay(scene.narration))
        ctx.addIssue({ code: "custom", path: ["scenes", i, "narration"], message: `Scene ${i + 1} has nothing to say aloud` });
    }
  });

/** Saves a reviewer's edits to a script waiting for review, and with approve, continues. */
export async function reviewScript(ctx: WorkspaceContext, input: z.infer<typeof scriptEditSchema>) {
  const { db } = ctx;
  const job = await getJobOrThrow(ctx, input.jobId);
  if (job.status !== "waiting" || job.waitingFor !== SCRIPT_REVIEWED_EVENT) throw new ConflictError("this job is not waiting for a script review");
  const video = await db.video.findUniqueOrThrow({ where: { id: job.videoId } });
  const script = scriptSchema.parse(video.script);
  const edits = new Map(input.scenes.map((s) => [s.id, s]));
  for (const [i, scene] of input.scenes.entries()) await assertPickedItems(ctx, scene.shots, `scenes.${i}.shots`);
  if (edits.size !== script.scenes.length || script.scenes.some((s) => !edits.has(s.id))) {
    throw new ConflictError(`the review must cover the script's ${script.scenes.length} scenes, by their ids`);
  }
  const wpm = script.pace?.wpm ?? NARRATION_WPM;
  const edited: Script = {
    ...script,
    scenes: script.scenes.map((s) => {
      const edit = edits.get(s.id)!;
      return withPromptShots(s, { ...s, narration: edit.narration, visualPrompt: edit.visualPrompt, ...(edit.shots ? { shots: edit.shots } : {}) }, wpm);
    }),
  };
  withShortened(edited, assertEditedLength(video.brief, script, edited, "scenes"));
  const changed = edited.scenes.filter((s, i) => {
    const before = script.scenes[i]!;
    return s.narration !== before.narration || s.visualPrompt !== before.visualPrompt || !sameShots(s.shots, before.shots);
  }).length;
  await db.video.update({ where: { id: video.id }, data: { script: edited as unknown as Prisma.InputJsonValue } });
  await appendJobEvent(db, job.id, "script.edited", { message: `${changed} scene(s) edited${input.approve ? ", approved" : ""}` });
  if (input.approve) await sendScriptReviewed(job);
  log.info(input.approve ? "script approved" : "script edited", { jobId: job.id, correlationId: job.correlationId, changedScenes: changed });
  return { changedScenes: changed, approved: input.approve };
}
