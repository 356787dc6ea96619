// REST endpoints for videos: create from a brief, list, status, cancel and download. Each
// acts only in the API key's workspace; another workspace's video is a 404. Each JSON body
// goes through its schema in ./schemas.ts, the same the OpenAPI document is made from.
import { briefSchema } from "../../videos/brief.ts";
import { extensionFor, mediaResponse } from "../../videos/media.ts";
import { getVideoDetail, listVideos, videoChapters, videoFilterSchema } from "../../videos/queries.ts";
import { cancelJob, createVideo, getLatestJob, getVideoOrThrow } from "../../videos/service.ts";
import { requestVideoGeneration } from "../../workflow/client.ts";
import { NotFoundError } from "../../lib/errors.ts";
import { plainError } from "../../lib/plain-errors.ts";
import { readDegraded } from "../../videos/degraded.ts";
import { readQualityReport } from "../../pipeline/render/quality-report.ts";
import { apiRoute, readJson, shapeResponse, type ApiContext } from "./handler.ts";
import { restCancelSchema, restVideoListSchema, restVideoSchema } from "./schemas.ts";

async function videoStatus(ctx: ApiContext, videoId: string) {
  const video = await getVideoOrThrow(ctx, videoId);
  const job = await getLatestJob(ctx, video.id);
  const { scenes, shortened, language } = await getVideoDetail(ctx, video.id);
  return shapeResponse(restVideoSchema, {
    id: video.id,
    title: video.title,
    status: video.status,
    language,
    durationSec: video.durationSec,
    width: video.width,
    height: video.height,
    tags: video.tags,
    createdAt: video.createdAt.toISOString(),
    chapters: await videoChapters(ctx, video),
    scenes: scenes.map((s) => ({
      id: s.id,
      title: s.title,
      shots: s.shots.map(({ query, kind, provider, credit, license, sourceUrl, words, match }) => ({
        query,
        kind,
        provider,
        credit,
        license,
        sourceUrl,
        words,
        match,
      })),
    })),
    job: job && {
      id: job.id,
      status: job.status,
      progress: job.progress,
      stage: job.currentStage,
      // In plain words, as on the job page; the raw reason is for site admins.
      error: job.errorMessage
        ? { stage: job.errorStage, provider: job.errorProvider, reason: plainError(job.errorMessage, { provider: job.errorProvider, stage: job.errorStage }) }
        : null,
    },
    degraded: readDegraded(video.degraded),
    quality: readQualityReport(video.qualityReport),
    shortened,
    links: { self: `/api/v1/videos/${video.id}`, download: video.outputAssetId ? `/api/v1/videos/${video.id}/download` : null },
  });
}

export const createVideoRoute = apiRoute("video.create", async (ctx) => {
  const brief = briefSchema.parse(await readJson(ctx.request));
  const { video, job } = await createVideo(ctx, brief);
  await requestVideoGeneration(job);
  return Response.json(await videoStatus(ctx, video.id), { status: 201, headers: { location: `/api/v1/videos/${video.id}` } });
});

export const listVideosRoute = apiRoute("video.view", async (ctx) => {
  const params = Object.fromEntries(new URL(ctx.request.url).searchParams);
  const videos = await listVideos(ctx, videoFilterSchema.parse(params));
  return Response.json(
    shapeResponse(restVideoListSchema, {
      videos: videos.map(({ thumbnailUrl: _thumbnail, ...v }) => ({ ...v, createdAt: v.createdAt.toISOString(), links: { self: `/api/v1/videos/${v.id}` } })),
    }),
  );
});

export const getVideoRoute = apiRoute<{ id: string }>("video.view", async (ctx, { id }) => Response.json(await videoStatus(ctx, id)));

export const cancelVideoRoute = apiRoute<{ id: string }>("job.cancel", async (ctx, { id }) => {
  const video = await getVideoOrThrow(ctx, id);
  const job = await getLatestJob(ctx, video.id);
  if (!job) throw new NotFoundError("job");
  const result = await cancelJob(ctx, job.id);
  return Response.json(shapeResponse(restCancelSchema, { ...result, video: await videoStatus(ctx, id) }));
});

export const downloadVideoRoute = apiRoute<{ id: string }>("video.view", async (ctx, { id }) => {
  const video = await getVideoOrThrow(ctx, id);
  const asset = video.outputAssetId ? await ctx.db.asset.findFirst({ where: { id: video.outputAssetId, workspaceId: ctx.workspaceId } }) : null;
  if (!asset) throw new NotFoundError("the video's file (it is not ready)");
  return mediaResponse(asset, ctx.request, { download: `${video.title}${extensionFor(asset.mimeType)}` });
});
