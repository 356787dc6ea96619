// The growing preview of a render, on the app's side: where the render step asks the worker to
// put it (one prefix per job, beside the video's other files), and how the job page and the
// REST API read it back. The worker writes an HLS event playlist, its MPEG-TS files and a
// status document there (render-worker/src/preview.ts); the render step removes them once the
// final file is saved. Only members of the video's workspace (or its API keys) reach them.
import { ObjectNotFoundError } from "@aura/object-store";
import { PREVIEW_FILE_PATTERN, PREVIEW_PLAYLIST, PREVIEW_STATUS } from "@aura/render-contract";
import { NotFoundError } from "../../lib/errors.ts";
import type { WorkspaceContext } from "../../lib/service-context.ts";
import { getStore } from "../../storage/store.ts";
import { mediaResponse } from "../../videos/media.ts";
import { getLatestJob, getVideoOrThrow } from "../../videos/service.ts";
import { baseKey } from "../job.ts";

/** Every preview of a video (one per job) lives under this prefix. */
export const previewsPrefix = (workspaceId: string, videoId: string) => `${baseKey(workspaceId, videoId)}/preview`;

/** Where the worker puts the preview of this job's render. */
export const previewPrefix = (workspaceId: string, videoId: string, jobId: string) => `${previewsPrefix(workspaceId, videoId)}/${jobId}`;

const TYPES: Record<string, string> = {
  m3u8: "application/vnd.apple.mpegurl",
  json: "application/json",
  ts: "video/mp2t",
};

/**
 * One file of the preview of the video's newest job, while that job renders: the playlist, the
 * status or a media file. Another workspace's video, a name that is not a preview file's, a
 * job not in its render stage (a retry's earlier steps must not show the last run's preview),
 * or a preview not (or no longer) there is a 404. Nothing is cached: a retry or an edit
 * renders the same job again, and its files come under the same names.
 */
export async function previewFileResponse(ctx: WorkspaceContext, videoId: string, file: string, request: Request) {
  if (!PREVIEW_FILE_PATTERN.test(file)) throw new NotFoundError("preview file");
  const video = await getVideoOrThrow(ctx, videoId);
  const job = await getLatestJob(ctx, video.id);
  if (job?.status !== "running" || job.currentStage !== "render") throw new NotFoundError("preview");
  const key = `${previewPrefix(ctx.workspaceId, video.id, job.id)}/${file}`;
  const type = TYPES[file.split(".").pop()!]!;
  if (file !== PREVIEW_PLAYLIST && file !== PREVIEW_STATUS) return mediaResponse({ storageKey: key, mimeType: type }, request, { cache: "no-store" });
  const text = await (await getStore())
    .getBuffer(key)
    .then((b) => b.toString("utf8"))
    .catch((error) => {
      throw error instanceof ObjectNotFoundError ? new NotFoundError("preview") : error;
    });
  return new Response(request.method === "HEAD" ? null : text, {
    headers: { "content-type": type === TYPES.json ? type : `${type}; charset=utf-8`, "cache-control": "no-store", "x-content-type-options": "nosniff" },
  });
}

/** Removes this job's preview (after its render), or every other job's (before it). */
export async function removePreviews(workspaceId: string, videoId: string, jobId: string, which: "this" | "others") {
  const store = await getStore();
  if (which === "this") return void (await store.deletePrefix(previewPrefix(workspaceId, videoId, jobId)));
  const prefix = `${previewsPrefix(workspaceId, videoId)}/`;
  const jobs = new Set((await store.list(prefix)).map((key) => key.slice(prefix.length).split("/")[0]!));
  for (const other of jobs) if (other !== jobId) await store.deletePrefix(previewPrefix(workspaceId, videoId, other));
}
