// The visuals stage, one step per scene: for each of the scene's shots, a picture or a clip
// from the workspace's chain, checked and stored, with what the shot asked for and what the
// asset says of itself (for the visual-match check on the job page).
// A shot whose provider generates AI video only starts its clip here: the step records the
// generation and ends; the workflow polls it between sleeps (pollSceneGenerations), and a last
// step (finishSceneVisuals) downloads and stores each finished clip, or falls back down the
// chain for a shot whose generation failed, was refused or took too long.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { getDb } from "../../db/client.ts";
import { getEnv } from "../../env.ts";
import { makeThumbnail } from "../../media/thumbnail.ts";
import { buildChain, callCapability, type ChainOutcome, type Fallback, runChain } from "../../providers/chain.ts";
import { ProviderError } from "../../providers/errors.ts";
import { type AttemptRecord, callProvider } from "../../providers/resilience.ts";
import { breakerKeyOf } from "../../providers/settings.ts";
import { downloadOpenAiVideo, type GenerationState, PROVIDER as VIDEO_PROVIDER, retrieveOpenAiVideo } from "../../providers/videos/openai-video.ts";
import { putFileObject, putObject } from "../../storage/store.ts";
import { updateGeneration } from "../../quotas/spend.ts";
import { brandKitOf, cardBrandOf } from "../brand.ts";
import { baseKey, loadJob, saveAsset, scriptOf } from "../job.ts";
import { NARRATION_WPM, TRANSITION_SEC } from "../pacing.ts";
import { MIN_SHOT_SEC, plannedSceneSec, shotsOf } from "../shots.ts";
import { releaseSceneClaims, shotClaims, shotKeyOf, takeClaims } from "./claims.ts";
import { drawShot, type ShotRequest, type ShotVisual } from "./draw.ts";
import { abandonGeneration, providerConfigOf, type StartedGeneration } from "./generations.ts";
import { LIBRARY_PROVIDER, pickedVisual } from "./picked.ts";
import { thumbKeyOf } from "./keys.ts";
import { queryMatches } from "./match.ts";

/** What the step needs of its scene, loaded once. */
async function loadScene(jobId: string, sceneIndex: number) {
  const { job, video, brief } = await loadJob(jobId);
  const script = scriptOf(video);
  const scene = script.scenes[sceneIndex]!;
  const wpm = script.pace?.wpm ?? NARRATION_WPM;
  // No more shots than the scene's planned length holds (the timeline would drop the rest).
  const shots = shotsOf(scene, wpm).slice(0, Math.max(1, Math.floor(plannedSceneSec(scene.narration, wpm) / MIN_SHOT_SEC)));
  // A clip should cover its shot: the scene's planned length shared out, plus the transition.
  const shotSec = plannedSceneSec(scene.narration, wpm) / shots.length + TRANSITION_SEC;
  // Cards take the brand kit's colours and font when the brief uses a kit.
  const kit = await brandKitOf(job.workspaceId, brief);
  const brand = kit ? await cardBrandOf(kit) : null;
  return { db: getDb(), jobId, job, video, brief, script, scene, sceneIndex, shots, shotSec, brand, base: baseKey(job.workspaceId, video.id) };
}
type SceneContext = Awaited<ReturnType<typeof loadScene>>;

/** The request to a provider for shot k, downloading into `dir`. */
function shotRequest(s: SceneContext, k: number, dir: string): ShotRequest {
  const shotKey = shotKeyOf(s.scene.id, k);
  return {
    script: s.script,
    scene: s.scene,
    sceneIndex: s.sceneIndex,
    shot: s.shots[k]!,
    shotIndex: k,
    shotCount: s.shots.length,
    brief: s.brief,
    shotSec: s.shotSec,
    // A chosen picture is taken as chosen: "another take" applies to the providers' own.
    claims: takeClaims(shotClaims(s.db, s.video.id, shotKey), s.shots[k]!.pick ? 0 : (s.shots[k]!.take ?? 0)),
    dir,
    brand: s.brand,
    owner: { db: s.db, workspaceId: s.job.workspaceId, jobId: s.jobId, videoId: s.video.id, shotKey },
  };
}

