// Read models for the pages: the library and one video with its job, both scoped.
import { z } from "zod";
import { providerReportSchema } from "../providers/report.ts";
import { chapterList, chapterSchema, computeTiming, type LanguageCode, languageOrEnglish, renderSpecSchema } from "@aura/render-contract";
import { emptyToUndefined } from "../lib/params.ts";
import { tagsSchema } from "../lib/tags.ts";
import { readJsonObject } from "../storage/store.ts";
import { Prisma } from "../db/client.ts";
import { VideoStatus } from "../db/generated/enums.ts";
import type { DbContext, WorkspaceContext } from "../lib/service-context.ts";
import { thumbKeyOf } from "../pipeline/visuals/keys.ts";
import { readQualityReport } from "../pipeline/render/quality-report.ts";
import { type ScriptShot, scriptSchema, shortenedNotice } from "../pipeline/script/types.ts";
import { ENCODE_STEP, stageIndex } from "../workflow/stages.ts";
import { sidecarKey } from "./media.ts";
import { getVideoOrThrow } from "./service.ts";
import { readDegraded } from "./degraded.ts";
import { plainError, plainReason } from "../lib/plain-errors.ts";

export const mediaUrl = (assetId: string | null | undefined) => (assetId ? `/api/media/${assetId}` : null);

/** The language a stored brief resolved to; briefs stored before briefs had one are English. */
export const briefLanguage = (brief: unknown) => languageOrEnglish((brief as { language?: string } | null)?.language).code as LanguageCode;

export const VIDEO_SORTS = ["newest", "oldest", "title", "longest"] as const;

/** The library's search, filters and sort, as they come from the page's query string or tRPC. */
export const videoFilterSchema = z.object({
  q: z.preprocess(emptyToUndefined, z.string().trim().max(200, "Search must be at most 200 characters").optional()),
  status: z.preprocess(emptyToUndefined, z.enum(VideoStatus, { error: "Unknown status" }).optional()),
  creator: z.preprocess(emptyToUndefined, z.string().max(64).optional()),
  tag: z.preprocess(emptyToUndefined, z.string().trim().toLowerCase().max(40).optional()),
  from: z.preprocess(emptyToUndefined, z.coerce.date({ error: "from must be a date" }).optional()),
  to: z.preprocess(emptyToUndefined, z.coerce.date({ error: "to must be a date" }).optional()),
  sort: z.preprocess(emptyToUndefined, z.enum(VIDEO_SORTS).default("newest")),
});
export type VideoFilter = z.input<typeof videoFilterSchema>;

// Each sort, in SQL (ties broken by the newest first, as before).
const ORDER = {
  newest: Prisma.sql`v."createdAt" DESC`,
  oldest: Prisma.sql`v."createdAt" ASC`,
  title: Prisma.sql`v.title ASC, v."createdAt" DESC`,
  longest: Prisma.sql`v."durationSec" DESC NULLS LAST, v."createdAt" DESC`,
} as const satisfies Record<(typeof VIDEO_SORTS)[number], Prisma.Sql>;

/** A LIKE pattern that finds `text` anywhere, its wildcards taken as plain characters. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The library: one statement that reads only the columns the list shows, with each video's
 *  newest job's progress and its creator (at 200 requests at once, three queries per request
 *  and every column of every video with its brief and script were most of the list's cost). */
