// What each workflow step does. Every function is idempotent: it derives its storage keys
// from the job, overwrites its own outputs, and returns small JSON (keys, ids, durations).
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { computeTiming, FORMAT_EXTENSION, renderSpecSchema } from "@aura/render-contract";
import { getDb, type AssetKind, type Prisma } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { putObject, storagePath } from "../storage/local.ts";
import { briefSchema } from "../videos/brief.ts";
import { videoMimeType } from "../videos/media.ts";
import { drawWith, speakWith, writeScriptWith } from "../providers/capabilities.ts";
import { callCapability, type ChainOutcome } from "../providers/chain.ts";
import { passagesForBrief } from "../knowledge/service.ts";
import { toneInstructionsSchema } from "../providers/catalog.ts";
import { isPresetScript } from "../videos/demo.ts";
import { NonRetriableError } from "../workflow/engine/errors.ts";
import { renderOnWorker } from "./render-client.ts";
import { analyseScript, plannedWpm, speechRate } from "./script/analysis.ts";
import { repairArc } from "./script/arc.ts";
import { scriptSchema } from "./script/types.ts";
import { NARRATION_WPM } from "./pacing.ts";
import { makeSpeakable } from "./speakable.ts";
import { buildRenderSpec, type SceneMedia } from "./timeline.ts";

async function loadJob(jobId: string) {
  const job = await getDb().job.findUniqueOrThrow({ where: { id: jobId }, include: { video: true } });
  return { job, video: job.video, brief: briefSchema.parse(job.video.brief) };
}

const baseKey = (workspaceId: string, videoId: string) => `workspaces/${workspaceId}/videos/${videoId}`;

