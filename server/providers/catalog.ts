// Which providers Aura has for each capability, what each needs, and their defaults.
// Imports nothing server-only: the settings page renders its form from this table.
import { z } from "zod";
import { TONES } from "../videos/brief.ts";
import { textField } from "../text/policy.ts";
import { describeVoiceLanguages } from "./tts/languages.ts";

export const CAPABILITIES = ["script", "voice", "visuals", "knowledge"] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** online: a paid or remote API; local: a server or binary on the user's own machines;
 *  offline: built in, no network. Chains run online → local → offline. */
export type Tier = "online" | "local" | "offline";

export type ProviderInfo = {
  id: string;
  label: string;
  tier: Tier;
  /** Calls the network (so offline mode leaves it out). */
  network: boolean;
  needsKey: boolean;
  baseUrl?: string;
  model?: string;
  voice?: string;
  /** What the model and voice fields mean for this provider. */
  modelHint?: string;
  voiceHint?: string;
  /** Which languages a voice provider speaks, in plain words (tts/languages.ts decides). */
  languages?: string;
  /** What it does better than the built-in offline default, in plain words (the Providers page). */
  improves: string;
};

export const PROVIDERS: Record<Capability, ProviderInfo[]> = {
  script: [
    {
      id: "openai",
      improves:
        "Scripts that read like a writer's: a real arc, facts from your documents woven in, any of the brief's languages, instead of the offline writer's sentences lifted from the topic.",
      label: "OpenAI (or any OpenAI-compatible server)",
      tier: "online",
      network: true,
      needsKey: true,
      baseUrl: "https://api.openai.com/v1",
      model: "gpt-4o-mini",
      modelHint: "chat model",
    },
    {
      id: "ollama",
      improves: "A language model on your own machine writes the script: better flow than the offline writer, and nothing leaves your network.",
      label: "Ollama",
      tier: "local",
      network: true,
      needsKey: false,
      baseUrl: "http://127.0.0.1:11434",
      model: "llama3.1",
      modelHint: "a pulled model",
    },
    {
      id: "offline",
      improves: "Built in: builds a script from the topic's own sentences and your documents. Works with no network, but reads plainly.",
      label: "Offline writer (built in)",
      tier: "offline",
      network: false,
      needsKey: false,
    },
  ],
  voice: [
    {
      id: "openai",
      improves: "Natural-sounding voices in 50+ languages, instead of the robotic built-in voices (espeak-ng, Festival, Flite).",
      label: "OpenAI text-to-speech",
      tier: "online",
      network: true,
      needsKey: true,
      baseUrl: "https://api.openai.com/v1",
      model: "gpt-4o-mini-tts",
      modelHint: "speech model",
      voiceHint: "voice (alloy, nova, onyx…); empty: one per brief voice",
      languages: describeVoiceLanguages("openai"),
    },
    {
      id: "elevenlabs",
      improves: "The most lifelike voices, with word timings for exact captions, in many languages, instead of the robotic built-in voices.",
      label: "ElevenLabs",
      tier: "online",
      network: true,
      needsKey: true,
      baseUrl: "https://api.elevenlabs.io",
      model: "eleven_multilingual_v2",
      voice: "21m00Tcm4TlvDq8ikWAM",
      modelHint: "model id",
      voiceHint: "voice id",
      languages: describeVoiceLanguages("elevenlabs"),
    },
    {
      id: "piper",
      improves: "Clear, natural neural voices that run on your own machine with no network, far less robotic than espeak-ng.",
      label: "Piper (local binary)",
      tier: "local",
      network: false,
      needsKey: false,
      modelHint: "voice model file in PIPER_MODELS_DIR (e.g. en_US-lessac-medium.onnx)",
      languages: describeVoiceLanguages("piper"),
    },
    // Built in: which of these speaks depends on the brief's voice (tts/offline-voices.ts).
    {
      id: "festival",
      improves: "Built in: a clear female English voice. Works offline; sounds synthetic.",
      label: "Festival HTS, female English (built in)",
      tier: "offline",
      network: false,
      needsKey: false,
      languages: describeVoiceLanguages("festival"),
    },
    {
      id: "flite",
      improves: "Built in: a male English voice. Works offline; sounds synthetic.",
      label: "Flite, male English (built in)",
      tier: "offline",
      network: false,
      needsKey: false,
      languages: describeVoiceLanguages("flite"),
    },
    {
      id: "espeak-ng",
      improves: "Built in: speaks every language Aura offers, but in a robotic voice that is hard to listen to for long.",
      label: "espeak-ng, last resort (built in)",
      tier: "offline",
      network: false,
      needsKey: false,
      languages: describeVoiceLanguages("espeak-ng"),
    },
  ],
  visuals: [
    {
      id: "openai",
      improves: "A picture drawn for each scene from its prompt, in the brief's style, instead of a matching illustration from the built-in library.",
      label: "OpenAI Images",
      tier: "online",
      network: true,
      needsKey: true,
      baseUrl: "https://api.openai.com/v1",
      model: "gpt-image-1",
      modelHint: "image model",
    },
    {
      id: "openai-video",
      improves: "A short AI-made video clip for each scene, so the video moves instead of panning over stills.",
      label: "OpenAI video (Sora)",
      tier: "online",
      network: true,
      needsKey: true,
      baseUrl: "https://api.openai.com/v1",
      model: "sora-2",
      modelHint: "video model (sora-2, sora-2-pro)",
    },
    {
      id: "pexels",
      improves: "Real photographs that match each scene, free to use, instead of built-in illustrations.",
      label: "Pexels stock photos",
      tier: "online",
      network: true,
      needsKey: true,
      baseUrl: "https://api.pexels.com",
    },
    {
      id: "pexels-video",
      improves: "Real stock video footage for each scene, so the video moves instead of panning over stills.",
      label: "Pexels stock videos",
      tier: "online",
      network: true,
      needsKey: true,
      baseUrl: "https://api.pexels.com",
    },
    {
      id: "pixabay-video",
      improves: "Real stock video footage for each scene, so the video moves instead of panning over stills.",
      label: "Pixabay stock videos",
      tier: "online",
      network: true,
      needsKey: true,
      baseUrl: "https://pixabay.com",
    },
    {
      id: "sd-webui",
      improves: "Pictures drawn for each scene by Stable Diffusion on your own machine, instead of built-in illustrations.",
      label: "Stable Diffusion WebUI",
      tier: "local",
      network: true,
      needsKey: false,
      baseUrl: "http://127.0.0.1:7860",
      modelHint: "checkpoint (empty: the loaded one)",
    },
    {
      id: "offline-card",
      improves: "Built in: thousands of open-licence illustrations and emoji matched to each scene's words, or a title card. Works offline.",
      label: "Offline illustrations (built in)",
      tier: "offline",
      network: false,
      needsKey: false,
    },
  ],
  knowledge: [
    {
      id: "openai",
      improves: "Finds the passages of your documents that mean the same as the topic, even in other words, instead of matching keywords only.",
      label: "OpenAI embeddings",
      tier: "online",
      network: true,
      needsKey: true,
      baseUrl: "https://api.openai.com/v1",
      model: "text-embedding-3-small",
      modelHint: "embedding model",
    },
    {
      id: "ollama",
      improves: "Finds passages by meaning with a model on your own machine, instead of matching keywords only.",
      label: "Ollama embeddings",
      tier: "local",
      network: true,
      needsKey: false,
      baseUrl: "http://127.0.0.1:11434",
      model: "nomic-embed-text",
      modelHint: "a pulled embedding model",
    },
    {
      id: "keyword",
      improves: "Built in: ranks your documents' passages by the words they share with the topic.",
      label: "Keyword ranking (built in)",
      tier: "offline",
      network: false,
      needsKey: false,
    },
  ],
};

