// Which voice spoke a video, from its narration steps' outputs, for the job page: the provider
// and the brief's voice ("espeak-ng, Spanish female"), once for the video when every scene had
// the same, else per scene. Outputs written before the voice was recorded name the provider only.
import { z } from "zod";
import { voiceInfo } from "../../videos/brief.ts";

const narrationOutputSchema = z.object({
  provider: z.string().optional(),
  voice: z.string().optional(),
  speaker: z.string().optional(),
});

/** "espeak-ng, Spanish female (es+f3)" from a narration step's output; null when it names no provider. */
export function describeSpokenVoice(output: unknown): string | null {
  const parsed = narrationOutputSchema.safeParse(output ?? {});
  if (!parsed.success || !parsed.data.provider) return null;
  const { provider, voice, speaker } = parsed.data;
  const info = voice ? voiceInfo(voice) : undefined;
  const who = info ? `${info.label.replace(" — ", " ")}` : voice;
  return [provider, who].filter(Boolean).join(", ") + (speaker ? ` (${speaker})` : "");
}

/** The voices of a job's narration steps: one line for the whole video when all agree, else
 *  one per scene (step id → description). */
export function spokenVoices(steps: { stepId: string; stage: string; output: unknown }[]) {
  const byStep = new Map<string, string>();
  for (const step of steps) {
    if (step.stage !== "narration") continue;
    const said = describeSpokenVoice(step.output);
    if (said) byStep.set(step.stepId, said);
  }
  const distinct = new Set(byStep.values());
  return { video: distinct.size === 1 ? [...distinct][0]! : null, byStep };
}
