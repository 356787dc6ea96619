// The visuals stage, one step per scene: for each of the scene's shots, a picture or a clip
// from the workspace's chain, checked and stored, with what the shot asked for and what the
// asset says of itself (for the visual-match check on the job page).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { getDb } from "../../db/client.ts";
import { callCapability, type ChainOutcome } from "../../providers/chain.ts";
import { providerReport } from "../../providers/report.ts";
import { makeThumbnail } from "../../media/thumbnail.ts";
import { putFileObject, putObject } from "../../storage/store.ts";
import { brandKitOf, cardBrandOf } from "../brand.ts";
import { baseKey, loadJob, saveAsset, scriptOf } from "../job.ts";
import { NARRATION_WPM, TRANSITION_SEC } from "../pacing.ts";
import { MIN_SHOT_SEC, plannedSceneSec, shotsOf } from "../shots.ts";
import { releaseSceneClaims, shotClaims, shotKeyOf, takeClaims } from "./claims.ts";
import { LIBRARY_PROVIDER, pickedVisual } from "./picked.ts";
import { drawShot, type ShotVisual } from "./draw.ts";
import { thumbKeyOf } from "./keys.ts";
import { queryMatches } from "./match.ts";

export async function runVisualStep(jobId: string, sceneIndex: number, signal?: AbortSignal) {
  const { job, video, brief } = await loadJob(jobId);
  const db = getDb();
  const script = scriptOf(video);
  const scene = script.scenes[sceneIndex]!;
  const wpm = script.pace?.wpm ?? NARRATION_WPM;
  // No more shots than the scene's planned length holds (the timeline would drop the rest).
  const shots = shotsOf(scene, wpm).slice(0, Math.max(1, Math.floor(plannedSceneSec(scene.narration, wpm) / MIN_SHOT_SEC)));
  // A clip should cover its shot: the scene's planned length shared out, plus the transition.
  const shotSec = plannedSceneSec(scene.narration, wpm) / shots.length + TRANSITION_SEC;
  const base = baseKey(job.workspaceId, video.id);
  const results = [];
  const outcomes: ChainOutcome<ShotVisual>[] = [];
  // The scene's shots claim their clips again, in order (one may have been removed or added).
  await releaseSceneClaims(db, video.id, scene.id, []);
  // Cards take the brand kit's colours and font when the brief uses a kit.
  const kit = await brandKitOf(job.workspaceId, brief);
  const brand = kit ? await cardBrandOf(kit) : null;
  for (const [k, shot] of shots.entries()) {
    const shotKey = shotKeyOf(scene.id, k);
    const dir = await mkdtemp(path.join(tmpdir(), "aura-shot-"));
    try {
      const request = {
        script,
        scene,
        sceneIndex,
        shot,
        shotIndex: k,
        shotCount: shots.length,
        brief,
        shotSec,
        // A chosen picture is taken as chosen: "another take" applies to the providers' own.
        claims: takeClaims(shotClaims(db, video.id, shotKey), shot.pick ? 0 : (shot.take ?? 0)),
        dir,
        brand,
      };
      const picked = await pickedVisual(db, job.workspaceId, request, signal);
      const chosen = picked && "value" in picked ? picked : null;
      const outcome = chosen ?? (await callCapability(db, job.workspaceId, "visuals", (config, ctx) => drawShot(config, request, ctx), { signal }));
      if (picked && "fallback" in picked)
        outcome.fallbacks.unshift({ provider: shot.pick?.kind === "stock" ? shot.pick.provider : LIBRARY_PROVIDER, reason: picked.fallback });
      outcomes.push(outcome);
      const name = `${base}/visuals/scene-${sceneIndex + 1}${shots.length > 1 ? `-shot-${k + 1}` : ""}`;
      const visual = outcome.value;
      if (visual.kind === "image") {
        const { image } = visual;
        const stored = await putObject(`${name}.${image.ext}`, image.bytes);
        const asset = await saveAsset({
          workspaceId: job.workspaceId,
          videoId: video.id,
          jobId,
          kind: "visual",
          ...stored,
          mimeType: image.mime,
          width: image.width,
          height: image.height,
        });
        results.push({
          kind: "image" as const,
          assetId: asset.id,
          key: stored.key,
          width: image.width,
          height: image.height,
          provider: outcome.provider,
          query: shot.query,
          words: visual.words.slice(0, 20),
          match: queryMatches(shot.query, visual.words),
          ...(image.credit ? { credit: image.credit } : {}),
          ...(image.sourceUrl ? { sourceUrl: image.sourceUrl } : {}),
        });
      } else {
        const { clip } = visual;
        // A still of the clip's middle, for the scene list and the shot picker.
        const thumbFile = path.join(dir, "thumb.jpg");
        await makeThumbnail({ kind: "video", durationSec: clip.durationSec }, clip.file, thumbFile, signal);
        const stored = await putFileObject(`${name}.${clip.ext}`, clip.file, clip.mime);
        const thumb = await putFileObject(thumbKeyOf(stored.key), thumbFile, "image/jpeg");
        await saveAsset({ workspaceId: job.workspaceId, videoId: video.id, jobId, kind: "visual", ...thumb, mimeType: "image/jpeg" });
        const asset = await saveAsset({
          workspaceId: job.workspaceId,
          videoId: video.id,
          jobId,
          kind: "visual",
          ...stored,
          mimeType: clip.mime,
          width: clip.width,
          height: clip.height,
          durationSec: clip.durationSec,
        });
        results.push({
          kind: "clip" as const,
          assetId: asset.id,
          key: stored.key,
          width: clip.width,
          height: clip.height,
          durationSec: clip.durationSec,
          hasAudio: clip.hasAudio,
          provider: outcome.provider,
          query: shot.query,
          words: clip.words.slice(0, 20),
          match: queryMatches(shot.query, clip.words),
          credit: clip.credit,
          sourceUrl: clip.sourceUrl,
          sourceId: clip.sourceId,
        });
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  // Claims of clips this scene no longer shows (an earlier run, a changed prompt) are given up.
  await releaseSceneClaims(
    db,
    video.id,
    scene.id,
    results.flatMap((r, k) => (r.kind === "clip" ? [{ shotKey: shotKeyOf(scene.id, k), sourceId: r.sourceId }] : [])),
  );
  const first = results[0]!;
  const report = providerReport(outcomes[0]!);
  return {
    assetId: first.assetId,
    key: first.key,
    width: first.width,
    height: first.height,
    ...(first.credit ? { credit: first.credit } : {}),
    shots: results,
    ...report,
    attempts: outcomes.flatMap((o) => o.attempts),
    ...(outcomes.some((o) => o.fallbacks.length) ? { fallbacks: outcomes.flatMap((o) => o.fallbacks) } : {}),
  };
}
