// Whether a video was made worse than its workspace asked for: a stage answered by a built-in
// offline provider (the offline chain), or by another provider after a configured one failed.
// Worked out once when the job finishes, from the provider reports its steps recorded
// (providers/report.ts), and stored on the video, so the library lists it without reading
// steps. Each entry says, in plain words, what happened, why, and what to do about it.
import { z } from "zod";
import type { Db, Prisma } from "../db/client.ts";
import { type Capability, providerInfo } from "../providers/catalog.ts";
import { providerReportSchema } from "../providers/report.ts";
import { plainCause, providerName } from "../lib/plain-errors.ts";

export const degradationSchema = z.object({
  /** The workflow stage: script, narration or visuals. */
  stage: z.string(),
  /** What the video got and why, e.g. "Narrated by the offline voice because OpenAI refused the API key". */
  reason: z.string(),
  /** What to do about it, in Settings → Providers. */
  fix: z.string(),
});
export type Degradation = z.infer<typeof degradationSchema>;

/** Where the badge's link goes: the Providers section of the settings. */
export const PROVIDERS_HREF = "/settings#providers";

const STAGES: { stage: string; capability: Capability; made: (by: string) => string; connect: string }[] = [
  { stage: "script", capability: "script", made: (by) => `Written by ${by}`, connect: "a script writer" },
  { stage: "narration", capability: "voice", made: (by) => `Narrated by ${by}`, connect: "a voice" },
  { stage: "visuals", capability: "visuals", made: (by) => `Pictures from ${by}`, connect: "a picture source" },
];

type StepRow = { stepId: string; stage: string; provider: string | null; output: unknown };

const isConfigurable = (capability: Capability, provider: string) => {
  const tier = providerInfo(capability, provider)?.tier;
  return tier === "online" || tier === "local";
};

/** One stage's verdict from its steps (one per scene for narration and visuals). */
function stageDegradation(steps: StepRow[], def: (typeof STAGES)[number]): Degradation | null {
  const worse: { provider: string; cause: { provider: string; reason: string } | null }[] = [];
  let counted = 0;
  for (const step of steps) {
    const report = providerReportSchema.safeParse(step.output ?? {});
    const provider = (report.success ? report.data.provider : undefined) ?? step.provider;
    if (!provider) continue;
    counted++;
    const offline = providerInfo(def.capability, provider)?.tier === "offline";
    // Only a configured provider that was passed over counts: a built-in voice standing in for
    // another built-in one is the offline chain working as meant.
    const cause = (report.success ? report.data.fallbacks : []).find((f) => isConfigurable(def.capability, f.provider)) ?? null;
    if (offline || cause) worse.push({ provider, cause });
  }
  const first = worse[0];
  if (!first) return null;
  const by = providerName(first.provider);
  const some = worse.length < counted ? ` in ${worse.length} of ${counted} scenes` : "";
  if (!first.cause) {
    return {
      stage: def.stage,
      reason: `${def.made(by)}${some} because no ${def.connect.replace(/^an? /, "")} is connected`,
      fix: `Connect ${def.connect} in Settings → Providers.`,
    };
  }
  const cause = plainCause(first.cause.reason, first.cause.provider);
  return { stage: def.stage, reason: `${def.made(by)}${some} because ${cause.what}`, fix: cause.todo || "Check the provider in Settings → Providers." };
}

/** Every degraded stage of a job, from its finished steps. */
export function degradationsOf(steps: StepRow[]): Degradation[] {
  const ids = new Set(steps.map((s) => s.stepId));
  // A scene with AI video clips: its clips step says what the scene got, not its first step.
  const counts = (s: StepRow) => !/^visual-\d+-(poll|wait)-\d+$/.test(s.stepId) && !ids.has(`${s.stepId}-clips`);
  return STAGES.map((def) =>
    stageDegradation(
      steps.filter((s) => s.stage === def.stage && counts(s)),
      def,
    ),
  ).filter((d): d is Degradation => d !== null);
}

/** The stored list as read back: videos finished before it was stored have none. */
export function readDegraded(value: unknown): Degradation[] {
  const parsed = z.array(degradationSchema).safeParse(value);
  return parsed.success ? parsed.data : [];
}

/** Works out a finished job's degradations: the value to store on its video. */
export async function jobDegradations(db: Db, jobId: string): Promise<Prisma.InputJsonValue> {
  const steps = await db.jobStep.findMany({ where: { jobId, status: "succeeded" }, select: { stepId: true, stage: true, provider: true, output: true } });
  return degradationsOf(steps);
}
