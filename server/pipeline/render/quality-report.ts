// The quality report of a render, stored on the video and shown on its page and in the REST
// API: what the worker measured in the file (loudness, silence, black and frozen stretches),
// how fast each caption reads and how many distinct pictures a minute the timeline shows, and
// which stages fell back from a configured provider to a built-in offline one. Its verdict is
// "degraded" when any did, so that a silent downgrade is never reported as a clean success.
import { computeTiming, QUALITY_THRESHOLDS, type RenderSpec, renderQualitySchema } from "@aura/render-contract";
import { z } from "zod";
import { providerInfo, type Capability } from "../../providers/catalog.ts";
import { providerReportSchema } from "../../providers/report.ts";

/** Reading speed guideline: captions faster than this many characters a second (spaces
 *  counted) are hard to follow (the common limit for adult viewers). */
export const FAST_CAPTION_CPS = 20;
/** A silence at least this long is worth a warning (shorter ones are listed only). */
export const SILENCE_WARN_SEC = 2;
/** Loudness further than this from the target, in LU, is worth a warning. */
export const LOUDNESS_TOLERANCE_LU = 1;
/** A true peak this far above the ceiling, in dB, is worth a warning. */
export const TRUE_PEAK_TOLERANCE_DB = 0.5;

const stretchSchema = z.object({ start: z.number(), end: z.number() });
const providerSchema = z.object({ id: z.string(), label: z.string() });

export const qualityReportSchema = z.object({
  verdict: z
    .enum(["clean", "warnings", "degraded"])
    .describe("degraded: a stage fell back to a built-in provider; warnings: something measured is off (see warnings)"),
  durationSec: z.number(),
  loudness: z
    .object({
      integratedLufs: z.number().nullable().describe("Integrated loudness (EBU R128); null when the file has no sound"),
      truePeakDb: z.number().nullable().describe("True peak in dBTP"),
      targetLufs: z.number(),
      ceilingDb: z.number().describe("The render's true-peak ceiling"),
    })
    .nullable()
    .describe("null: the file was not measured (an older render worker, or its measuring failed)"),
  silences: z.array(stretchSchema).describe("Quieter than thresholds.silenceNoiseDb for thresholds.silenceMinSec or more; seconds"),
  blacks: z.array(stretchSchema).describe("Black picture for thresholds.blackMinSec or more; seconds"),
  freezes: z
    .array(stretchSchema.extend({ expected: z.boolean().describe("Inside a still shot without motion (meant to hold still)") }))
    .describe("Frozen picture for thresholds.freezeMinSec or more; seconds"),
  captions: z.object({
    guidelineCharsPerSec: z.number(),
    cues: z
      .array(stretchSchema.extend({ charsPerSec: z.number(), wordsPerMin: z.number(), fast: z.boolean(), text: z.string().optional() }))
      .describe("Every cue the render drew, with its reading speed (spaces counted); text only on the fast ones"),
  }),
  pictures: z.object({ distinct: z.number().int(), perMinute: z.number() }).describe("Distinct stills and clips in the timeline"),
  degraded: z
    .array(
      z.object({
        stage: z.string(),
        steps: z.array(z.string()),
        from: providerSchema.describe("The configured provider that failed or was passed over"),
        to: providerSchema.describe("The built-in provider that answered"),
        reason: z.string(),
      }),
    )
    .describe("Each stage that fell back from a configured provider to a built-in offline one"),
  warnings: z
    .array(z.object({ kind: z.enum(["loudness", "true-peak", "silence", "black", "freeze", "captions", "fallback", "unmeasured"]), message: z.string() }))
    .describe("Why the verdict is not clean, in plain words (the degraded stages aside)"),
  thresholds: z.object({ silenceNoiseDb: z.number(), silenceMinSec: z.number(), blackMinSec: z.number(), freezeMinSec: z.number() }),
});
export type QualityReport = z.infer<typeof qualityReportSchema>;

/** What a step of the job left behind, as far as the report reads it. */
export type StepOutput = { stepId: string; stage: string; output: unknown };

const CAPABILITY_OF_STAGE: Partial<Record<string, Capability>> = { script: "script", narration: "voice", visuals: "visuals" };
/** How the report names each stage that can fall back. */
export const STAGE_LABELS: Record<string, string> = { script: "Script", narration: "Voice", visuals: "Pictures", render: "Music" };

