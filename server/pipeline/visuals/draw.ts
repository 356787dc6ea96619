// The visuals stage's call to one picture provider for one shot: a generated image, a stock
// photo or stock video clip found by the shot's query, the start of an AI video clip (finished
// later: generations.ts), or the offline illustration (or, when none matches, the title card).
import { graphemes } from "@aura/render-contract";
import { ProviderError, unknownProviderError } from "../../providers/errors.ts";
import { generateOpenAiImage } from "../../providers/images/openai.ts";
import { findPexelsPhoto } from "../../providers/images/pexels.ts";
import { clipSecondsFor, DEFAULT_VIDEO_MODEL, videoSizeFor } from "../../providers/videos/openai-video.ts";
import { generateSdImage } from "../../providers/images/sd-webui.ts";
import type { CheckedImage } from "../../providers/images/validate.ts";
import type { CallContext, ProviderConfig } from "../../providers/types.ts";
import { findPexelsVideo, slugWords } from "../../providers/videos/pexels.ts";
import { findPixabayVideo } from "../../providers/videos/pixabay.ts";
import type { ClipWanted, FoundClip } from "../../providers/videos/types.ts";
import { extractKeywords } from "../../text/keywords.ts";
import { truncateText } from "../../text/policy.ts";
import { videoSize, type Brief } from "../../videos/brief.ts";
import { styledPrompt } from "../script/style.ts";
import type { Script, ScriptScene } from "../script/types.ts";
import type { Shot } from "../shots.ts";
import { type CardBrand, type CardTitle, drawCardPng, drawIllustrationPng } from "./card.ts";
import { installedCoverage, sceneName, uncoveredCharacters, undrawableMessage, videoTitleName } from "./fonts.ts";
import type { ShotClaims } from "./claims.ts";
import { creditOf, pickIllustration } from "./illustrations/library.ts";
import { generatePaidImage, type GenerationOwner, type StartedGeneration, startVideoGeneration } from "./generations.ts";

/** A picture for a shot; `license` and `sourceId` (the id it is claimed by) for a library's;
 *  `cardTitle` for a card drawn without its title, which the render draws over it. */
export type SceneImage = CheckedImage & { credit?: string; license?: string; sourceUrl?: string; sourceId?: string; cardTitle?: NonNullable<CardTitle> };

/** What a shot shows, with the asset's own words (a stock title or tags, or what a picture was
 *  made from), for the check that the picture matches its query; or an AI video clip that is
 *  being generated. */
export type ShotVisual =
  | { kind: "image"; image: SceneImage; words: string[] }
  | { kind: "clip"; clip: FoundClip }
  | { kind: "generation"; generation: StartedGeneration; words: string[] };

export type ShotRequest = {
  script: Script;
  scene: ScriptScene;
  sceneIndex: number;
  shot: Shot;
  shotIndex: number;
  shotCount: number;
  brief: Brief;
  /** About how long the shot lasts, for a clip that must cover it. */
  shotSec: number;
  claims: ShotClaims;
  /** A fresh folder for downloads (removed after the shot). */
  dir: string;
  /** The brand kit's colours and font for generated cards, when the brief uses a kit. */
  brand?: CardBrand | null;
  /** The job and shot paid generation is counted for; null outside a job (a provider's test
   *  call), where an AI image is not counted and no AI video clip is started. */
  owner: GenerationOwner | null;
};

export const orientationOf = (aspect: Brief["aspectRatio"]) =>
  aspect === "16:9" ? "landscape" : aspect === "9:16" || aspect === "4:5" ? "portrait" : "square";

/** A generated picture's prompt: the scene's own picture for a scene of one shot; for a shot
 *  among several, what the shot shows, in the scene's setting. */
export function shotPrompt(request: Pick<ShotRequest, "scene" | "shot" | "shotCount">) {
  const { scene, shot, shotCount } = request;
  return shotCount === 1 ? scene.visualPrompt : truncateText(`${shot.query}. Setting: ${scene.visualPrompt}`, 500);
}

