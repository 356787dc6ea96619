"use client";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
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
  VISUAL_STYLES,
  WATERMARK_POSITIONS,
} from "@/server/videos/brief";
import { ErrorLine } from "../../../_components/error-line";
import { Field, Input, inputClass } from "../../../_components/field";
import { useTRPC } from "../../../_components/trpc";
import { LanguageFields } from "./language-fields";

export function BriefForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [topic, setTopic] = useState("");
  // With a brand kit, the brief starts from it and may leave parts of it out.
  const kit = useQuery(trpc.brandKit.get.queryOptions()).data;
  const [useBrand, setUseBrand] = useState(true);
  const create = useMutation(
    trpc.videos.create.mutationOptions({
      onSuccess: ({ videoId }) => router.push(`/videos/${videoId}`),
      onError: (error) => setErrors((error.data as { fieldErrors?: Record<string, string> } | undefined)?.fieldErrors ?? { form: error.message }),
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
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
      captions: form.get("captions") === "on",
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
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    create.mutate(parsed.data);
  }

  const select = (name: string, options: readonly { value: string; label: string }[], defaultValue: string) => (
    <select id={name} name={name} defaultValue={defaultValue} className={inputClass}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
  const plain = (values: readonly string[]) => values.map((v) => ({ value: v, label: v.charAt(0).toUpperCase() + v.slice(1) }));

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5 rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <Field label="Topic or prompt" name="topic" error={errors.topic}>
        <textarea
          id="topic"
          name="topic"
          rows={5}
          value={topic}
          onChange={(e) => setTopic(e.target.value)}
          className={inputClass}
          placeholder="How solar panels turn sunlight into electricity. Photons knock electrons loose in silicon. Inverters convert DC to AC."
        />
      </Field>
      <p className="-mt-3 text-xs text-slate-500">Each sentence after the first becomes a point of its own in the video.</p>
      <LanguageFields topic={topic} errors={errors} />
      {kit?.configured ? (
        <fieldset className="min-w-0 space-y-3 rounded-md border border-slate-200 p-4" data-testid="brief-brand">
          <legend className="px-1 text-sm font-medium text-slate-700">Brand kit</legend>
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" name="brandUse" checked={useBrand} onChange={(e) => setUseBrand(e.target.checked)} className="h-4 w-4" /> Use the
            workspace&apos;s brand kit (its colours{kit.font ? ", caption font" : ""}
            {kit.intro || kit.outro ? ", intro and outro" : ""})
          </label>
          {useBrand && kit.logo ? (
            <label className="flex items-center gap-2 text-sm text-slate-700">
              <input type="checkbox" name="brandLogo" defaultChecked className="h-4 w-4" /> Show the logo (
              {kit.logoUse === "intro" ? "as an intro card" : `in the ${kit.logoPosition.replace("-", " ")} corner`})
            </label>
          ) : null}
          {useBrand && kit.music ? (
            <Field label="Music" name="brandMusic" error={errors["brand.music"]}>
              {select(
                "brandMusic",
                [
                  { value: "kit", label: `The kit's track: ${kit.music.name}` },
                  { value: "brief", label: "This brief's music bed (below)" },
                ],
                "kit",
              )}
            </Field>
          ) : null}
        </fieldset>
      ) : null}
      <div className="grid gap-5 sm:grid-cols-2">
        <Field label="Audience" name="audience" error={errors.audience}>
          <Input name="audience" placeholder="curious teenagers" />
        </Field>
        <Field label="Tone" name="tone" error={errors.tone}>
          {select("tone", plain(TONES), "informative")}
        </Field>
        <Field label="Target length (seconds, 15–180)" name="targetLengthSec" error={errors.targetLengthSec}>
          <Input name="targetLengthSec" type="number" min={15} max={180} defaultValue={60} />
        </Field>
        <Field label="Aspect ratio" name="aspectRatio" error={errors.aspectRatio}>
          {select(
            "aspectRatio",
            ASPECT_RATIOS.map((v) => ({
              value: v,
              label: {
                "16:9": "16:9 — landscape (YouTube)",
                "9:16": "9:16 — vertical (Shorts, TikTok, Reels)",
                "1:1": "1:1 — square (Instagram)",
                "4:5": "4:5 — portrait (Instagram feed)",
              }[v],
            })),
            "16:9",
          )}
        </Field>
        <Field label="Resolution" name="resolution" error={errors.resolution}>
          {select(
            "resolution",
            RESOLUTIONS.map((v) => ({ value: v, label: { "1080p": "1080p — Full HD", "2160p": "2160p — 4K, four times the pixels: slower to render" }[v] })),
            "1080p",
          )}
        </Field>
        <Field label="Visual style" name="visualStyle" error={errors.visualStyle}>
          {select("visualStyle", plain(VISUAL_STYLES), "modern")}
        </Field>
        <Field label="Music bed" name="music" error={errors.music}>
          {select("music", plain(MUSIC_MOODS), "calm")}
        </Field>
        <Field label="Quality" name="quality" error={errors.quality}>
          {select(
            "quality",
            QUALITIES.map((q) => ({
              value: q,
              label: { draft: "Draft — fastest", standard: "Standard", premium: "Premium — two passes", maximum: "Maximum — two passes, slowest" }[q],
            })),
            "standard",
          )}
        </Field>
        <Field label="Transition" name="transition" error={errors.transition}>
          {select(
            "transition",
            TRANSITIONS.map((t) => ({ value: t, label: t.replace("-", " ") })),
            "crossfade",
          )}
        </Field>
        <Field label="Transition sound" name="transitionSound" error={errors.transitionSound}>
          {select("transitionSound", plain(TRANSITION_SOUNDS), "none")}
        </Field>
        <Field label="Format" name="format" error={errors.format}>
          {select(
            "format",
            FORMATS.map((f) => ({ value: f, label: FORMAT_LABELS[f] })),
            "mp4-h264",
          )}
        </Field>
        <Field label="Watermark text (optional)" name="watermarkText" error={errors["watermark.text"]}>
          <Input name="watermarkText" placeholder="© Your brand" maxLength={60} />
        </Field>
        <Field label="Watermark position" name="watermarkPosition" error={errors["watermark.position"]}>
          {select(
            "watermarkPosition",
            WATERMARK_POSITIONS.map((p) => ({ value: p, label: p.replace("-", " ") })),
            "bottom-right",
          )}
        </Field>
        <Field label="Caption size" name="captionSize" error={errors.captionSize}>
          {select("captionSize", plain(CAPTION_SIZES), "medium")}
        </Field>
        <Field label="Caption position" name="captionPosition" error={errors.captionPosition}>
          {select("captionPosition", plain(CAPTION_POSITIONS), "bottom")}
        </Field>
        <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
          <input type="checkbox" name="captions" defaultChecked className="h-4 w-4" /> Burn in captions
        </label>
        <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
          <input type="checkbox" name="captionHighlight" className="h-4 w-4" /> Highlight each word as it is spoken
        </label>
        <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
          <input type="checkbox" name="titles" className="h-4 w-4" /> Opening title and scene names
        </label>
        <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
          <input type="checkbox" name="reviewScript" data-testid="review-script" className="h-4 w-4" /> Let me review the script before production
        </label>
        <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
          <input type="checkbox" name="useKnowledge" defaultChecked className="h-4 w-4" /> Use the workspace&apos;s reference documents
        </label>
      </div>
      {errors.form ? <ErrorLine boxed>{errors.form}</ErrorLine> : null}
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
