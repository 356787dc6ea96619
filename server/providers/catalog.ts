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
};

export const PROVIDERS: Record<Capability, ProviderInfo[]> = {
  script: [
    {
      id: "openai",
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
      label: "Ollama",
      tier: "local",
      network: true,
      needsKey: false,
      baseUrl: "http://127.0.0.1:11434",
      model: "llama3.1",
      modelHint: "a pulled model",
    },
    { id: "offline", label: "Offline writer (built in)", tier: "offline", network: false, needsKey: false },
  ],
  voice: [
    {
      id: "openai",
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
      label: "Festival HTS, female English (built in)",
      tier: "offline",
      network: false,
      needsKey: false,
      languages: describeVoiceLanguages("festival"),
    },
    { id: "flite", label: "Flite, male English (built in)", tier: "offline", network: false, needsKey: false, languages: describeVoiceLanguages("flite") },
    {
      id: "espeak-ng",
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
      label: "OpenAI video (Sora)",
      tier: "online",
      network: true,
      needsKey: true,
      baseUrl: "https://api.openai.com/v1",
      model: "sora-2",
      modelHint: "video model (sora-2, sora-2-pro)",
    },
    { id: "pexels", label: "Pexels stock photos", tier: "online", network: true, needsKey: true, baseUrl: "https://api.pexels.com" },
    { id: "pexels-video", label: "Pexels stock videos", tier: "online", network: true, needsKey: true, baseUrl: "https://api.pexels.com" },
    { id: "pixabay-video", label: "Pixabay stock videos", tier: "online", network: true, needsKey: true, baseUrl: "https://pixabay.com" },
    {
      id: "sd-webui",
      label: "Stable Diffusion WebUI",
      tier: "local",
      network: true,
      needsKey: false,
      baseUrl: "http://127.0.0.1:7860",
      modelHint: "checkpoint (empty: the loaded one)",
    },
    { id: "offline-card", label: "Offline illustrations (built in)", tier: "offline", network: false, needsKey: false },
  ],
  knowledge: [
    {
      id: "openai",
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
      label: "Ollama embeddings",
      tier: "local",
      network: true,
      needsKey: false,
      baseUrl: "http://127.0.0.1:11434",
      model: "nomic-embed-text",
      modelHint: "a pulled embedding model",
    },
    { id: "keyword", label: "Keyword ranking (built in)", tier: "offline", network: false, needsKey: false },
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
