// A cheap call per provider that proves its setting works: key, address, model.
import { withProcessTimeout } from "./errors.ts";
import { probePexels } from "./images/pexels.ts";
import { probeSdWebUi } from "./images/sd-webui.ts";
import { probeOllama } from "./llm/ollama.ts";
import { probeOpenAi } from "./llm/openai.ts";
import { probeElevenLabs } from "./tts/elevenlabs.ts";
import { probePiper } from "./tts/piper.ts";
import { probeOpenAiVideo } from "./videos/openai-video.ts";
import { probePexelsVideo } from "./videos/pexels.ts";
import { probePixabayVideo } from "./videos/pixabay.ts";
import type { CallContext, ProbeResult, ProviderConfig } from "./types.ts";

export async function probeProvider(config: ProviderConfig, ctx: CallContext): Promise<ProbeResult> {
  switch (`${config.capability}:${config.provider}`) {
    case "script:openai":
    case "voice:openai":
    case "visuals:openai":
    case "knowledge:openai":
      return probeOpenAi(config, ctx);
    case "script:ollama":
    case "knowledge:ollama":
      return probeOllama(config, ctx);
    case "voice:elevenlabs":
      return probeElevenLabs(config, ctx);
    case "voice:piper":
      return withProcessTimeout("piper", ctx, (signal) => probePiper(config, { ...ctx, signal }));
    case "visuals:sd-webui":
      return probeSdWebUi(config, ctx);
    case "visuals:pexels":
      return probePexels(config, ctx);
    case "visuals:openai-video":
      return probeOpenAiVideo(config, ctx);
    case "visuals:pexels-video":
      return probePexelsVideo(config, ctx);
    case "visuals:pixabay-video":
      return probePixabayVideo(config, ctx);
    default:
      return { detail: "built in" };
  }
}