async function saveAsset(data: {
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

/** What a step records of the provider chain: who answered, every attempt, what was passed over. */
function providerReport(outcome: ChainOutcome<unknown>) {
  return {
    provider: outcome.provider,
    attempts: outcome.attempts,
    ...(outcome.fallbacks.length ? { fallbacks: outcome.fallbacks } : {}),
  };
}

export async function runScriptStep(jobId: string, signal?: AbortSignal) {
  const { job, video, brief } = await loadJob(jobId);
  if (isPresetScript(video.script)) {
    // A Quick Demo's script is fixed: no writer runs, so the check covers the other stages.
    const preset = scriptOf(video);
    return { sceneCount: preset.scenes.length, title: preset.title, writer: preset.writer, review: brief.reviewScript, provider: "preset" };
  }
  const workspace = await getDb().workspace.findUniqueOrThrow({ where: { id: job.workspaceId }, select: { scriptInstructions: true, toneInstructions: true } });
  const passages = brief.useKnowledge ? await passagesForBrief(getDb(), job.workspaceId, brief, signal) : [];
  const guidance = {
    instructions: workspace.scriptInstructions,
    toneInstructions: toneInstructionsSchema.safeParse(workspace.toneInstructions).data?.[brief.tone] ?? null,
    passages,
  };
  const outcome = await callCapability(getDb(), job.workspaceId, "script", (config, ctx) => writeScriptWith(config, brief, guidance, ctx), { signal });
  // Whatever wrote it, the script's arc and pacing are checked and repaired, then analysed.
  const arc = repairArc(outcome.value, { targetLengthSec: brief.targetLengthSec, wpm: plannedWpm(brief) });
  const script = {
    ...analyseScript(arc.script, brief),
    ...(passages.length ? { sources: passages.map((p) => ({ documentId: p.documentId, document: p.document, chunk: p.chunk, excerpt: p.text.slice(0, 400) })) } : {}),
  };
  await getDb().video.update({ where: { id: video.id }, data: { script: script as unknown as Prisma.InputJsonValue, title: script.title } });
  return {
    sceneCount: script.scenes.length,
    title: script.title,
    writer: script.writer,
    review: brief.reviewScript,
    pace: script.pace,
    ...(passages.length ? { sources: passages.length } : {}),
    ...(arc.repairs.length ? { repairs: arc.repairs } : {}),
    ...(arc.issues.length ? { warnings: arc.issues.map((i) => i.message) } : {}),
    ...providerReport(outcome),
  };
}

/** The script the script step stored on the video row loadJob already read. */
function scriptOf(video: { script: unknown }) {
  return scriptSchema.parse(video.script);
}

export async function runNarrationStep(jobId: string, sceneIndex: number, signal?: AbortSignal) {
  const { job, video, brief } = await loadJob(jobId);
  const script = scriptOf(video);
  const scene = script.scenes[sceneIndex]!;
  const text = makeSpeakable(scene.narration);
  if (!text) throw new NonRetriableError(`scene ${sceneIndex + 1}'s narration has no speakable words`);
  const rate = speechRate(script.pace?.wpm ?? NARRATION_WPM);
  const outcome = await callCapability(getDb(), job.workspaceId, "voice", (config, ctx) => speakWith(config, text, brief.voice, ctx, rate), { signal });
  const speech = outcome.value;
  const base = `${baseKey(job.workspaceId, video.id)}/narration/scene-${sceneIndex + 1}`;
  const stored = await putObject(`${base}.wav`, speech.wav);
  const asset = await saveAsset({ workspaceId: job.workspaceId, videoId: video.id, jobId, kind: "narration", ...stored, mimeType: "audio/wav", durationSec: speech.durationSec });
  // Word timings, where the voice gives them, sit beside the audio for captions to use.
  const words = speech.words ? await putObject(`${base}.words.json`, Buffer.from(JSON.stringify(speech.words))) : null;
  return { assetId: asset.id, key: stored.key, durationSec: Math.round(speech.durationSec * 1000) / 1000, ...(words ? { wordsKey: words.key } : {}), ...providerReport(outcome) };
}

export async function runVisualStep(jobId: string, sceneIndex: number, signal?: AbortSignal) {
  const { job, video, brief } = await loadJob(jobId);
  const script = scriptOf(video);
  const scene = script.scenes[sceneIndex]!;
  const outcome = await callCapability(getDb(), job.workspaceId, "visuals", (config, ctx) => drawWith(config, scene, script, sceneIndex, brief, ctx), { signal });
  const image = outcome.value;
  const stored = await putObject(`${baseKey(job.workspaceId, video.id)}/visuals/scene-${sceneIndex + 1}.${image.ext}`, image.bytes);
  const { width, height } = image;
  const asset = await saveAsset({ workspaceId: job.workspaceId, videoId: video.id, jobId, kind: "visual", ...stored, mimeType: image.mime, width, height });
  return { assetId: asset.id, key: stored.key, width, height, ...(image.credit ? { credit: image.credit } : {}), ...providerReport(outcome) };
}

const spokenWordsSchema = z.array(z.object({ word: z.string(), startSec: z.number().min(0), endSec: z.number().min(0) })).min(1);

/** The voice's own word timings stored beside a narration, when its provider gave them. */
async function spokenWords(key: string | undefined) {
  if (!key) return {};
  const parsed = spokenWordsSchema.safeParse(JSON.parse(await readFile(storagePath(key), "utf8").catch(() => "null")));
  return parsed.success ? { words: parsed.data } : {};
}

export async function runTimelineStep(jobId: string, narrations: { key: string; durationSec: number; wordsKey?: string }[], visuals: { key: string }[]) {
  const { job, video, brief } = await loadJob(jobId);
  const script = scriptOf(video);
  const media: SceneMedia[] = await Promise.all(
    script.scenes.map(async (_, i) => ({
      narrationKey: narrations[i]!.key,
      narrationSec: narrations[i]!.durationSec,
      imageKey: visuals[i]!.key,
      ...(await spokenWords(narrations[i]!.wordsKey)),
    })),
  );
  const base = baseKey(job.workspaceId, video.id);
  const out = `${base}/output/${jobId}`;
  const sidecars = brief.captions ? { srt: `${out}.srt`, vtt: `${out}.vtt` } : {};
  const spec = buildRenderSpec({ brief, script, media, output: { video: `${out}${FORMAT_EXTENSION[brief.format]}`, poster: `${out}.jpg`, ...sidecars } });
  const stored = await putObject(`${base}/timeline/${jobId}.json`, Buffer.from(JSON.stringify(spec, null, 2)));
  await saveAsset({ workspaceId: job.workspaceId, videoId: video.id, jobId, kind: "timeline", ...stored, mimeType: "application/json" });
  // The length the render will have: the worker's own frame-exact timing.
  const { totalSec } = computeTiming(renderSpecSchema.parse(spec));
  return { key: stored.key, durationSec: Math.round(totalSec * 1000) / 1000, scenes: spec.scenes.length };
}

export async function runRenderStep(jobId: string, timelineKey: string, options: { signal?: AbortSignal; onProgress?: (percent: number) => void }) {
  const env = getEnv();
  const { job, video } = await loadJob(jobId);
  const spec = JSON.parse(await readFile(storagePath(timelineKey), "utf8"));
  // The id names this job and this exact timeline: a resumed step finds its render again; an
  // edited video (a new timeline) is a new render.
  const renderId = `job-${jobId}-${createHash("sha256").update(JSON.stringify(spec)).digest("hex").slice(0, 12)}`;
  const result = await renderOnWorker(renderId, spec, job.correlationId, {
    baseUrl: env.RENDER_WORKER_URL,
    secret: env.RENDER_WORKER_SECRET,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  const videoAsset = await saveAsset({
    workspaceId: job.workspaceId, videoId: video.id, jobId, kind: "video", key: result.video.key, bytes: result.video.bytes,
    sha256: result.video.sha256, mimeType: videoMimeType(result.video.key), durationSec: result.video.durationSec, width: result.video.width, height: result.video.height,
  });
  const poster = await saveAsset({
    workspaceId: job.workspaceId, videoId: video.id, jobId, kind: "thumbnail", key: result.poster.key, bytes: result.poster.bytes,
    sha256: result.poster.sha256, mimeType: "image/jpeg", width: result.poster.width, height: result.poster.height,
  });
  for (const [kind, file] of Object.entries(result.captions ?? {})) {
    if (!file) continue;
    await saveAsset({ workspaceId: job.workspaceId, videoId: video.id, jobId, kind: "captions", ...file, mimeType: kind === "vtt" ? "text/vtt" : "application/x-subrip" });
  }
  await getDb().video.update({
    where: { id: video.id },
    data: { outputAssetId: videoAsset.id, thumbnailAssetId: poster.id, durationSec: result.video.durationSec, width: result.video.width, height: result.video.height },
  });
  return {
    videoAssetId: videoAsset.id,
    posterAssetId: poster.id,
    durationSec: result.video.durationSec,
    renderSec: result.elapsedSec,
    provider: `render-worker:${result.encoder}`,
    ...(result.segments ? { segments: result.segments } : {}),
  };
}