export async function listVideos({ db, workspaceId }: WorkspaceContext, filter: VideoFilter = {}) {
  const f = videoFilterSchema.parse(filter);
  // "to" is a day: everything up to its end counts.
  const to = f.to ? new Date(f.to.getTime() + 86400_000) : undefined;
  const where = [Prisma.sql`v."workspaceId" = ${workspaceId}`];
  if (f.q) where.push(Prisma.sql`(v.title ILIKE ${containing(f.q)} OR v.brief->>'topic' LIKE ${containing(f.q)} OR ${f.q.toLowerCase()} = ANY(v.tags))`);
  if (f.status) where.push(Prisma.sql`v.status = ${f.status}::"VideoStatus"`);
  if (f.creator) where.push(Prisma.sql`v."createdById" = ${f.creator}`);
  if (f.tag) where.push(Prisma.sql`${f.tag} = ANY(v.tags)`);
  if (f.from) where.push(Prisma.sql`v."createdAt" >= ${f.from}`);
  if (to) where.push(Prisma.sql`v."createdAt" < ${to}`);
  const videos = await db.$queryRaw<
    {
      id: string;
      title: string;
      status: VideoStatus;
      durationSec: number | null;
      createdAt: Date;
      thumbnailAssetId: string | null;
      tags: string[];
      language: string | null;
      progress: number | null;
      creatorName: string | null;
      creatorEmail: string;
      degraded: unknown;
    }[]
  >`
    SELECT v.id, v.title, v.status::text AS status, v."durationSec", v."createdAt", v."thumbnailAssetId", v.tags,
      v.brief->>'language' AS language, v.degraded, j.progress, u.name AS "creatorName", u.email AS "creatorEmail"
    FROM "Video" v
    JOIN "User" u ON u.id = v."createdById"
    LEFT JOIN LATERAL (SELECT progress FROM "Job" WHERE "videoId" = v.id ORDER BY "createdAt" DESC LIMIT 1) j ON true
    WHERE ${Prisma.join(where, " AND ")}
    ORDER BY ${ORDER[f.sort]}
    LIMIT 200`;
  return videos.map((v) => ({
    id: v.id,
    title: v.title,
    status: v.status,
    durationSec: v.durationSec,
    createdAt: v.createdAt,
    thumbnailUrl: mediaUrl(v.thumbnailAssetId),
    progress: v.progress ?? 0,
    tags: v.tags,
    language: briefLanguage({ language: v.language }),
    creator: v.creatorName ?? v.creatorEmail,
    // Most videos have no degradations (none stored, or an empty list): readDegraded builds a
    // schema for each one, and fails it on null: about a third of a REST list request's CPU.
    degraded: v.degraded === null || (Array.isArray(v.degraded) && v.degraded.length === 0) ? [] : readDegraded(v.degraded),
  }));
}

export async function setVideoTags(ctx: WorkspaceContext, videoId: string, tags: string[]) {
  const { db } = ctx;
  const video = await getVideoOrThrow(ctx, videoId);
  const clean = [...new Set(tagsSchema.parse(tags))];
  await db.video.update({ where: { id: video.id }, data: { tags: clean } });
  return { tags: clean };
}

