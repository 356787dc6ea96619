// The render stage: the stored timeline goes to the render worker; the video, its poster and
// caption files it wrote become the video's assets, and its quality report replaces the
// video's last one. While it renders, the worker writes a growing preview (./preview.ts),
// removed once the video is saved.
import { createHash } from "node:crypto";
import { chapterList, computeTiming, type RenderSpecInput, renderSpecSchema } from "@aura/render-contract";
import { getDb, Prisma } from "../../db/client.ts";
import { log } from "../../lib/log.ts";
import { getEnv } from "../../env.ts";
import { recordRenderUsage } from "../../quotas/service.ts";
import { readJsonObject } from "../../storage/store.ts";
import { ENCODE_STEP } from "../../workflow/stages.ts";
import { videoMimeType } from "../../videos/media.ts";
import { StageInputError } from "../errors.ts";
import { loadJob, saveAsset } from "../job.ts";
import { assembleQualityReport } from "./quality-report.ts";
import { previewPrefix, removePreviews } from "./preview.ts";
import { renderOnWorker } from "./worker-client.ts";
import { renderWorkerUrls } from "./workers.ts";

export async function runRenderStep(
  jobId: string,
  timelineKey: string,
  options: { signal?: AbortSignal; onProgress?: (percent: number, etaSec: number | null) => void; onWaiting?: (message: string) => void },
) {
  const env = getEnv();
  const { job, video } = await loadJob(jobId);
  // The timeline stage wrote it from the contract's schema: passed on as it is.
  const spec = (await readJsonObject(timelineKey)) as RenderSpecInput | null;
  if (!spec) throw new StageInputError(`the timeline ${timelineKey} is not in storage`);
  // The id names this job, this exact timeline and this run of the render step: a resumed step
  // finds its render again; an edit is a new render, even one that comes back to an earlier
  // timeline (the output's key is the same, so an earlier render's result would be stale).
  const run = (await getDb().jobStepAttempt.count({ where: { jobId, stepId: ENCODE_STEP, status: "succeeded" } })) + 1;
  const renderId = `job-${jobId}-${createHash("sha256").update(JSON.stringify(spec)).digest("hex").slice(0, 12)}-r${run}`;
  // Earlier jobs' previews are stale now; this one's goes beside them (not part of the id: the
  // same timeline is the same render; a resumed step keeps the preview its render is writing).
  await removePreviews(job.workspaceId, video.id, jobId, "others");
  const output = { ...spec.output, preview: previewPrefix(job.workspaceId, video.id, jobId) };
  const result = await renderOnWorker(renderId, { ...spec, output }, job.correlationId, {
    workers: renderWorkerUrls,
    secret: env.RENDER_WORKER_SECRET,
    signal: options.signal,
    onProgress: options.onProgress,
    onWaiting: options.onWaiting,
    unreachableWaitMs: env.RENDER_WORKER_WAIT_SECONDS * 1000,
    failoverMs: env.RENDER_WORKER_FAILOVER_SECONDS * 1000,
  });
  const videoAsset = await saveAsset({
    workspaceId: job.workspaceId,
    videoId: video.id,
    jobId,
    kind: "video",
    key: result.video.key,
    bytes: result.video.bytes,
    sha256: result.video.sha256,
    mimeType: videoMimeType(result.video.key),
    durationSec: result.video.durationSec,
    width: result.video.width,
    height: result.video.height,
  });
  const poster = await saveAsset({
    workspaceId: job.workspaceId,
    videoId: video.id,
    jobId,
    kind: "thumbnail",
    key: result.poster.key,
    bytes: result.poster.bytes,
    sha256: result.poster.sha256,
    mimeType: "image/jpeg",
    width: result.poster.width,
    height: result.poster.height,
  });
  for (const [kind, file] of Object.entries(result.captions ?? {})) {
    if (!file) continue;
    await saveAsset({
      workspaceId: job.workspaceId,
      videoId: video.id,
      jobId,
      kind: "captions",
      ...file,
      mimeType: kind === "vtt" ? "text/vtt" : "application/x-subrip",
    });
  }
  // Counted once per render: a resumed one counts once.
  await recordRenderUsage(getDb(), {
    workspaceId: job.workspaceId,
    videoId: video.id,
    jobId,
    renderId,
    seconds: result.video.durationSec,
  });
  // The report reads every step this job finished (an edit re-runs only some: the others still
  // made what the video shows).
  const steps = await getDb().jobStep.findMany({
    where: { jobId, status: "succeeded", stepId: { not: ENCODE_STEP } },
    select: { stepId: true, stage: true, output: true },
  });
  // The video is made: a report that cannot be put together is logged and left out (the
  // page then shows none), never a reason to render again.
  let qualityReport: ReturnType<typeof assembleQualityReport> | null = null;
  try {
    qualityReport = assembleQualityReport({
      spec: renderSpecSchema.parse(spec),
      durationSec: result.video.durationSec,
      measured: result.quality,
      steps,
      // How the worker made the music bed ("chord": fluidsynth or its sound font was missing).
      music: result.music,
    });
  } catch (error) {
    log.error("the quality report could not be assembled", { jobId, videoId: video.id, reason: (error as Error).message });
  }
  await getDb().video.update({
    where: { id: video.id },
    data: {
      outputAssetId: videoAsset.id,
      thumbnailAssetId: poster.id,
      durationSec: result.video.durationSec,
      width: result.video.width,
      height: result.video.height,
      qualityReport: qualityReport ?? Prisma.DbNull,
    },
  });
  // The final file replaces the preview (a page still playing it switches to the video).
  await removePreviews(job.workspaceId, video.id, jobId, "this").catch((error: Error) =>
    log.warn("the render's preview could not be removed", { jobId, reason: error.message }),
  );
  return {
    videoAssetId: videoAsset.id,
    posterAssetId: poster.id,
    durationSec: result.video.durationSec,
    renderSec: result.elapsedSec,
    ...(result.previewReadyMs !== undefined ? { previewReadyMs: result.previewReadyMs } : {}),
    provider: `render-worker:${result.encoder}`,
    quality: qualityReport?.verdict ?? "unassembled",
    ...(result.segments ? { segments: result.segments } : {}),
    // Stored once with the render's result, so that pages list them without reading the timeline.
    chapters: chaptersOf(spec),
  };
}

/** The chapters the worker writes into the video (one per scene), or none when the spec has them off. */
function chaptersOf(spec: unknown) {
  const parsed = renderSpecSchema.parse(spec);
  return parsed.chapters ? chapterList(parsed, computeTiming(parsed)) : [];
}
