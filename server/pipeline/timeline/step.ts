// The timeline stage: the scenes' measured narrations, pictures and word timings become the
// render spec, stored as the timeline the render step sends to the worker, once every text it
// draws is known to have a font.
import { computeTiming, FORMAT_EXTENSION, renderSpecSchema } from "@aura/render-contract";
import { z } from "zod";
import { putObject, readJsonObject } from "../../storage/store.ts";
import { baseKey, loadJob, saveAsset, scriptOf } from "../job.ts";
import { getDb } from "../../db/client.ts";
import { QuotaError } from "../../lib/errors.ts";
import { assertRenderAllowed } from "../../quotas/service.ts";
import { StageInputError } from "../errors.ts";
import { brandKeyOf, brandKitOf, copyIntoVideo, logoAsPng } from "../brand.ts";
import { renderLogoCardPng } from "../visuals/card.ts";
import { videoSize, type Brief } from "../../videos/brief.ts";
import { buildRenderSpec, type BrandClip, type SceneMedia, type ShotMedia, type SpecBrand } from "./build-spec.ts";
import { assertTextsDrawable } from "./font-check.ts";

const spokenWordsSchema = z.array(z.object({ word: z.string(), startSec: z.number().min(0), endSec: z.number().min(0) })).min(1);

/** The voice's own word timings stored beside a narration, when its provider gave them. */
async function spokenWords(key: string | undefined) {
  if (!key) return {};
  const parsed = spokenWordsSchema.safeParse(await readJsonObject(key).catch(() => null));
  return parsed.success ? { words: parsed.data } : {};
}

/** A visual step's output: its scene's first picture (all a step of an older run has) and,
 *  since shots, every shot's still or clip (a card's with the title the render draws on it). */
type VisualOutput = { key: string; shots?: ShotMedia[] };

export async function runTimelineStep(jobId: string, narrations: { key: string; durationSec: number; wordsKey?: string }[], visuals: VisualOutput[]) {
  const { job, video, brief } = await loadJob(jobId);
  const script = scriptOf(video);
  const media: SceneMedia[] = await Promise.all(
    script.scenes.map(async (_, i) => ({
      narrationKey: narrations[i]!.key,
      narrationSec: narrations[i]!.durationSec,
      imageKey: visuals[i]!.key,
      ...(visuals[i]!.shots?.length
        ? {
            shots: visuals[i]!.shots!.map(({ kind, key, width, height, durationSec, cardTitle }) => ({
              kind,
              key,
              width,
              height,
              durationSec,
              ...(cardTitle ? { cardTitle } : {}),
            })),
          }
        : {}),
      ...(await spokenWords(narrations[i]!.wordsKey)),
    })),
  );
  const base = baseKey(job.workspaceId, video.id);
  const out = `${base}/output/${jobId}`;
  const sidecars = brief.captions ? { srt: `${out}.srt`, vtt: `${out}.vtt` } : {};
  const brand = await specBrandOf({ id: jobId, workspaceId: job.workspaceId, videoId: video.id }, brief);
  const spec = buildRenderSpec({
    brief,
    script,
    media,
    brand,
    musicSeed: video.id,
    output: { video: `${out}${FORMAT_EXTENSION[brief.format]}`, poster: `${out}.jpg`, ...sidecars },
  });
  // Before anything is stored or rendered: a character no font draws is the user's to mend.
  assertTextsDrawable(script, brief, spec.watermark?.source.kind === "text" ? spec.watermark.source.text : null);
  const stored = await putObject(`${base}/timeline/${jobId}.json`, Buffer.from(JSON.stringify(spec, null, 2)));
  await saveAsset({ workspaceId: job.workspaceId, videoId: video.id, jobId, kind: "timeline", ...stored, mimeType: "application/json" });
  // The length the render will have: the render contract's frame-exact timing, which the worker uses too.
  const parsed = renderSpecSchema.parse(spec);
  const { totalSec } = computeTiming(parsed);
  // The brand's intro and outro are not narration: the ordered length is checked without them.
  const lead = (brand?.introCard ? 1 : 0) + (brand?.intro ? 1 : 0);
  const narrated = computeTiming({ ...parsed, scenes: parsed.scenes.slice(lead, parsed.scenes.length - (brand?.outro ? 1 : 0)) }).totalSec;
  await assertMeasuredLength(job.workspaceId, video, brief.targetLengthSec, totalSec, narrated);
  return { key: stored.key, durationSec: Math.round(totalSec * 1000) / 1000, scenes: spec.scenes.length };
}