export async function drawShot(config: ProviderConfig, request: ShotRequest, ctx: CallContext): Promise<ShotVisual> {
  const { brief, scene, shot } = request;
  const orientation = orientationOf(brief.aspectRatio);
  const generated = (image: SceneImage, prompt: string): ShotVisual => ({ kind: "image", image, words: extractKeywords(prompt, 12) });
  switch (config.provider) {
    case "openai": {
      const prompt = shotPrompt(request);
      const styled = styledPrompt(prompt, brief.visualStyle, scene.mood);
      const image = request.owner
        ? await generatePaidImage(request.owner, config, styled, orientation, ctx)
        : await generateOpenAiImage(config, styled, orientation, ctx);
      return generated(image, prompt);
    }
    case "openai-video": {
      if (!request.owner) throw new ProviderError(config.provider, "config", "an AI video clip is only made for a job's shot");
      const prompt = shotPrompt(request);
      const generation = await startVideoGeneration(
        request.owner,
        config,
        {
          model: config.model ?? DEFAULT_VIDEO_MODEL,
          prompt: styledPrompt(prompt, brief.visualStyle, scene.mood),
          seconds: clipSecondsFor(request.shotSec),
          size: videoSizeFor(orientation),
        },
        ctx,
      );
      return { kind: "generation", generation, words: extractKeywords(prompt, 12) };
    }
    case "sd-webui": {
      const prompt = shotPrompt(request);
      return generated(await generateSdImage(config, styledPrompt(prompt, brief.visualStyle, scene.mood), orientation, ctx), prompt);
    }
    case "pexels": {
      const image = await findPexelsPhoto(config, shot.query, orientation, ctx, shot.take ?? 0);
      return { kind: "image", image, words: slugWords(image.sourceUrl ?? "") };
    }
    case "pexels-video":
    case "pixabay-video": {
      const { width, height } = videoSize(brief);
      const wanted: ClipWanted = { query: shot.query, orientation, width, height, minDurationSec: request.shotSec, ...request.claims, dir: request.dir };
      const find = config.provider === "pexels-video" ? findPexelsVideo : findPixabayVideo;
      return { kind: "clip", clip: await find(config, wanted, ctx) };
    }
    case "offline-card":
      return drawOfflineShot(request);
    default:
      throw unknownProviderError(config);
  }
}

/** The words an offline picture carries: the scene's title on its first shot, the shot's own
 *  words on the others (so a crossfade between two shots never shows the title twice), their
 *  first letter upper-cased by the language's rules (Turkish i → İ; no case: unchanged). */
export function offlineCardText(scene: Pick<ScriptScene, "title">, shot: Pick<Shot, "query">, shotIndex: number, language = "en") {
  if (shotIndex === 0 || !shot.query.trim()) return scene.title;
  const [first = "", ...rest] = graphemes(shot.query.trim());
  return first.toLocaleUpperCase(language) + rest.join("");
}

/** Refuses a card whose words hold a character no installed font can draw (it would show as
 *  a box): named by scene, as the job page names it. Unchecked without fontconfig. */
function assertCardDrawable(request: ShotRequest, title: string) {
  const coverage = installedCoverage();
  if (!coverage) return;
  const places: [string, string, string][] = [
    [sceneName(request.sceneIndex, request.scene.title), title, "edit the scene to remove it"],
    [videoTitleName(request.script.title), request.script.title, "edit the title to remove it"],
  ];
  for (const [where, text, fix] of places) {
    const missing = uncoveredCharacters(text, coverage);
    if (missing.length) throw new ProviderError("offline-card", "bad_request", undrawableMessage(where, missing, fix));
  }
}

/** The built-in picture: the library's best match for the shot's query (the scene's words
 *  helping), not used elsewhere in the video, on a card; a plain card when nothing matches.
 *  The card's title is not drawn into the picture: the render draws it over the picture as a
 *  layer that leaves before each transition (SceneImage's cardTitle). Its label is the scene's
 *  counter alone: the video's title is the opening title's, drawn once. */
async function drawOfflineShot(request: ShotRequest): Promise<ShotVisual> {
  const { brief, scene, shot, script } = request;
  const { width, height } = videoSize(brief);
  const card = {
    title: offlineCardText(scene, shot, request.shotIndex, brief.language),
    index: request.sceneIndex,
    total: script.scenes.length,
    variant: request.shotIndex + (shot.take ?? 0) * 8,
    style: brief.visualStyle,
    width,
    height,
    brand: request.brand ?? null,
    language: brief.language,
  };
  assertCardDrawable(request, card.title);
  const plainCard = async (): Promise<ShotVisual> => {
    const { png, title } = await drawCardPng(card, { title: false });
    return {
      kind: "image",
      image: { bytes: png, mime: "image/png", ext: "png", width, height, ...(title ? { cardTitle: title } : {}) },
      words: extractKeywords(card.title, 12),
    };
  };
  const picked = await pickIllustration(shot.query, `${scene.title}. ${scene.narration}`, request.claims);
  if (!picked) return plainCard();
  const { item, svg } = picked;
  try {
    const { png, title } = await drawIllustrationPng({ ...card, art: svg }, { title: false });
    return {
      kind: "image",
      image: { bytes: png, mime: "image/png", ext: "png", width, height, ...creditOf(item), sourceId: item.sourceId, ...(title ? { cardTitle: title } : {}) },
      words: item.words,
    };
  } catch {
    // A picture that cannot be drawn on the card is not tried again in this video.
    await request.claims.release(item.sourceId, true);
    return plainCard();
  }
}