const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** m:ss, as the report's lines say times. */
export function clock(sec: number) {
  const s = Math.max(0, Math.floor(sec));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** Each cue's reading speed: characters a second (spaces counted, runs of space as one) and words a minute. */
export function captionSpeeds(cues: RenderSpec["captions"]["cues"]): QualityReport["captions"]["cues"] {
  return cues.flatMap((cue) => {
    const seconds = cue.end - cue.start;
    if (seconds <= 0) return [];
    const text = cue.text.replace(/\s+/g, " ").trim();
    const charsPerSec = round(text.length / seconds);
    const words = text ? text.split(" ").length : 0;
    const fast = charsPerSec > FAST_CAPTION_CPS;
    return [
      {
        start: round(cue.start, 2),
        end: round(cue.end, 2),
        charsPerSec,
        wordsPerMin: Math.round((words / seconds) * 60),
        fast,
        ...(fast ? { text: text.slice(0, 120) } : {}),
      },
    ];
  });
}

/** Distinct pictures (stills and clips, by their file) over the video's length. */
export function picturesPerMinute(spec: RenderSpec, durationSec: number) {
  const distinct = new Set(spec.scenes.map((s) => s.image ?? s.clip?.key)).size;
  return { distinct, perMinute: durationSec > 0 ? round(distinct / (durationSec / 60)) : 0 };
}

/** A frozen stretch is expected inside a still shot without motion (with a little slack for
 *  the transitions around it). */
function freezeExpected(spec: RenderSpec, freeze: { start: number; end: number }) {
  const timing = computeTiming(spec);
  const slack = spec.transition.duration + 0.3;
  return spec.scenes.some((scene, i) => {
    const t = timing.scenes[i]!;
    const still = !scene.clip && (scene.motion.kind === "none" || scene.motion.strength === 0);
    return still && freeze.start >= t.startSec - slack && freeze.end <= t.startSec + t.durationSec + slack;
  });
}

/** The provider of each shot, as a visuals step records its shots. */
const shotProviders = z.object({ shots: z.array(z.object({ provider: z.string() })) });

const labelOf = (capability: Capability | null, id: string) => ({ id, label: (capability && providerInfo(capability, id)?.label) || id });

/**
 * The stages that fell back, from each step's provider report: a configured provider's
 * fallback answered by a built-in offline provider (by its tier in the catalogue) is a
 * degradation; one answered by another configured provider, or one built-in voice standing in
 * for another (festival missing, espeak-ng spoke), is a warning. Passing over a provider because offline mode is on
 * is the user's choice, not a fallback. The same fall (stage, providers, reason) in several
 * steps is listed once with its steps.
 */
export function fallbacksOf(steps: StepOutput[], music?: unknown) {
  const degraded = new Map<string, QualityReport["degraded"][number]>();
  const others = new Map<string, QualityReport["degraded"][number]>();
  for (const step of steps) {
    const capability = CAPABILITY_OF_STAGE[step.stage];
    const report = providerReportSchema.safeParse(step.output ?? {});
    if (!capability || !report.success || !report.data.provider) continue;
    // A visuals step names its first shot's provider; its fallbacks are every shot's. When any
    // shot was answered by a built-in provider, its fallbacks count as falling back to that one
    // (rather than let a later shot's downgrade pass as clean).
    const shots = shotProviders.safeParse(step.output).data?.shots ?? [];
    const isOffline = (id: string) => providerInfo(capability, id)?.tier === "offline";
    const answered = [report.data.provider, ...shots.map((s) => s.provider)].find(isOffline) ?? report.data.provider;
    const offline = isOffline(answered);
    for (const fallback of report.data.fallbacks) {
      if (fallback.reason === "offline mode" || fallback.provider === answered) continue;
      const reason = fallback.reason.slice(0, 300);
      const key = JSON.stringify([step.stage, fallback.provider, answered, reason]);
      const into = offline && !isOffline(fallback.provider) ? degraded : others;
      const found = into.get(key);
      if (found) {
        if (!found.steps.includes(step.stepId)) found.steps.push(step.stepId);
      } else {
        into.set(key, { stage: step.stage, steps: [step.stepId], from: labelOf(capability, fallback.provider), to: labelOf(capability, answered), reason });
      }
    }
  }
  // The worker says how the music bed was made (when it says): "chord" means fluidsynth or its
  // sound font was missing. Built in either way, so a warning like festival's stand-in.
  if (music === "chord") {
    others.set("music", {
      stage: "render",
      steps: ["encode"],
      from: { id: "composer", label: "composed music" },
      to: { id: "chord", label: "a held chord" },
      reason: "the render worker could not compose music (fluidsynth or its sound font is missing)",
    });
  }
  return { degraded: [...degraded.values()], fellBack: [...others.values()] };
}

/** The report of one render, from what the worker measured, the spec it rendered and the job's steps. */
export function assembleQualityReport(input: {
  spec: RenderSpec;
  durationSec: number;
  /** The result's `quality`, as the worker sent it (checked here: absent from older workers). */
  measured: unknown;
  steps: StepOutput[];
  music?: unknown;
}): QualityReport {
  const { spec, durationSec } = input;
  const measured = renderQualitySchema.safeParse(input.measured).data;
  const target = spec.loudness;
  const cues = captionSpeeds(spec.captions.enabled ? spec.captions.cues : []);
  const freezes = (measured?.freezes ?? []).map((f) => ({ ...f, expected: freezeExpected(spec, f) }));
  const { degraded, fellBack } = fallbacksOf(input.steps, input.music);
  const warnings: QualityReport["warnings"] = [];
  const warn = (kind: QualityReport["warnings"][number]["kind"], message: string) => warnings.push({ kind, message });

  if (!measured)
    warn(
      "unmeasured",
      "the rendered file was not measured (an older render worker, or its measuring failed): loudness, silence, black and frozen stretches are unknown",
    );
  else {
    const lufs = measured.integratedLufs;
    if (lufs === null) warn("loudness", "the video has no sound");
    else if (Math.abs(lufs - target.integratedLufs) > LOUDNESS_TOLERANCE_LU)
      warn("loudness", `${lufs > target.integratedLufs ? "loud" : "quiet"}: ${lufs} LUFS against a target of ${target.integratedLufs}`);
    if (measured.truePeakDb !== null && measured.truePeakDb > target.truePeakDb + TRUE_PEAK_TOLERANCE_DB)
      warn("true-peak", `true peak ${measured.truePeakDb} dBTP, above the ${target.truePeakDb} dBTP ceiling`);
    for (const s of measured.silences.filter((s) => s.end - s.start >= SILENCE_WARN_SEC))
      warn("silence", `silence of ${round(s.end - s.start)} s at ${clock(s.start)}`);
    for (const b of measured.blacks) warn("black", `black picture for ${round(b.end - b.start)} s at ${clock(b.start)}`);
    for (const f of freezes.filter((f) => !f.expected)) warn("freeze", `picture frozen for ${round(f.end - f.start)} s at ${clock(f.start)}`);
  }
  const fast = cues.filter((c) => c.fast);
  if (fast.length) {
    const fastest = Math.max(...fast.map((c) => c.charsPerSec));
    warn("captions", `${fast.length} caption${fast.length > 1 ? "s" : ""} read fast (up to ${fastest} characters/s; the guideline is ${FAST_CAPTION_CPS})`);
  }
  for (const f of fellBack) warn("fallback", `${STAGE_LABELS[f.stage] ?? f.stage} fell back from ${f.from.label} to ${f.to.label}: ${f.reason}`);

  return qualityReportSchema.parse({
    verdict: degraded.length ? "degraded" : warnings.length ? "warnings" : "clean",
    durationSec: round(durationSec, 2),
    loudness: measured
      ? { integratedLufs: measured.integratedLufs, truePeakDb: measured.truePeakDb, targetLufs: target.integratedLufs, ceilingDb: target.truePeakDb }
      : null,
    silences: measured?.silences ?? [],
    blacks: measured?.blacks ?? [],
    freezes,
    captions: { guidelineCharsPerSec: FAST_CAPTION_CPS, cues },
    pictures: picturesPerMinute(spec, durationSec),
    degraded,
    warnings,
    thresholds: {
      silenceNoiseDb: QUALITY_THRESHOLDS.silenceNoiseDb,
      silenceMinSec: QUALITY_THRESHOLDS.silenceMinSec,
      blackMinSec: QUALITY_THRESHOLDS.blackMinSec,
      freezeMinSec: QUALITY_THRESHOLDS.freezeMinSec,
    },
  });
}

/** A stored report read back (null when there is none, or it is of another shape). */
export function readQualityReport(value: unknown): QualityReport | null {
  const parsed = qualityReportSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}