/** The measured narration may run this much over the ordered length (voices differ from the
 *  plan a little); beyond it, nothing is rendered. */
export const MEASURED_LENGTH_RATIO = 1.5;

/** The target again, now that the narration is measured, and the month's minutes with the
 *  length the render will really have. Fails the stage for good, before any render time. */
async function assertMeasuredLength(
  workspaceId: string,
  video: { outputAssetId: string | null },
  orderedSec: number,
  lengthSec: number,
  narratedSec = lengthSec,
) {
  const limit = orderedSec * MEASURED_LENGTH_RATIO;
  if (narratedSec > limit) {
    throw new StageInputError(
      `the narration measures ${narratedSec.toFixed(1)} s, more than a ${orderedSec} s video allows (${limit.toFixed(0)} s); shorten the script`,
    );
  }
  await assertRenderAllowed(getDb(), workspaceId, lengthSec, { orderedSec, newVideo: !video.outputAssetId }).catch((error: unknown) => {
    throw error instanceof QuotaError ? new StageInputError(error.message) : error;
  });
}

/** The brand kit as this video uses it, its files copied into the video's keys; null when the
 *  brief does not use a kit or the workspace has none. */
async function specBrandOf(job: { id: string; workspaceId: string; videoId: string }, brief: Brief): Promise<SpecBrand | null> {
  const kit = await brandKitOf(job.workspaceId, brief);
  if (!kit) return null;
  const logo = brief.brand?.logo === false ? null : kit.logo;
  let watermark: SpecBrand["watermark"] = null;
  let introCard: SpecBrand["introCard"] = null;
  if (logo && kit.logoUse === "watermark") {
    const copied = await copyIntoVideo(job, { key: logo.storageKey, mimeType: logo.mimeType, sha256: logo.sha256 }, "logo", "visual", logo);
    watermark = { key: copied.key, position: kit.logoPosition as NonNullable<SpecBrand["watermark"]>["position"], opacity: kit.logoOpacity };
  } else if (logo) {
    const { width, height } = videoSize(brief);
    const card = renderLogoCardPng({ width, height, color: kit.primaryColor, logo: await logoAsPng(logo) });
    const stored = await putObject(brandKeyOf(baseKey(job.workspaceId, job.videoId), "intro-card", card.png, ".png"), card.png, "image/png");
    await saveAsset({ workspaceId: job.workspaceId, videoId: job.videoId, jobId: job.id, kind: "visual", ...stored, mimeType: "image/png", width, height });
    introCard = { key: stored.key };
  }
  const clip = async (item: typeof kit.intro, name: string): Promise<BrandClip | null> => {
    if (!item?.durationSec) return null;
    const copied = await copyIntoVideo(job, { key: item.storageKey, mimeType: item.mimeType, sha256: item.sha256 }, name, "visual", item);
    return { key: copied.key, durationSec: item.durationSec, width: item.width, height: item.height, hasAudio: item.hasAudio };
  };
  const music =
    brief.brand?.music !== "brief" && kit.music
      ? await copyIntoVideo(job, { key: kit.music.storageKey, mimeType: kit.music.mimeType, sha256: kit.music.sha256 }, "music", "music", kit.music)
      : null;
  const font =
    kit.fontKey && kit.fontFamily
      ? await copyIntoVideo(job, { key: kit.fontKey, mimeType: kit.fontKey.endsWith(".otf") ? "font/otf" : "font/ttf" }, "caption-font", "captions")
      : null;
  return {
    captionColor: kit.captionColor,
    captionHighlightColor: kit.captionHighlightColor,
    watermark,
    introCard,
    intro: await clip(kit.intro, "intro"),
    outro: await clip(kit.outro, "outro"),
    font: font && kit.fontFamily ? { key: font.key, family: kit.fontFamily } : null,
    music: music ? { key: music.key } : null,
  };
}
