// Which built-in voices speak a brief's voice, in the order to try them: festival's HTS voice
// for the female English voices, flite's rms for the male ones (measured clearest by
// bench/voices.ts), and espeak-ng, which speaks every language Aura has, last (and alone for
// the other languages).
import { voiceInfo } from "../../videos/brief.ts";
import type { FliteVoice } from "./flite.ts";

/** The built-in voice providers for a brief's voice, best first. */
export function offlineVoicesFor(voice: string): readonly string[] {
  const info = voiceInfo(voice);
  if (info?.language !== "en") return ["espeak-ng"];
  return info.gender === "female" ? ["festival", "espeak-ng"] : ["flite", "espeak-ng"];
}

/** The flite voice for a brief's voice. */
export function fliteVoiceFor(voice: string): FliteVoice {
  return voiceInfo(voice)?.gender === "female" ? "slt" : "rms";
}
