// Ollama through its native API: /api/tags lists the pulled models, /api/chat answers with
// `format: "json"` so the reply is a JSON document.
import { z } from "zod";
import { ProviderError } from "../errors.ts";
import { joinUrl, providerJson } from "../http.ts";
import type { CallContext, ProbeResult, ProviderConfig } from "../types.ts";
import type { ChatRequest } from "./types.ts";

const DEFAULT_BASE_URL = "http://127.0.0.1:11434";
const tagsSchema = z.object({ models: z.array(z.object({ name: z.string() })) });
const chatSchema = z.object({ message: z.object({ content: z.string() }) });

const base = (config: ProviderConfig) => config.baseUrl ?? DEFAULT_BASE_URL;

export async function listOllamaModels(config: ProviderConfig, ctx: CallContext) {
  const json = await providerJson("ollama", joinUrl(base(config), "/api/tags"), { method: "GET" }, ctx);
  const parsed = tagsSchema.safeParse(json);
  if (!parsed.success) throw new ProviderError("ollama", "malformed", "/api/tags did not list models");
  return parsed.data.models.map((m) => m.name);
}

export async function probeOllama(config: ProviderConfig, ctx: CallContext): Promise<ProbeResult> {
  const models = await listOllamaModels(config, ctx);
  const wanted = config.model ?? "llama3.1";
  const found = models.some((m) => m === wanted || m.replace(/:latest$/, "") === wanted);
  if (!found) throw new ProviderError("ollama", "not_found", `the model "${wanted}" is not pulled (have: ${models.slice(0, 8).join(", ") || "none"})`);
  return { detail: `${models.length} models, "${wanted}" ready`, models };
}

export async function chatOllama(config: ProviderConfig, request: ChatRequest, ctx: CallContext) {
  const json = await providerJson(
    "ollama",
    joinUrl(base(config), "/api/chat"),
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        model: config.model ?? "llama3.1",
        messages: request.messages,
        stream: false,
        ...(request.json ? { format: "json" } : {}),
        options: { temperature: request.temperature ?? 0.7 },
      }),
    },
    ctx,
  );
  const parsed = chatSchema.safeParse(json);
  if (!parsed.success || !parsed.data.message.content.trim()) throw new ProviderError("ollama", "malformed", "/api/chat answered without a message");
  return parsed.data.message.content;
}