export async function getVideoDetail(ctx: WorkspaceContext, videoId: string) {
  const { db, workspaceId } = ctx;
  const video = await getVideoOrThrow(ctx, videoId);
  const [job, assets] = await Promise.all([
    db.job.findFirst({
      where: { videoId: video.id, workspaceId },
      orderBy: { createdAt: "desc" },
      include: { steps: { orderBy: { startedAt: "asc" }, include: { attemptLog: { orderBy: { startedAt: "asc" } } } } },
    }),
    db.asset.findMany({
      where: { videoId: video.id, workspaceId, kind: { in: ["visual", "captions"] } },
      select: { id: true, storageKey: true, kind: true },
      orderBy: { createdAt: "desc" },
    }),
  ]);
  const output = video.outputAssetId ? await db.asset.findUnique({ where: { id: video.outputAssetId }, select: { storageKey: true, jobId: true } }) : null;
  const chapters = await shownChapters(job, output?.jobId);
  // The caption sidecars written beside the output (same name, .srt / .vtt).
  const sidecar = (ext: ".srt" | ".vtt") =>
    output ? mediaUrl(assets.find((a) => a.kind === "captions" && a.storageKey === sidecarKey(output.storageKey, ext))?.id) : null;
  const script = video.script ? scriptSchema.safeParse(video.script) : null;
  // The newest picture of the scene (a provider may have answered with a JPEG, PNG or WebP).
  const visualFor = (i: number) =>
    assets.find((a) => a.kind === "visual" && new RegExp(`/visuals/scene-${i + 1}(-shot-1)?(-thumb)?\\.(png|jpg|webp)$`).test(a.storageKey))?.id ?? null;
  const shotsFor = (i: number, planned: ScriptShot[]) => {
    // A scene with AI video clips has its shots from its last step, once that has run.
    const stepOf = (id: string) => job?.steps.find((s) => s.stepId === id)?.output;
    const made = visualShotsSchema.safeParse(stepOf(`visual-${i + 1}-clips`) ?? stepOf(`visual-${i + 1}`));
    const assetOf = (key: string) => assets.find((a) => a.storageKey === key)?.id;
    const got = made.success ? made.data.shots : [];
    // The script's shots (what was asked, and chosen), each with what its last run made.
    const asked: ScriptShot[] = planned.length ? planned : got.map((g) => ({ query: g.query }));
    return asked.map((shot, k) => {
      const found = got[k];
      return {
        query: shot.query,
        pick: shot.pick ?? null,
        take: shot.take ?? 0,
        kind: found?.kind ?? null,
        provider: found?.provider ?? null,
        url: found ? mediaUrl(assetOf(found.key)) : null,
        thumbnailUrl: found ? mediaUrl(assetOf(found.kind === "clip" ? thumbKeyOf(found.key) : found.key)) : null,
        words: found?.words ?? [],
        match: found ? found.match : null,
        credit: found?.credit ?? null,
        license: found?.license ?? null,
        sourceUrl: found?.sourceUrl ?? null,
      };
    });
  };
  return {
    id: video.id,
    title: video.title,
    status: video.status,
    brief: video.brief,
    language: briefLanguage(video.brief),
    durationSec: video.durationSec,
    width: video.width,
    height: video.height,
    createdAt: video.createdAt,
    videoUrl: mediaUrl(video.outputAssetId),
    posterUrl: mediaUrl(video.thumbnailAssetId),
    captions: { srt: sidecar(".srt"), vtt: sidecar(".vtt") },
    chapters,
    quality: readQualityReport(video.qualityReport),
    degraded: readDegraded(video.degraded),
    scenes: script?.success
      ? script.data.scenes.map((s, i) => ({
          id: s.id,
          role: s.role,
          title: s.title,
          narration: s.narration,
          visualPrompt: s.visualPrompt,
          mood: s.mood ?? null,
          inset: s.inset ?? null,
          thumbnailUrl: mediaUrl(visualFor(i)),
          shots: shotsFor(i, s.shots ?? []),
        }))
      : [],
    pace: script?.success ? (script.data.pace ?? null) : null,
    sources: script?.success ? (script.data.sources ?? []) : [],
    writer: script?.success ? script.data.writer : null,
    /** Why the video is shorter than asked, when the writer had too little material. */
    shortened: script?.success && script.data.shortened ? { ...script.data.shortened, notice: shortenedNotice(script.data.shortened) } : null,
    tags: video.tags,
    job: job && {
      id: job.id,
      status: job.status,
      progress: job.progress,
      currentStage: job.currentStage,
      correlationId: job.correlationId,
      waitingFor: job.waitingFor,
      waitUntil: job.waitUntil,
      engine: job.engine,
      // Failures in plain words: the raw text is for the admin's job detail.
      error: job.errorStage
        ? {
            stage: job.errorStage,
            provider: job.errorProvider,
            reason: plainError(job.errorMessage, { provider: job.errorProvider, stage: job.errorStage }) || null,
          }
        : null,
      // A scene's polls and sleeps while its AI video clips generate are not listed: its
      // visual step and its clips step say what it asked for and what it got.
      steps: job.steps
        .filter((s) => !/^visual-\d+-(poll|wait)-\d+$/.test(s.stepId))
        .sort(byStageThenScene)
        .map((s) => ({
          stepId: s.stepId,
          stage: s.stage,
          status: s.status,
          attempts: s.attempts,
          durationMs: s.durationMs,
          provider: s.provider,
          error: plainError(s.error, { provider: s.provider, stage: s.stage }) || null,
          ...providerCallsOf(s.output),
          history: s.attemptLog.map((a) => ({
            attempt: a.attempt,
            status: a.status,
            provider: a.provider,
            error: plainError(a.error, { provider: a.provider, stage: a.stage }) || null,
            durationMs: a.durationMs,
            startedAt: a.startedAt,
          })),
        })),
    },
  };
}

