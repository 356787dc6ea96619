// Which built-in voices speak a brief's voice, in the order to try them: festival's HTS voice
// for the female voices, flite's rms for the male ones (measured clearest by bench/voices.ts),
// and espeak-ng last, when the others are missing or fail.
import type { Brief } from "../../videos/brief.ts";
import type { FliteVoice } from "./flite.ts";

const OFFLINE_VOICES: Record<Brief["voice"], { chain: readonly string[]; flite: FliteVoice }> = {
  "en-us-female": { chain: ["festival", "espeak-ng"], flite: "slt" },
  "en-gb-female": { chain: ["festival", "espeak-ng"], flite: "slt" },
  "en-us-male": { chain: ["flite", "espeak-ng"], flite: "rms" },
  "en-gb-male": { chain: ["flite", "espeak-ng"], flite: "rms" },
};

/** The built-in voice providers for a brief's voice, best first. */
export function offlineVoicesFor(voice: Brief["voice"]) {
  return OFFLINE_VOICES[voice].chain;
}

/** The flite voice for a brief's voice. */
export function fliteVoiceFor(voice: Brief["voice"]) {
  return OFFLINE_VOICES[voice].flite;
}