/** Runs fn with a fresh folder for the shot's downloads, removed afterwards. */
async function withShotDir<T>(fn: (dir: string) => Promise<T>) {
  const dir = await mkdtemp(path.join(tmpdir(), "aura-shot-"));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A clip as the step stores it: a stock clip, or a generated one (which has no page). */
type ClipToStore = Omit<Extract<ShotVisual, { kind: "clip" }>["clip"], "sourceUrl"> & { sourceUrl?: string };

/** Stores a shot's picture or clip (with a thumbnail of the clip's middle) and says what it is. */
async function storeShot(
  s: SceneContext,
  k: number,
  visual: { kind: "image"; image: Extract<ShotVisual, { kind: "image" }>["image"]; words: string[] } | { kind: "clip"; clip: ClipToStore },
  provider: string,
  signal?: AbortSignal,
) {
  const shot = s.shots[k]!;
  const name = `${s.base}/visuals/scene-${s.sceneIndex + 1}${s.shots.length > 1 ? `-shot-${k + 1}` : ""}`;
  type Stored = Awaited<ReturnType<typeof putObject>>;
  const saveVisual = (stored: Stored, mimeType: string, size: { width?: number; height?: number; durationSec?: number } = {}) =>
    saveAsset({ workspaceId: s.job.workspaceId, videoId: s.video.id, jobId: s.jobId, kind: "visual", ...stored, mimeType, ...size });
  if (visual.kind === "image") {
    const { image } = visual;
    const stored = await putObject(`${name}.${image.ext}`, image.bytes);
    const asset = await saveVisual(stored, image.mime, { width: image.width, height: image.height });
    return {
      kind: "image" as const,
      assetId: asset.id,
      key: stored.key,
      width: image.width,
      height: image.height,
      provider,
      query: shot.query,
      words: visual.words.slice(0, 20),
      match: queryMatches(shot.query, visual.words),
      ...(image.credit ? { credit: image.credit } : {}),
      ...(image.license ? { license: image.license } : {}),
      ...(image.sourceUrl ? { sourceUrl: image.sourceUrl } : {}),
      ...(image.sourceId ? { sourceId: image.sourceId } : {}),
      // A card's title, drawn by the render over the picture (visuals/card.ts CardTitle).
      ...(image.cardTitle ? { cardTitle: image.cardTitle } : {}),
    };
  }
  const { clip } = visual;
  // A still of the clip's middle, for the scene list and the shot picker.
  const thumbFile = path.join(path.dirname(clip.file), "thumb.jpg");
  await makeThumbnail({ kind: "video", durationSec: clip.durationSec }, clip.file, thumbFile, signal);
  const stored = await putFileObject(`${name}.${clip.ext}`, clip.file, clip.mime);
  const thumb = await putFileObject(thumbKeyOf(stored.key), thumbFile, "image/jpeg");
  await saveVisual(thumb, "image/jpeg");
  const asset = await saveVisual(stored, clip.mime, { width: clip.width, height: clip.height, durationSec: clip.durationSec });
  return {
    kind: "clip" as const,
    assetId: asset.id,
    key: stored.key,
    width: clip.width,
    height: clip.height,
    durationSec: clip.durationSec,
    hasAudio: clip.hasAudio,
    provider,
    query: shot.query,
    words: clip.words.slice(0, 20),
    match: queryMatches(shot.query, clip.words),
    credit: clip.credit,
    ...(clip.sourceUrl ? { sourceUrl: clip.sourceUrl } : {}),
    sourceId: clip.sourceId,
  };
}
type StoredShot = Awaited<ReturnType<typeof storeShot>>;

/** A shot whose AI video clip is being generated. */
export type GeneratingShot = { kind: "generating"; shotIndex: number; provider: string; query: string; words: string[]; generation: StartedGeneration };

/** How each shot's picture was found: its provider, every call, what was passed over. */
type ShotReport = { provider: string; attempts: AttemptRecord[]; fallbacks: Fallback[] };

const reportOf = (outcome: ChainOutcome<unknown>): ShotReport => ({ provider: outcome.provider, attempts: outcome.attempts, fallbacks: outcome.fallbacks });

/** The step's output once every shot has its picture: the first shot's (all a step of an older
 *  run had), every shot, and the providers' report. */
async function sceneOutput(s: SceneContext, results: StoredShot[], reports: ShotReport[]) {
  // Claims of clips and library pictures this scene no longer shows (an earlier run, a changed prompt) are given up.
  await releaseSceneClaims(
    s.db,
    s.video.id,
    s.scene.id,
    results.flatMap((r, k) => (r.sourceId ? [{ shotKey: shotKeyOf(s.scene.id, k), sourceId: r.sourceId }] : [])),
  );
  const first = results[0]!;
  const fallbacks = reports.flatMap((r) => r.fallbacks);
  return {
    assetId: first.assetId,
    key: first.key,
    width: first.width,
    height: first.height,
    ...(first.credit ? { credit: first.credit } : {}),
    shots: results,
    provider: reports[0]!.provider,
    attempts: reports.flatMap((r) => r.attempts),
    ...(fallbacks.length ? { fallbacks } : {}),
  };
}
export type SceneVisuals = Awaited<ReturnType<typeof sceneOutput>>;

/** The step's output while AI video clips are being generated: what is stored so far, the
 *  generations, and the report of how each shot got its provider. */
export type StartedSceneVisuals = {
  generating: GeneratingShot[];
  shots: (StoredShot | GeneratingShot)[];
  reports: ShotReport[];
  /** The job page's report of this step: the first shot's provider, every call, what was passed over. */
  provider: string;
  attempts: AttemptRecord[];
  fallbacks?: Fallback[];
};

export const isStarted = (output: SceneVisuals | StartedSceneVisuals): output is StartedSceneVisuals => "generating" in output;

export async function runVisualStep(jobId: string, sceneIndex: number, signal?: AbortSignal): Promise<SceneVisuals | StartedSceneVisuals> {
  const s = await loadScene(jobId, sceneIndex);
  const results: (StoredShot | GeneratingShot)[] = [];
  const reports: ShotReport[] = [];
  // The scene's shots claim their clips again, in order (one may have been removed or added).
  await releaseSceneClaims(s.db, s.video.id, s.scene.id, []);
  for (const k of s.shots.keys()) {
    await withShotDir(async (dir) => {
      const request = shotRequest(s, k, dir);
      // A picture a person chose comes first; one that cannot be had falls back, saying why.
      const picked = await pickedVisual(s.db, s.job.workspaceId, request, signal);
      const chosen = picked && "value" in picked ? picked : null;
      const outcome = chosen ?? (await callCapability(s.db, s.job.workspaceId, "visuals", (config, ctx) => drawShot(config, request, ctx), { signal }));
      const pick = s.shots[k]!.pick;
      if (picked && "fallback" in picked)
        outcome.fallbacks.unshift({ provider: pick?.kind === "stock" ? pick.provider : LIBRARY_PROVIDER, reason: picked.fallback });
      reports.push(reportOf(outcome));
      const visual = outcome.value;
      if (visual.kind === "generation") {
        results.push({
          kind: "generating",
          shotIndex: k,
          provider: outcome.provider,
          query: s.shots[k]!.query,
          words: visual.words.slice(0, 20),
          generation: visual.generation,
        });
      } else {
        results.push(await storeShot(s, k, visual, outcome.provider, signal));
      }
    });
  }
  const generating = results.filter((r): r is GeneratingShot => r.kind === "generating");
  if (generating.length) {
    const fallbacks = reports.flatMap((r) => r.fallbacks);
    return {
      generating,
      shots: results,
      reports,
      provider: reports[0]!.provider,
      attempts: reports.flatMap((r) => r.attempts),
      ...(fallbacks.length ? { fallbacks } : {}),
    };
  }
  return sceneOutput(s, results as StoredShot[], reports);
}

/** How a generation ended (or stands), as a poll step records it. */
export type GenerationPoll = { shotIndex: number } & (GenerationState | { status: "timed_out"; reason: string });

/** One poll of a scene's waiting generations: a short step between the workflow's sleeps. A
 *  generation older than AI_VIDEO_TIMEOUT_MIN is timed out; a poll the provider could not
 *  answer (after its retries) leaves the generation waiting until the next one. */
export async function pollSceneGenerations(jobId: string, waiting: GeneratingShot[], signal?: AbortSignal) {
  const { job } = await loadJob(jobId);
  const db = getDb();
  const env = getEnv();
  const timeoutMs = env.AI_VIDEO_TIMEOUT_MIN * 60_000;
  const polls: GenerationPoll[] = [];
  for (const shot of waiting) {
    const { generation } = shot;
    const config = await providerConfigOf(db, job.workspaceId, generation.provider);
    if (!config) {
      polls.push({
        shotIndex: shot.shotIndex,
        status: "failed",
        kind: "failed",
        reason: `the ${generation.provider} setting was removed while the clip was generated`,
      });
      continue;
    }
    const attempts: AttemptRecord[] = [];
    let state: GenerationState;
    try {
      state = await callProvider(
        generation.provider,
        breakerKeyOf(job.workspaceId, "visuals", generation.provider),
        (callSignal) => retrieveOpenAiVideo(config, generation.remoteId, { signal: callSignal, timeoutMs: env.PROVIDER_TIMEOUT_SEC * 1000 }),
        { signal, log: attempts },
      );
    } catch (error) {
      if (signal?.aborted) throw error;
      if (!(error instanceof ProviderError) || error.retriable) state = { status: "waiting", progress: 0 };
      else state = { status: "failed", kind: "failed", reason: `asking about the generation failed: ${error.reason}` };
    }
    const age = Date.now() - Date.parse(generation.startedAt);
    if (state.status === "waiting" && age > timeoutMs) {
      polls.push({
        shotIndex: shot.shotIndex,
        status: "timed_out",
        reason: `the generation ${generation.remoteId} did not finish within ${env.AI_VIDEO_TIMEOUT_MIN} minutes (AI_VIDEO_TIMEOUT_MIN)`,
      });
    } else polls.push({ shotIndex: shot.shotIndex, ...state });
  }
  return {
    polls,
    progress: polls.reduce((a, p) => a + (p.status === "waiting" ? p.progress : 100), 0) / Math.max(1, polls.length),
    polledAt: Date.now(),
  };
}

/** Downloads a completed generation with retries, as a clip ready to store. */
async function downloadGenerated(s: SceneContext, shot: GeneratingShot, dir: string, attempts: AttemptRecord[], signal?: AbortSignal): Promise<ClipToStore> {
  const { generation } = shot;
  const config = await providerConfigOf(s.db, s.job.workspaceId, generation.provider);
  if (!config) throw new ProviderError(generation.provider, "config", "the setting was removed while the clip was generated");
  const timeoutMs = getEnv().PROVIDER_TIMEOUT_SEC * 1000;
  const saved = await callProvider(
    generation.provider,
    breakerKeyOf(s.job.workspaceId, "visuals", generation.provider),
    async (callSignal) => {
      // Each attempt starts from an empty folder: a cut download leaves nothing behind.
      await rm(path.join(dir, "clip"), { recursive: true, force: true });
      const into = await mkdtemp(path.join(dir, "clip"));
      return downloadOpenAiVideo(config, generation.remoteId, into, { signal: callSignal, timeoutMs });
    },
    { signal, log: attempts },
  );
  return { ...saved, sourceId: `${generation.provider}:${generation.remoteId}`, credit: `Generated with OpenAI ${generation.model}`, words: shot.words };
}

/**
 * The last step of a scene with AI video: each completed clip is downloaded, checked and
 * stored; a shot whose generation failed, was refused, timed out or could not be downloaded
 * falls back to the providers after the generating one in the workspace's chain (ending with
 * the built-in cards), and the reason is recorded among the step's fallbacks.
 */
export async function finishSceneVisuals(jobId: string, sceneIndex: number, started: StartedSceneVisuals, ended: GenerationPoll[], signal?: AbortSignal) {
  const s = await loadScene(jobId, sceneIndex);
  const results: StoredShot[] = [];
  const reports: ShotReport[] = [];
  for (const [k, shot] of started.shots.entries()) {
    const report = started.reports[k]!;
    if (shot.kind !== "generating") {
      results.push(shot);
      reports.push(report);
      continue;
    }
    const poll = ended.find((p) => p.shotIndex === k);
    const { generation } = shot;
    await withShotDir(async (dir) => {
      const attempts: AttemptRecord[] = [];
      let reason: string;
      if (poll?.status === "completed") {
        try {
          const clip = await downloadGenerated(s, shot, dir, attempts, signal);
          results.push(await storeShot(s, k, { kind: "clip", clip }, generation.provider, signal));
          reports.push({ ...report, attempts: [...report.attempts, ...attempts] });
          await updateGeneration(s.db, generation.recordId, { status: "completed" });
          return;
        } catch (error) {
          if (signal?.aborted) throw error;
          reason = error instanceof ProviderError ? error.reason : (error as Error).message;
          // It was made (and paid for), only not usable.
          await updateGeneration(s.db, generation.recordId, { status: "completed", error: reason });
        }
      } else if (poll?.status === "failed") {
        reason = poll.reason;
        await updateGeneration(s.db, generation.recordId, { status: "failed", error: reason });
      } else {
        reason = poll?.status === "timed_out" ? poll.reason : "the generation was never reported finished";
        await abandonGeneration(s.db, s.job.workspaceId, generation, reason);
      }
      // The rest of the chain after the generating provider, as the workspace has it now.
      const { links } = await buildChain(s.db, s.job.workspaceId, "visuals");
      const at = links.findIndex((l) => l.config.provider === generation.provider);
      const rest = links.slice(at + 1).filter((l) => l.config.provider !== VIDEO_PROVIDER);
      const outcome = await runChain(rest, [{ provider: generation.provider, reason }], (config, ctx) => drawShot(config, shotRequest(s, k, dir), ctx), {
        signal,
      });
      const visual = outcome.value;
      if (visual.kind === "generation") throw new Error(`${outcome.provider} started a second generation for shot ${k + 1}`);
      results.push(await storeShot(s, k, visual, outcome.provider, signal));
      reports.push({
        provider: outcome.provider,
        attempts: [...report.attempts, ...attempts, ...outcome.attempts],
        fallbacks: [...report.fallbacks, ...outcome.fallbacks],
      });
    });
  }
  return sceneOutput(s, results, reports);
}