/** A shot as the visuals step records it (steps of runs before shots have none). */
const visualShotSchema = z.object({
  kind: z.enum(["image", "clip"]),
  key: z.string(),
  provider: z.string(),
  query: z.string(),
  words: z.array(z.string()).default([]),
  match: z.boolean(),
  credit: z.string().optional(),
  license: z.string().optional(),
  sourceUrl: z.string().optional(),
});
const visualShotsSchema = z.object({ shots: z.array(visualShotSchema) });

const storedChaptersSchema = z.object({ chapters: z.array(chapterSchema) });

/** The chapters of the video on show, stored with its job's render: none while that job runs
 *  again for an edited scene (its render is then newer than the video). */
async function shownChapters(job: { id: string; status: string; steps: { stepId: string; output: unknown }[] } | null, outputJobId: string | null | undefined) {
  if (job?.status !== "succeeded" || outputJobId !== job.id) return [];
  const stored = storedChaptersSchema.safeParse(job.steps.find((s) => s.stepId === ENCODE_STEP)?.output);
  if (stored.success) return stored.data.chapters;
  return legacyChapters(job.steps.find((s) => s.stepId === "timeline")?.output);
}

/** Videos rendered before chapters were stored with the render: read from their timeline. */
async function legacyChapters(timelineOutput: unknown) {
  const key = (timelineOutput as { key?: string } | null)?.key;
  if (!key) return [];
  const spec = renderSpecSchema.safeParse(await readJsonObject(key).catch(() => null));
  return spec.success && spec.data.chapters ? chapterList(spec.data, computeTiming(spec.data)) : [];
}

/** A video's chapters where only the video is at hand (the public watch page, the REST API). */
export async function videoChapters({ db }: DbContext, video: { id: string; outputAssetId: string | null }) {
  if (!video.outputAssetId) return [];
  const [job, output] = await Promise.all([
    db.job.findFirst({
      where: { videoId: video.id },
      orderBy: { createdAt: "desc" },
      select: { id: true, status: true, steps: { where: { stepId: { in: [ENCODE_STEP, "timeline"] } }, select: { stepId: true, output: true } } },
    }),
    db.asset.findUnique({ where: { id: video.outputAssetId }, select: { jobId: true } }),
  ]);
  return shownChapters(job, output?.jobId);
}

const providerCallsSchema = providerReportSchema.omit({ provider: true }).extend({
  credit: z.string().optional(),
  /** A render in segments: how many pieces it had and how many came from the cache. */
  segments: z.object({ total: z.number(), cached: z.number() }).optional(),
});

/** What a step's output says about its provider chain (each call, what was passed over, the
 *  picture's credit) and, for a render in segments, how many pieces came from the cache. */
function providerCallsOf(output: unknown) {
  const parsed = providerCallsSchema.safeParse(output ?? {});
  // Each call's failure and each passed-over provider's reason in plain words.
  const calls = parsed.success ? parsed.data.attempts.map((c) => (c.error ? { ...c, error: plainError(c.error, { provider: c.provider }) } : c)) : [];
  const fallbacks = parsed.success ? parsed.data.fallbacks.map((f) => ({ ...f, reason: plainReason(f.reason, f.provider) })) : [];
  return parsed.success
    ? { calls, fallbacks, credit: parsed.data.credit ?? null, segments: parsed.data.segments ?? null }
    : { calls: [], fallbacks: [], credit: null, segments: null };
}

/** Steps in workflow order: by stage, then by scene number (parallel steps start in any order). */
function byStageThenScene(a: { stage: string; stepId: string }, b: { stage: string; stepId: string }) {
  const scene = (id: string) => Number(/^[a-z]+-(\d+)/.exec(id)?.[1] ?? 0);
  return stageIndex(a.stage) - stageIndex(b.stage) || scene(a.stepId) - scene(b.stepId);
}

export type VideoDetail = Awaited<ReturnType<typeof getVideoDetail>>;
