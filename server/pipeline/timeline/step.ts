// The timeline stage: the scenes' measured narrations, pictures and word timings become the
// render spec, stored as the timeline the render step sends to the worker.
import { computeTiming, FORMAT_EXTENSION, renderSpecSchema } from "@aura/render-contract";
import { z } from "zod";
import { putObject, readJsonObject } from "../../storage/store.ts";
import { baseKey, loadJob, saveAsset, scriptOf } from "../job.ts";
import { getDb } from "../../db/client.ts";
import { QuotaError } from "../../lib/errors.ts";
import { assertRenderAllowed } from "../../quotas/service.ts";
import { StageInputError } from "../errors.ts";
import { buildRenderSpec, type SceneMedia } from "./build-spec.ts";

const spokenWordsSchema = z.array(z.object({ word: z.string(), startSec: z.number().min(0), endSec: z.number().min(0) })).min(1);

/** The voice's own word timings stored beside a narration, when its provider gave them. */
async function spokenWords(key: string | undefined) {
  if (!key) return {};
  const parsed = spokenWordsSchema.safeParse(await readJsonObject(key).catch(() => null));
  return parsed.success ? { words: parsed.data } : {};
}

/** A visual step's output: its scene's first picture (all a step of an older run has) and,
 *  since shots, every shot's still or clip. */
type VisualOutput = { key: string; shots?: { kind: "image" | "clip"; key: string; width?: number; height?: number; durationSec?: number }[] };

export async function runTimelineStep(jobId: string, narrations: { key: string; durationSec: number; wordsKey?: string }[], visuals: VisualOutput[]) {
  const { job, video, brief } = await loadJob(jobId);
  const script = scriptOf(video);
  const media: SceneMedia[] = await Promise.all(
    script.scenes.map(async (_, i) => ({
      narrationKey: narrations[i]!.key,
      narrationSec: narrations[i]!.durationSec,
      imageKey: visuals[i]!.key,
      ...(visuals[i]!.shots?.length
        ? { shots: visuals[i]!.shots!.map(({ kind, key, width, height, durationSec }) => ({ kind, key, width, height, durationSec })) }
        : {}),
      ...(await spokenWords(narrations[i]!.wordsKey)),
    })),
  );
  const base = baseKey(job.workspaceId, video.id);
  const out = `${base}/output/${jobId}`;
  const sidecars = brief.captions ? { srt: `${out}.srt`, vtt: `${out}.vtt` } : {};
  const spec = buildRenderSpec({ brief, script, media, output: { video: `${out}${FORMAT_EXTENSION[brief.format]}`, poster: `${out}.jpg`, ...sidecars } });
  const stored = await putObject(`${base}/timeline/${jobId}.json`, Buffer.from(JSON.stringify(spec, null, 2)));
  await saveAsset({ workspaceId: job.workspaceId, videoId: video.id, jobId, kind: "timeline", ...stored, mimeType: "application/json" });
  // The length the render will have: the render contract's frame-exact timing, which the worker uses too.
  const { totalSec } = computeTiming(renderSpecSchema.parse(spec));
  await assertMeasuredLength(job.workspaceId, video, brief.targetLengthSec, totalSec);
  return { key: stored.key, durationSec: Math.round(totalSec * 1000) / 1000, scenes: spec.scenes.length };
}

/** The measured narration may run this much over the ordered length (voices differ from the
 *  plan a little); beyond it, nothing is rendered. */
export const MEASURED_LENGTH_RATIO = 1.5;

/** The target again, now that the narration is measured, and the month's minutes with the
 *  length the render will really have. Fails the stage for good, before any render time. */
async function assertMeasuredLength(workspaceId: string, video: { outputAssetId: string | null }, orderedSec: number, lengthSec: number) {
  const limit = orderedSec * MEASURED_LENGTH_RATIO;
  if (lengthSec > limit) {
    throw new StageInputError(
      `the narration measures ${lengthSec.toFixed(1)} s, more than a ${orderedSec} s video allows (${limit.toFixed(0)} s); shorten the script`,
    );
  }
  await assertRenderAllowed(getDb(), workspaceId, lengthSec, { orderedSec, newVideo: !video.outputAssetId }).catch((error: unknown) => {
    throw error instanceof QuotaError ? new StageInputError(error.message) : error;
  });
}
