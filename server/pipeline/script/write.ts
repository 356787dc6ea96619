// The script stage's call to one provider: an LLM writes through the chat writer, the offline
// writer builds the script from the brief itself.
import { unknownProviderError } from "../../providers/errors.ts";
import { chatOllama } from "../../providers/llm/ollama.ts";
import { chatOpenAi } from "../../providers/llm/openai.ts";
import type { CallContext, ProviderConfig } from "../../providers/types.ts";
import type { Brief } from "../../videos/brief.ts";
import { writeScriptWithChat } from "./llm-writer.ts";
import { writeOfflineScript } from "./offline-writer.ts";
import type { Script, ScriptGuidance } from "./types.ts";

export async function writeScriptWith(config: ProviderConfig, brief: Brief, guidance: ScriptGuidance, ctx: CallContext): Promise<Script> {
  switch (config.provider) {
    case "openai":
      return writeScriptWithChat("openai", `openai:${config.model ?? "gpt-4o-mini"}`, (r) => chatOpenAi(config, r, ctx), brief, guidance);
    case "ollama":
      return writeScriptWithChat("ollama", `ollama:${config.model ?? "llama3.1"}`, (r) => chatOllama(config, r, ctx), brief, guidance);
    case "offline":
      // The offline writer cannot follow free-form instructions; the reference passages' sentences join the body.
      return writeOfflineScript(brief, { passages: guidance.passages?.map((p) => p.text) });
    default:
      throw unknownProviderError(config);
  }
}
