// The visuals stage's call to one picture provider: a generated image, a stock photo found by
// the scene's key words, or the offline title card.
import { unknownProviderError } from "../../providers/errors.ts";
import { generateOpenAiImage } from "../../providers/images/openai.ts";
import { findPexelsPhoto } from "../../providers/images/pexels.ts";
import { generateSdImage } from "../../providers/images/sd-webui.ts";
import type { CheckedImage } from "../../providers/images/validate.ts";
import type { CallContext, ProviderConfig } from "../../providers/types.ts";
import { videoSize, type Brief } from "../../videos/brief.ts";
import { styledPrompt } from "../script/style.ts";
import type { Script, ScriptScene } from "../script/types.ts";
import { renderCardPng } from "./card.ts";

export type SceneImage = CheckedImage & { credit?: string; sourceUrl?: string };

const orientationOf = (aspect: Brief["aspectRatio"]) => (aspect === "16:9" ? "landscape" : aspect === "9:16" || aspect === "4:5" ? "portrait" : "square");

export async function drawWith(config: ProviderConfig, scene: ScriptScene, script: Script, index: number, brief: Brief, ctx: CallContext): Promise<SceneImage> {
  const orientation = orientationOf(brief.aspectRatio);
  switch (config.provider) {
    case "openai":
      return generateOpenAiImage(config, styledPrompt(scene.visualPrompt, brief.visualStyle, scene.mood), orientation, ctx);
    case "sd-webui":
      return generateSdImage(config, styledPrompt(scene.visualPrompt, brief.visualStyle, scene.mood), orientation, ctx);
    case "pexels":
      return findPexelsPhoto(config, scene.keywords.length ? scene.keywords.slice(0, 4).join(" ") : scene.title, orientation, ctx);
    case "offline-card": {
      const { width, height } = videoSize(brief);
      const card = renderCardPng({ title: scene.title, label: script.title, index, total: script.scenes.length, style: brief.visualStyle, width, height });
      return { bytes: card.png, mime: "image/png", ext: "png", width, height };
    }
    default:
      throw unknownProviderError(config);
  }
}
