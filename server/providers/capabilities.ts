// One call per capability and provider: writes a script, speaks a narration, or makes a
// picture with the provider a ProviderConfig names, and probes a provider for health.
import { getEnv } from "../env.ts";
import { writeOfflineScript } from "../pipeline/script/offline-writer.ts";
import { writeScriptWithChat } from "../pipeline/script/llm-writer.ts";
import { styledPrompt } from "../pipeline/script/style.ts";
import { keyPoints } from "../pipeline/script/analysis.ts";
import type { Script, ScriptGuidance, ScriptScene } from "../pipeline/script/types.ts";
import { renderCardPng } from "../pipeline/visual-card.ts";
import { videoSize, type Brief } from "../videos/brief.ts";
import { ProviderError, toProviderError } from "./errors.ts";
import { generateOpenAiImage } from "./images/openai.ts";
import { findPexelsPhoto, probePexels } from "./images/pexels.ts";
import { generateSdImage, probeSdWebUi } from "./images/sd-webui.ts";
import type { CheckedImage } from "./images/validate.ts";
import { chatOllama, probeOllama } from "./llm/ollama.ts";
import { chatOpenAi, probeOpenAi } from "./llm/openai.ts";
import { synthesizeElevenLabs, probeElevenLabs } from "./tts/elevenlabs.ts";
import { synthesizeEspeak } from "./tts/espeak.ts";
import { synthesizeOpenAi } from "./tts/openai.ts";
import { probePiper, synthesizePiper } from "./tts/piper.ts";
import type { Speech } from "./tts/wav.ts";
import type { CallContext, ProbeResult, ProviderConfig } from "./types.ts";

const unknownProvider = (config: ProviderConfig) => new ProviderError(config.provider, "config", `no ${config.capability} provider is called "${config.provider}"`);

/** Local processes get the call's timeout as a signal; their failures become ProviderErrors. */
async function withProcessTimeout<T>(provider: string, ctx: CallContext, fn: (signal: AbortSignal) => Promise<T>) {
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(ctx.timeoutMs)]);
  try {
    return await fn(signal);
  } catch (error) {
    throw toProviderError(provider, error, ctx.signal);
  }
}

export async function writeScriptWith(config: ProviderConfig, brief: Brief, guidance: ScriptGuidance, ctx: CallContext): Promise<Script> {
  switch (config.provider) {
    case "openai":
      return writeScriptWithChat("openai", `openai:${config.model ?? "gpt-4o-mini"}`, (r) => chatOpenAi(config, r, ctx), brief, guidance);
    case "ollama":
      return writeScriptWithChat("ollama", `ollama:${config.model ?? "llama3.1"}`, (r) => chatOllama(config, r, ctx), brief, guidance);
    case "offline":
      // The offline writer cannot follow free-form instructions; reference passages become its points.
      return writeOfflineScript(brief, { points: guidance.passages?.flatMap((p) => keyPoints(p.text, 1)) });
    default:
      throw unknownProvider(config);
  }
}

/** `rate`: speed relative to a voice's normal rate (1 = about 165 words a minute). */
export async function speakWith(config: ProviderConfig, text: string, voice: Brief["voice"], ctx: CallContext, rate = 1): Promise<Speech> {
  switch (config.provider) {
    case "openai":
      return synthesizeOpenAi(config, text, voice, ctx, rate);
    case "elevenlabs":
      return synthesizeElevenLabs(config, text, ctx, rate);
    case "piper":
      return withProcessTimeout("piper", ctx, (signal) => synthesizePiper(config, text, { ...ctx, signal }, rate));
    case "espeak-ng":
      return withProcessTimeout("espeak-ng", ctx, (signal) => synthesizeEspeak(text, voice, { binary: getEnv().ESPEAK_BINARY, signal, rate }));
    default:
      throw unknownProvider(config);
  }
}

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
      return findPexelsPhoto(config, (scene.keywords.length ? scene.keywords.slice(0, 4).join(" ") : scene.title), orientation, ctx);
    case "offline-card": {
      const { width, height } = videoSize(brief);
      const card = renderCardPng({ title: scene.title, label: script.title, index, total: script.scenes.length, style: brief.visualStyle, width, height });
      return { bytes: card.png, mime: "image/png", ext: "png", width, height };
    }
    default:
      throw unknownProvider(config);
  }
}

/** A cheap call that proves the setting works: key, address, model. */
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
    default:
      return { detail: "built in" };
  }
}
