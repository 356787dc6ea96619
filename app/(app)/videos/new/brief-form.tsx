"use client";
// The brief form, in four sections: Content (topic, language, audience, tone, length), Look
// (aspect ratio, visual style with a sample picture each, brand kit), Sound (voice with a sample
// to hear, music) and Output (captions, quality, script review). Each section shows its common
// choices; the rest wait under its "More … options". Presets at the top fill several fields at
// once and say which they changed; every field stays editable. A refused brief (by the same
// schema in the browser, or by the server) gets a summary at the top linking to each refused
// field, each message in plain words, and the first refused field takes the focus (a folded
// section opens for it).
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, type ReactNode, useEffect, useState } from "react";
import {
  ASPECT_RATIOS,
  briefSchema,
  CAPTION_POSITIONS,
  CAPTION_SIZES,
  fieldErrors,
  FORMAT_LABELS,
  FORMATS,
  MUSIC_MOODS,
  QUALITIES,
  RESOLUTIONS,
  TONES,
  TRANSITION_SOUNDS,
  TRANSITIONS,
  WATERMARK_POSITIONS,
} from "@/server/videos/brief";
import { CAPTIONS_MODES, type CaptionsMode, type Preset, PRESETS, presetChanges, type PresetFields } from "@/server/videos/presets";
import { ErrorLine } from "../../../_components/error-line";
import { Field, Input, inputClass, invalidProps } from "../../../_components/field";
import { useTRPC } from "../../../_components/trpc";
import { fieldProblems, otherProblems, summaryTitle } from "./form-errors";
import { LanguageField, useLanguageAndVoice, VoiceField } from "./language-fields";
import { StylePicker } from "./style-picker";

const CAPTIONS_LABELS: Record<CaptionsMode | "none", string> = {
  burned: "Burned into the picture",
  track: "Separate track (viewer can turn on)",
  both: "Both (track off by default)",
  none: "No captions",
};

const ASPECT_LABELS: Record<(typeof ASPECT_RATIOS)[number], string> = {
  "16:9": "16:9 — landscape (YouTube)",
  "9:16": "9:16 — vertical (Shorts, TikTok, Reels)",
  "1:1": "1:1 — square (Instagram, LinkedIn)",
  "4:5": "4:5 — portrait (Instagram feed)",
};

const capitalised = (v: string) => v.charAt(0).toUpperCase() + v.slice(1);
const plain = (values: readonly string[]) => values.map((v) => ({ value: v, label: capitalised(v) }));

/** The fields a preset fills, as the form holds them. */
type PresetValues = {
  aspectRatio: string;
  targetLengthSec: string;
  tone: string;
  captionsMode: CaptionsMode | "none";
  captionSize: string;
  captionHighlight: boolean;
};

const DEFAULTS: PresetValues = {
  aspectRatio: "16:9",
  targetLengthSec: "60",
  tone: "informative",
  captionsMode: "burned",
  captionSize: "medium",
  captionHighlight: false,
};

/** The form's values in a preset's terms, to tell which fields a preset changes. */
const asPresetFields = (v: PresetValues) => ({
  aspectRatio: v.aspectRatio,
  targetLengthSec: Number(v.targetLengthSec),
  tone: v.tone,
  captions: v.captionsMode !== "none",
  captionsMode: v.captionsMode === "none" ? undefined : v.captionsMode,
  captionSize: v.captionSize,
  captionHighlight: v.captionHighlight,
});

/** "Aspect ratio: 9:16", as a preset's note names a change. */
function describeChange(field: keyof PresetFields, to: unknown) {
  switch (field) {
    case "aspectRatio":
      return `Aspect ratio: ${String(to)}`;
    case "targetLengthSec":
      return `Target length: ${String(to)} s`;
    case "tone":
      return `Tone: ${capitalised(String(to))}`;
    case "captions":
      return `Captions: ${to ? "on" : "off"}`;
    case "captionsMode":
      return `Captions: ${CAPTIONS_LABELS[to as CaptionsMode]}`;
    case "captionSize":
      return `Caption size: ${capitalised(String(to))}`;
    case "captionHighlight":
      return `Word highlighting: ${to ? "on" : "off"}`;
  }
}

