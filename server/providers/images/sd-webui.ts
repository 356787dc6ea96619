// Stable Diffusion WebUI (AUTOMATIC1111 and Forge) through its /sdapi/v1 API. A key, when set,
// is sent as HTTP Basic credentials ("user:password"), as the WebUI's --api-auth expects.
import { z } from "zod";
import { ProviderError } from "../errors.ts";
import { joinUrl, providerJson } from "../http.ts";
import type { CallContext, ProbeResult, ProviderConfig } from "../types.ts";
import { checkImage } from "./validate.ts";

const DEFAULT_BASE_URL = "http://127.0.0.1:7860";
const SIZES = { landscape: [1024, 576], portrait: [576, 1024], square: [768, 768] } as const;
const answerSchema = z.object({ images: z.array(z.string()).min(1) });

function headers(config: ProviderConfig): Record<string, string> {
  const h: Record<string, string> = { "content-type": "application/json" };
  if (config.apiKey) h.authorization = `Basic ${Buffer.from(config.apiKey).toString("base64")}`;
  return h;
}

export async function generateSdImage(config: ProviderConfig, prompt: string, orientation: keyof typeof SIZES, ctx: CallContext) {
  const [width, height] = SIZES[orientation];
  const json = await providerJson(
    "sd-webui",
    joinUrl(config.baseUrl ?? DEFAULT_BASE_URL, "/sdapi/v1/txt2img"),
    {
      method: "POST",
      headers: headers(config),
      body: JSON.stringify({
        prompt,
        negative_prompt: "text, letters, watermark, signature, blurry, deformed",
        width,
        height,
        steps: 25,
        cfg_scale: 7,
        ...(config.model ? { override_settings: { sd_model_checkpoint: config.model } } : {}),
      }),
    },
    { ...ctx, maxBytes: 60 * 1024 * 1024 },
  );
  const parsed = answerSchema.safeParse(json);
  if (!parsed.success) throw new ProviderError("sd-webui", "malformed", "the answer has no images");
  return checkImage("sd-webui", Buffer.from(parsed.data.images[0]!.replace(/^data:image\/\w+;base64,/, ""), "base64"));
}

export async function probeSdWebUi(config: ProviderConfig, ctx: CallContext): Promise<ProbeResult> {
  const json = await providerJson(
    "sd-webui",
    joinUrl(config.baseUrl ?? DEFAULT_BASE_URL, "/sdapi/v1/sd-models"),
    { method: "GET", headers: headers(config) },
    ctx,
  );
  if (!Array.isArray(json)) throw new ProviderError("sd-webui", "malformed", "/sdapi/v1/sd-models did not list models");
  return { detail: `${json.length} checkpoints` };
}
