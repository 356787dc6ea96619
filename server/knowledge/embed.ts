// Embeddings for knowledge passages, through the "knowledge" provider chain: OpenAI
// (/embeddings) or Ollama (/api/embed). The built-in "keyword" provider has none: passages
// are then ranked by keywords alone.
import { z } from "zod";
import { ProviderError } from "../providers/errors.ts";
import { joinUrl, providerJson } from "../providers/http.ts";
import { fromOpenAiError, openaiClient } from "../providers/llm/openai.ts";
import type { CallContext, ProviderConfig } from "../providers/types.ts";

export type Embeddings = { provider: string; model: string; vectors: number[][] } | null;

const ollamaSchema = z.object({ embeddings: z.array(z.array(z.number())) });

export async function embedWith(config: ProviderConfig, texts: string[], ctx: CallContext): Promise<Embeddings> {
  if (config.provider === "keyword") return null;
  const vectors: number[][] = [];
  // Batches keep each request small.
  for (let i = 0; i < texts.length; i += 64) {
    const batch = texts.slice(i, i + 64);
    vectors.push(...(await embedBatch(config, batch, ctx)));
  }
  if (vectors.length !== texts.length || vectors.some((v) => !v.length || v.length !== vectors[0]!.length)) {
    throw new ProviderError(config.provider, "malformed", "the embeddings do not match the passages");
  }
  return { provider: config.provider, model: config.model ?? "", vectors };
}

async function embedBatch(config: ProviderConfig, input: string[], ctx: CallContext): Promise<number[][]> {
  if (config.provider === "openai") {
    const client = openaiClient(config, ctx.timeoutMs);
    try {
      const result = await client.embeddings.create(
        { model: config.model ?? "text-embedding-3-small", input, encoding_format: "float" },
        { signal: ctx.signal },
      );
      return [...result.data].sort((a, b) => a.index - b.index).map((d) => d.embedding);
    } catch (error) {
      throw fromOpenAiError(error, ctx.signal);
    }
  }
  if (config.provider === "ollama") {
    const json = await providerJson(
      "ollama",
      joinUrl(config.baseUrl ?? "http://127.0.0.1:11434", "/api/embed"),
      { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ model: config.model ?? "nomic-embed-text", input }) },
      ctx,
    );
    const parsed = ollamaSchema.safeParse(json);
    if (!parsed.success) throw new ProviderError("ollama", "malformed", "/api/embed answered without embeddings");
    return parsed.data.embeddings;
  }
  throw new ProviderError(config.provider, "config", `no embeddings from "${config.provider}"`);
}

export function cosine(a: number[], b: number[]) {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}