export function providerInfo(capability: Capability, provider: string) {
  return PROVIDERS[capability].find((p) => p.id === provider);
}

/** Providers a workspace can configure (the built-in ones are always there). */
export const configurable = (capability: Capability) => PROVIDERS[capability].filter((p) => p.tier !== "offline");

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} must be at most ${max} characters`)
    .transform((s) => s || null)
    .nullish();

export const providerSettingInputSchema = z
  .object({
    capability: z.enum(CAPABILITIES, { error: `capability must be one of: ${CAPABILITIES.join(", ")}` }),
    provider: z.string().min(1, "provider is required"),
    enabled: z.boolean().default(true),
    priority: z.coerce.number().int().min(0).max(100).default(0),
    model: optionalText(200, "model"),
    voice: optionalText(200, "voice"),
    baseUrl: optionalText(500, "baseUrl").refine((v) => !v || /^https?:\/\//i.test(v), "baseUrl must start with http:// or https://"),
    /** undefined keeps the stored key; "" removes it. */
    apiKey: z.string().trim().max(500, "apiKey must be at most 500 characters").optional(),
  })
  .superRefine((value, ctx) => {
    const info = providerInfo(value.capability, value.provider);
    if (!info || info.tier === "offline")
      ctx.addIssue({
        code: "custom",
        path: ["provider"],
        message: `provider must be one of: ${configurable(value.capability)
          .map((p) => p.id)
          .join(", ")}`,
      });
    if (value.provider === "piper" && value.model && !/^[\w.-]+\.onnx$/.test(value.model)) {
      ctx.addIssue({ code: "custom", path: ["model"], message: "model must be a .onnx file name in PIPER_MODELS_DIR" });
    }
  });

export type ProviderSettingInput = z.input<typeof providerSettingInputSchema>;

/** What each tone means in a workspace, added to the script prompt for briefs of that tone. */
export const toneInstructionsSchema = z.partialRecord(z.enum(TONES), textField("Tone instructions", { max: 500, multiline: true }));
