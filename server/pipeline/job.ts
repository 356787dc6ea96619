// What every stage's step needs of its job: the job, its video and brief, the script the
// script step stored, where the video's media is kept, and the asset rows media becomes.
import { getDb, type AssetKind } from "../db/client.ts";
import { storedBriefSchema } from "../videos/brief.ts";
import { scriptSchema } from "./script/types.ts";

export async function loadJob(jobId: string) {
  const job = await getDb().job.findUniqueOrThrow({ where: { id: jobId }, include: { video: true } });
  return { job, video: job.video, brief: storedBriefSchema.parse(job.video.brief) };
}

export const baseKey = (workspaceId: string, videoId: string) => `workspaces/${workspaceId}/videos/${videoId}`;

export async function saveAsset(data: {
  workspaceId: string;
  videoId: string;
  jobId: string;
  kind: AssetKind;
  key: string;
  bytes: number;
  sha256: string;
  mimeType: string;
  durationSec?: number;
  width?: number;
  height?: number;
}) {
  const row = {
    workspaceId: data.workspaceId,
    videoId: data.videoId,
    jobId: data.jobId,
    kind: data.kind,
    storageKey: data.key,
    sha256: data.sha256,
    bytes: BigInt(data.bytes),
    mimeType: data.mimeType,
    durationSec: data.durationSec ?? null,
    width: data.width ?? null,
    height: data.height ?? null,
  };
  return getDb().asset.upsert({ where: { storageKey: data.key }, create: row, update: row });
}

/** The script the script step stored on the video row loadJob already read. */
export function scriptOf(video: { script: unknown }) {
  return scriptSchema.parse(video.script);
}