/** One section of the brief: its common fields, and the rest folded under "More … options". */
function Section({ id, title, more, children }: { id: string; title: string; more?: ReactNode; children: ReactNode }) {
  return (
    <fieldset className="min-w-0 space-y-4 border-t border-slate-200 pt-5 first-of-type:border-t-0 first-of-type:pt-0" data-testid={`brief-section-${id}`}>
      <legend className="float-left mb-4 w-full text-lg font-semibold text-slate-900">{title}</legend>
      <div className="clear-left grid gap-5 sm:grid-cols-2">{children}</div>
      {more ? (
        <details className="group rounded-md border border-slate-200" data-testid={`brief-more-${id}`}>
          <summary className="cursor-pointer rounded-md px-4 py-2 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-sky-500">
            More {title.toLowerCase()} options
          </summary>
          <div className="grid gap-5 p-4 pt-2 sm:grid-cols-2">{more}</div>
        </details>
      ) : null}
    </fieldset>
  );
}

export function BriefForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  // Counts refusals: each one moves the focus, even when the same fields are refused again.
  const [refusals, setRefusals] = useState(0);
  const [topic, setTopic] = useState("");
  const [values, setValues] = useState<PresetValues>(DEFAULTS);
  const [applied, setApplied] = useState<{ preset: Preset; changes: string[] } | null>(null);
  const languageAndVoice = useLanguageAndVoice(topic);
  // With a brand kit, the brief starts from it and may leave parts of it out.
  const kit = useQuery(trpc.brandKit.get.queryOptions()).data;
  const [useBrand, setUseBrand] = useState(true);
  const refuse = (found: Record<string, string>) => {
    setErrors(found);
    setRefusals((n) => n + 1);
  };
  const create = useMutation(
    trpc.videos.create.mutationOptions({
      onSuccess: ({ videoId }) => router.push(`/videos/${videoId}`),
      onError: (error) => refuse((error.data as { fieldErrors?: Record<string, string> } | undefined)?.fieldErrors ?? { form: error.message }),
    }),
  );
  const problems = fieldProblems(errors);
  const other = otherProblems(errors);

  // After a refusal: the first refused field takes the focus (its folded section opened), else the summary.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per refusal, reading that refusal's fields
  useEffect(() => {
    if (!refusals) return;
    const first = problems[0] ? document.getElementById(problems[0].id) : null;
    for (const problem of problems) {
      const details = document.getElementById(problem.id)?.closest("details");
      if (details) details.open = true;
    }
    (first ?? document.getElementById("brief-error-summary"))?.focus();
  }, [refusals]);

  function set<K extends keyof PresetValues>(field: K, value: PresetValues[K]) {
    setValues((v) => ({ ...v, [field]: value }));
  }

  function applyPreset(preset: Preset) {
    const changes = presetChanges(preset, asPresetFields(values));
    const f = preset.fields;
    setValues((v) => ({
      aspectRatio: f.aspectRatio ?? v.aspectRatio,
      targetLengthSec: f.targetLengthSec === undefined ? v.targetLengthSec : String(f.targetLengthSec),
      tone: f.tone ?? v.tone,
      captionsMode: f.captions === false ? "none" : (f.captionsMode ?? v.captionsMode),
      captionSize: f.captionSize ?? v.captionSize,
      captionHighlight: f.captionHighlight ?? v.captionHighlight,
    }));
    // "Captions: on" says nothing more when the captions' mode is named too.
    const named = changes.filter((c) => c.field !== "captions" || !changes.some((o) => o.field === "captionsMode"));
    setApplied({ preset, changes: named.map((c) => describeChange(c.field, c.to)) });
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const captionsMode = String(form.get("captionsMode") ?? "burned");
    const parsed = briefSchema.safeParse({
      // Sent only when picked by hand: otherwise the schema finds it from the topic as the
      // field did, and refuses a topic in a language no voice speaks.
      language: form.get("languagePicked") ? form.get("language") : undefined,
      topic: form.get("topic"),
      audience: form.get("audience"),
      tone: form.get("tone"),
      targetLengthSec: form.get("targetLengthSec"),
      aspectRatio: form.get("aspectRatio"),
      resolution: form.get("resolution"),
      voice: form.get("voice"),
      visualStyle: form.get("visualStyle"),
      music: form.get("music"),
      captions: captionsMode !== "none",
      ...(captionsMode !== "none" ? { captionsMode } : {}),
      reviewScript: form.get("reviewScript") === "on",
      useKnowledge: form.get("useKnowledge") === "on",
      captionSize: form.get("captionSize"),
      captionPosition: form.get("captionPosition"),
      captionHighlight: form.get("captionHighlight") === "on",
      titles: form.get("titles") === "on",
      quality: form.get("quality"),
      transition: form.get("transition"),
      transitionSound: form.get("transitionSound"),
      format: form.get("format"),
      watermark: String(form.get("watermarkText") ?? "").trim() ? { text: form.get("watermarkText"), position: form.get("watermarkPosition") } : null,
      ...(kit?.configured
        ? { brand: { use: form.get("brandUse") === "on", logo: form.get("brandLogo") === "on", music: form.get("brandMusic") ?? "kit" } }
        : {}),
    });
    if (!parsed.success) return refuse(fieldErrors(parsed.error));
    setErrors({});
    create.mutate(parsed.data);
  }

  const select = (name: string, options: readonly { value: string; label: string }[], defaultValue: string, error?: string) => (
    <select id={name} name={name} defaultValue={defaultValue} className={inputClass} {...invalidProps(name, error)}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
  const controlled = (name: "aspectRatio" | "tone" | "captionsMode" | "captionSize", options: readonly { value: string; label: string }[]) => (
    <select
      id={name}
      name={name}
      value={values[name]}
      onChange={(e) => set(name, e.target.value as PresetValues[typeof name])}
      className={inputClass}
      {...invalidProps(name, errors[name])}
    >
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
  const checkbox = (
    name: string,
    label: ReactNode,
    props: { defaultChecked?: boolean; checked?: boolean; onChange?: (on: boolean) => void; testId?: string } = {},
  ) => (
    <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
      <input
        type="checkbox"
        id={name}
        name={name}
        defaultChecked={props.defaultChecked}
        checked={props.checked}
        onChange={props.onChange ? (e) => props.onChange!(e.target.checked) : undefined}
        data-testid={props.testId}
        className="h-4 w-4"
      />{" "}
      {label}
    </label>
  );

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6">
      <fieldset className="min-w-0 space-y-2" data-testid="brief-presets">
        <legend className="text-sm font-medium text-slate-700">Start from a preset (fills several fields; change any of them afterwards)</legend>
        <div className="flex flex-wrap gap-2">
          {PRESETS.map((preset) => (
            <button
              key={preset.id}
              type="button"
              onClick={() => applyPreset(preset)}
              aria-pressed={applied?.preset.id === preset.id}
              title={preset.description}
              data-testid={`preset-${preset.id}`}
              className="rounded-full border border-slate-300 bg-white px-4 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 aria-pressed:border-sky-600 aria-pressed:bg-sky-50 aria-pressed:text-sky-900"
            >
              {preset.label}
            </button>
          ))}
        </div>
        <p className="text-sm text-slate-600" role="status" data-testid="preset-note">
          {applied
            ? applied.changes.length
              ? `${applied.preset.label} changed ${applied.changes.length === 1 ? "1 field" : `${applied.changes.length} fields`}: ${applied.changes.join("; ")}.`
              : `${applied.preset.label}: every field it sets already had its value.`
            : ""}
        </p>
      </fieldset>

      {problems.length || other ? (
        <section
          id="brief-error-summary"
          tabIndex={-1}
          aria-labelledby={problems.length ? "brief-error-summary-title" : undefined}
          data-testid="error-summary"
          className="rounded-md border border-red-300 bg-red-50 p-4 focus:outline-2 focus:outline-red-500"
        >
          {problems.length ? (
            <>
              <h2 id="brief-error-summary-title" className="text-sm font-semibold text-red-800">
                {summaryTitle(problems.length)}
              </h2>
              <ul className="mt-2 list-disc space-y-1 pl-5 text-sm text-red-800">
                {problems.map((p) => (
                  <li key={p.key}>
                    <a
                      href={`#${p.id}`}
                      className="underline"
                      onClick={(e) => {
                        e.preventDefault();
                        const target = document.getElementById(p.id);
                        const details = target?.closest("details");
                        if (details) details.open = true;
                        target?.focus();
                      }}
                    >
                      {p.label}: {p.message}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          {other ? <ErrorLine className={problems.length ? "mt-2" : ""}>{other}</ErrorLine> : null}
        </section>
      ) : null}

      <Section id="content" title="Content" more={checkbox("useKnowledge", "Use the workspace's reference documents", { defaultChecked: true })}>
        <div className="sm:col-span-2">
          <Field label="Topic or prompt" name="topic" error={errors.topic} hint="Each sentence after the first becomes a point of its own in the video.">
            <textarea
              id="topic"
              name="topic"
              rows={5}
              value={topic}
              onChange={(e) => setTopic(e.target.value)}
              className={inputClass}
              placeholder="How solar panels turn sunlight into electricity. Photons knock electrons loose in silicon. Inverters convert DC to AC."
              {...invalidProps("topic", errors.topic)}
            />
          </Field>
        </div>
        <LanguageField state={languageAndVoice} error={errors.language} />
        <Field label="Audience" name="audience" error={errors.audience}>
          <Input name="audience" placeholder="curious teenagers" {...invalidProps("audience", errors.audience)} />
        </Field>
        <Field label="Tone" name="tone" error={errors.tone}>
          {controlled("tone", plain(TONES))}
        </Field>
        <Field label="Target length (seconds, 15–180)" name="targetLengthSec" error={errors.targetLengthSec}>
          <Input
            name="targetLengthSec"
            type="number"
            min={15}
            max={180}
            value={values.targetLengthSec}
            onChange={(e) => set("targetLengthSec", e.target.value)}
            {...invalidProps("targetLengthSec", errors.targetLengthSec)}
          />
        </Field>
      </Section>

      <Section
        id="look"
        title="Look"
        more={
          <>
            <Field label="Transition" name="transition" error={errors.transition}>
              {select(
                "transition",
                TRANSITIONS.map((t) => ({ value: t, label: capitalised(t.replace("-", " ")) })),
                "crossfade",
                errors.transition,
              )}
            </Field>
            {checkbox("titles", "Opening title and scene names")}
            <Field label="Watermark text (optional)" name="watermarkText" error={errors["watermark.text"]}>
              <Input name="watermarkText" placeholder="© Your brand" maxLength={60} {...invalidProps("watermarkText", errors["watermark.text"])} />
            </Field>
            <Field label="Watermark position" name="watermarkPosition" error={errors["watermark.position"]}>
              {select(
                "watermarkPosition",
                WATERMARK_POSITIONS.map((p) => ({ value: p, label: capitalised(p.replace("-", " ")) })),
                "bottom-right",
                errors["watermark.position"],
              )}
            </Field>
          </>
        }
      >
        <Field label="Aspect ratio" name="aspectRatio" error={errors.aspectRatio}>
          {controlled(
            "aspectRatio",
            ASPECT_RATIOS.map((v) => ({ value: v, label: ASPECT_LABELS[v] })),
          )}
        </Field>
        <div className="sm:col-span-2">
          <StylePicker error={errors.visualStyle} />
        </div>
        {kit?.configured ? (
          <fieldset className="min-w-0 space-y-3 rounded-md border border-slate-200 p-4 sm:col-span-2" data-testid="brief-brand">
            <legend className="px-1 text-sm font-medium text-slate-700">Brand kit</legend>
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" id="brandUse" name="brandUse" checked={useBrand} onChange={(e) => setUseBrand(e.target.checked)} className="h-4 w-4" /> Use
              the workspace&apos;s brand kit (its colours{kit.font ? ", caption font" : ""}
              {kit.intro || kit.outro ? ", intro and outro" : ""})
            </label>
            {useBrand && kit.logo ? (
              <label className="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" id="brandLogo" name="brandLogo" defaultChecked className="h-4 w-4" /> Show the logo (
                {kit.logoUse === "intro" ? "as an intro card" : `in the ${kit.logoPosition.replace("-", " ")} corner`})
              </label>
            ) : null}
            {useBrand && kit.music ? (
              <Field label="Music" name="brandMusic" error={errors["brand.music"]}>
                {select(
                  "brandMusic",
                  [
                    { value: "kit", label: `The kit's track: ${kit.music.name}` },
                    { value: "brief", label: "This brief's music bed (in Sound)" },
                  ],
                  "kit",
                  errors["brand.music"],
                )}
              </Field>
            ) : null}
          </fieldset>
        ) : null}
      </Section>

      <Section
        id="sound"
        title="Sound"
        more={
          <Field label="Transition sound" name="transitionSound" error={errors.transitionSound}>
            {select("transitionSound", plain(TRANSITION_SOUNDS), "none", errors.transitionSound)}
          </Field>
        }
      >
        <VoiceField state={languageAndVoice} error={errors.voice} />
        <Field label="Music bed" name="music" error={errors.music}>
          {select("music", plain(MUSIC_MOODS), "calm", errors.music)}
        </Field>
      </Section>

      <Section
        id="output"
        title="Output"
        more={
          <>
            <Field label="Caption size" name="captionSize" error={errors.captionSize}>
              {controlled("captionSize", plain(CAPTION_SIZES))}
            </Field>
            <Field label="Caption position" name="captionPosition" error={errors.captionPosition}>
              {select("captionPosition", plain(CAPTION_POSITIONS), "bottom", errors.captionPosition)}
            </Field>
            {checkbox("captionHighlight", "Highlight each word as it is spoken", {
              checked: values.captionHighlight,
              onChange: (on) => set("captionHighlight", on),
            })}
            <Field label="Resolution" name="resolution" error={errors.resolution}>
              {select(
                "resolution",
                RESOLUTIONS.map((v) => ({
                  value: v,
                  label: { "1080p": "1080p — Full HD", "2160p": "2160p — 4K, four times the pixels: slower to render" }[v],
                })),
                "1080p",
                errors.resolution,
              )}
            </Field>
            <Field label="Format" name="format" error={errors.format}>
              {select(
                "format",
                FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] })),
                "mp4-h264",
                errors.format,
              )}
            </Field>
          </>
        }
      >
        <Field label="Captions" name="captionsMode" error={errors.captionsMode ?? errors.captions}>
          {controlled(
            "captionsMode",
            [...CAPTIONS_MODES, "none" as const].map((m) => ({ value: m, label: CAPTIONS_LABELS[m] })),
          )}
        </Field>
        <Field label="Quality" name="quality" error={errors.quality}>
          {select(
            "quality",
            QUALITIES.map((q) => ({
              value: q,
              label: { draft: "Draft — fastest", standard: "Standard", premium: "Premium — two passes", maximum: "Maximum — two passes, slowest" }[q],
            })),
            "standard",
            errors.quality,
          )}
        </Field>
        <div className="sm:col-span-2">{checkbox("reviewScript", "Let me review the script before production", { testId: "review-script" })}</div>
      </Section>

      <button
        type="submit"
        disabled={create.isPending}
        className="rounded-md bg-slate-900 px-5 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60"
      >
        {create.isPending ? "Starting…" : "Generate video"}
      </button>
    </form>
  );
}
