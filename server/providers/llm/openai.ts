// OpenAI chat through the official SDK. The base URL is configurable, so any
// OpenAI-compatible server (vLLM, LM Studio, llama.cpp's server…) works. The SDK's own
// retries are off: ours (resilience.ts) classify and record every attempt.
import OpenAI from "openai";
import { classifyHttp, errorMessageOf, ProviderError, toProviderError } from "../errors.ts";
import { guardedFetch } from "../http.ts";
import type { CallContext, ProbeResult, ProviderConfig } from "../types.ts";
import type { ChatRequest } from "./types.ts";

const DEFAULT_BASE_URL = "https://api.openai.com/v1";

/** `provider` names the setting in errors ("openai-video" uses this client too); `maxBytes`
 *  caps each answer (a video download is larger than any JSON answer). */
export function openaiClient(config: ProviderConfig, timeoutMs: number, options: { provider?: string; maxBytes?: number } = {}) {
  const provider = options.provider ?? "openai";
  if (!config.apiKey) throw new ProviderError(provider, "config", "no API key is set");
  return new OpenAI({
    apiKey: config.apiKey,
    baseURL: config.baseUrl ?? DEFAULT_BASE_URL,
    maxRetries: 0,
    timeout: timeoutMs,
    fetch: guardedFetch(provider, options.maxBytes) as never,
  });
}

/** The SDK's errors as our classified ones. */
export function fromOpenAiError(error: unknown, signal?: AbortSignal, provider = "openai"): unknown {
  if (error instanceof ProviderError) return error;
  if (error instanceof OpenAI.APIError && error.status) {
    const headers = error.headers as Headers | undefined;
    const body = error.error as { message?: string; code?: string; type?: string } | undefined;
    const message = body?.message ?? errorMessageOf(error.message);
    const retryAfter = headers ? Number(headers.get("retry-after-ms")) || Number(headers.get("retry-after")) * 1000 || undefined : undefined;
    return classifyHttp(provider, error.status, message, { code: body?.code ?? body?.type ?? undefined, retryAfterMs: retryAfter });
  }
  if (error instanceof SyntaxError)
    return new ProviderError(provider, "malformed", `the answer is not valid JSON: ${error.message.slice(0, 120)}`, { cause: error });
  if (error instanceof OpenAI.APIConnectionTimeoutError) return new ProviderError(provider, "timeout", "no answer in time", { cause: error });
  // Connection errors wrap what our guarded fetch threw (a refused address is a ProviderError).
  const cause = (error as { cause?: unknown })?.cause;
  if (cause instanceof ProviderError) return cause;
  return toProviderError(provider, error, signal);
}

export async function chatOpenAi(config: ProviderConfig, request: ChatRequest, ctx: CallContext) {
  const client = openaiClient(config, ctx.timeoutMs);
  try {
    const completion = await client.chat.completions.create(
      {
        model: config.model ?? "gpt-4o-mini",
        messages: request.messages,
        temperature: request.temperature ?? 0.7,
        ...(request.json ? { response_format: { type: "json_object" as const } } : {}),
      },
      { signal: ctx.signal },
    );
    const choice = completion.choices?.[0];
    if (!choice) throw new ProviderError("openai", "malformed", "the answer has no choices");
    if (choice.message?.refusal || choice.finish_reason === "content_filter") {
      throw new ProviderError("openai", "content_policy", `the model refused: ${choice.message?.refusal ?? "content filter"}`);
    }
    if (choice.finish_reason === "length") throw new ProviderError("openai", "malformed", "the answer was cut off at the token limit");
    const content = choice.message?.content;
    if (typeof content !== "string" || !content.trim()) throw new ProviderError("openai", "malformed", "the answer has no text");
    return content;
  } catch (error) {
    throw fromOpenAiError(error, ctx.signal);
  }
}

/** Lists models: proves the key and the base URL in one cheap call. */
export async function probeOpenAi(config: ProviderConfig, ctx: CallContext): Promise<ProbeResult> {
  const client = openaiClient(config, ctx.timeoutMs);
  try {
    const ids: string[] = [];
    for await (const model of client.models.list({ signal: ctx.signal })) {
      ids.push(model.id);
      if (ids.length >= 500) break;
    }
    const wanted = config.model;
    if (wanted && config.capability === "script" && ids.length && !ids.includes(wanted)) {
      throw new ProviderError("openai", "not_found", `the model "${wanted}" is not offered by this server`);
    }
    return { detail: `${ids.length} models available`, models: ids.sort() };
  } catch (error) {
    throw fromOpenAiError(error, ctx.signal);
  }
}
