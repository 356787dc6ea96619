// The visuals stage, one step per scene: a picture from the workspace's chain, stored.
import { getDb } from "../../db/client.ts";
import { callCapability } from "../../providers/chain.ts";
import { putObject } from "../../storage/store.ts";
import { baseKey, loadJob, saveAsset, scriptOf } from "../job.ts";
import { providerReport } from "../../providers/report.ts";
import { drawWith } from "./draw.ts";

export async function runVisualStep(jobId: string, sceneIndex: number, signal?: AbortSignal) {
  const { job, video, brief } = await loadJob(jobId);
  const script = scriptOf(video);
  const scene = script.scenes[sceneIndex]!;
  const outcome = await callCapability(getDb(), job.workspaceId, "visuals", (config, ctx) => drawWith(config, scene, script, sceneIndex, brief, ctx), {
    signal,
  });
  const image = outcome.value;
  const stored = await putObject(`${baseKey(job.workspaceId, video.id)}/visuals/scene-${sceneIndex + 1}.${image.ext}`, image.bytes);
  const { width, height } = image;
  const asset = await saveAsset({ workspaceId: job.workspaceId, videoId: video.id, jobId, kind: "visual", ...stored, mimeType: image.mime, width, height });
  return { assetId: asset.id, key: stored.key, width, height, ...(image.credit ? { credit: image.credit } : {}), ...providerReport(outcome) };
}
