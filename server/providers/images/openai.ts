// OpenAI Images (/images/generations) through the SDK. gpt-image models always answer with
// base64; DALL·E models are asked for it, so no URL from the answer is ever fetched.
import { ProviderError } from "../errors.ts";
import { fromOpenAiError, openaiClient } from "../llm/openai.ts";
import type { CallContext, ProviderConfig } from "../types.ts";
import { checkImage } from "./validate.ts";

type Orientation = "landscape" | "portrait" | "square";

const SIZES: Record<"gpt-image" | "dall-e-3" | "dall-e-2", Record<Orientation, string>> = {
  "gpt-image": { landscape: "1536x1024", portrait: "1024x1536", square: "1024x1024" },
  "dall-e-3": { landscape: "1792x1024", portrait: "1024x1792", square: "1024x1024" },
  "dall-e-2": { landscape: "1024x1024", portrait: "1024x1024", square: "1024x1024" },
};

export async function generateOpenAiImage(config: ProviderConfig, prompt: string, orientation: Orientation, ctx: CallContext) {
  const model = config.model ?? "gpt-image-1";
  const family = model.startsWith("dall-e-2") ? "dall-e-2" : model.startsWith("dall-e") ? "dall-e-3" : "gpt-image";
  const client = openaiClient(config, ctx.timeoutMs);
  let b64: string | undefined;
  try {
    const result = await client.images.generate(
      {
        model,
        prompt: prompt.slice(0, 4000),
        n: 1,
        size: SIZES[family][orientation] as never,
        ...(family === "gpt-image" ? {} : { response_format: "b64_json" as const }),
      },
      { signal: ctx.signal },
    );
    b64 = result.data?.[0]?.b64_json ?? undefined;
  } catch (error) {
    throw fromOpenAiError(error, ctx.signal);
  }
  if (!b64) throw new ProviderError("openai", "malformed", "the answer has no b64_json image");
  return checkImage("openai", Buffer.from(b64, "base64"));
}
