"use client";
// The workspace's brand kit: its logo (a library picture, in a corner or as an intro card), its
// colours, its caption font (uploaded, checked on the server, previewed here in the font
// itself), intro and outro clips and music from the media library. Admins and owners change
// it; other members see it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type ChangeEvent } from "react";
import { BRAND_DEFAULTS, LOGO_POSITIONS, LOGO_USE_LABELS, LOGO_USES, type BrandKitUpdate } from "@/server/brand/schema";
import { ErrorLine } from "../../_components/error-line";
import { inputClass } from "../../_components/field";
import { useTRPC } from "../../_components/trpc";

type Kind = "image" | "video" | "audio";
type ItemField = "logoItemId" | "introItemId" | "outroItemId" | "musicItemId";
type ColorField = "primaryColor" | "backgroundColor" | "accentColor" | "captionColor" | "captionHighlightColor";

const COLORS: { field: ColorField; label: string }[] = [
  { field: "primaryColor", label: "Primary (cards, intro card)" },
  { field: "backgroundColor", label: "Background (cards)" },
  { field: "accentColor", label: "Accent" },
  { field: "captionColor", label: "Caption text" },
  { field: "captionHighlightColor", label: "Caption highlight" },
];

/** The kit's clips and music, each a library item of its kind. */
const CLIP_AND_MUSIC = [
  { field: "introItemId", of: "intro", kind: "video", label: "Intro clip (before the first scene)" },
  { field: "outroItemId", of: "outro", kind: "video", label: "Outro clip (after the last scene)" },
  { field: "musicItemId", of: "music", kind: "audio", label: "Music (instead of the generated bed)" },
] as const;

/** A row of library items of one kind to pick from, by their thumbnails, or none. */
function ItemPicker(props: { label: string; kind: Kind; field: ItemField; value: string | null; onChange: (id: string | null) => void; disabled: boolean }) {
  const trpc = useTRPC();
  const items = useQuery(trpc.library.list.queryOptions({ kind: props.kind, pageSize: 100 }));
  const choice = (id: string | null, label: string, thumbnail: string | null) => {
    const chosen = props.value === id;
    return (
      <button
        key={id ?? "none"}
        type="button"
        disabled={props.disabled}
        aria-pressed={chosen}
        title={label}
        data-testid={`${props.field}-${id ?? "none"}`}
        onClick={() => props.onChange(id)}
        className={`flex w-24 shrink-0 flex-col overflow-hidden rounded-md border text-left text-xs disabled:cursor-not-allowed ${chosen ? "border-sky-500 ring-2 ring-sky-300" : "border-slate-300"}`}
      >
        <span className="flex h-14 w-full items-center justify-center bg-slate-100 text-slate-600">
          {thumbnail ? <img src={thumbnail} alt="" className="h-full w-full object-cover" /> : "None"}
        </span>
        <span className="truncate px-1 py-0.5">{label}</span>
      </button>
    );
  };
  return (
    <fieldset className="min-w-0 space-y-1">
      <legend className="text-sm font-medium text-slate-700">{props.label}</legend>
      {items.error ? <ErrorLine error={items.error} /> : null}
      <div className="flex flex-wrap gap-2">
        {choice(null, "None", null)}
        {(items.data?.items ?? []).map((item) => choice(item.id, item.name, item.thumbnailUrl))}
      </div>
      {items.data && !items.data.items.length ? (
        <p className="text-xs text-slate-500">
          The{" "}
          <a href="/media" className="underline">
            media library
          </a>{" "}
          has no {props.kind === "image" ? "pictures" : props.kind === "video" ? "video clips" : "audio"} yet.
        </p>
      ) : null}
    </fieldset>
  );
}

export function BrandKitSettings({ canEdit }: { canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const kit = useQuery(trpc.brandKit.get.queryOptions());
  const [draft, setDraft] = useState<BrandKitUpdate>({});
  const [saved, setSaved] = useState(false);
  const [fontError, setFontError] = useState<string | null>(null);
  const [fontBusy, setFontBusy] = useState(false);
  const [previewFamily, setPreviewFamily] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.brandKit.get.queryKey() });
  const update = useMutation(
    trpc.brandKit.update.mutationOptions({
      onSuccess: () => {
        setDraft({});
        setSaved(true);
        refresh();
      },
    }),
  );
  const removeFont = useMutation(trpc.brandKit.removeFont.mutationOptions({ onSuccess: () => refresh() }));

  if (kit.isPending) return <p className="text-sm text-slate-600">Loading…</p>;
  if (kit.error) return <ErrorLine error={kit.error} />;
  const k = kit.data;
  const value = <F extends keyof BrandKitUpdate>(field: F, current: NonNullable<BrandKitUpdate[F]> | null) =>
    (field in draft ? draft[field] : current) as BrandKitUpdate[F];
  const set = (change: BrandKitUpdate) => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...change }));
  };

  async function uploadFont(event: ChangeEvent<HTMLInputElement>) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    setFontBusy(true);
    setFontError(null);
    try {
      const response = await fetch(`/api/brand-kit/font?name=${encodeURIComponent(file.name)}`, { method: "POST", body: file });
      const body = (await response.json().catch(() => ({}))) as { kit?: { font: { family: string } | null }; error?: string };
      if (!response.ok || !body.kit?.font) throw new Error(body.error ?? `The upload failed (${response.status})`);
      // The preview draws the family name in the font itself, from the file just chosen.
      const family = body.kit.font.family;
      const face = new FontFace(`aura-preview-${family}`, await file.arrayBuffer());
      await face.load().then(
        (loaded) => {
          document.fonts.add(loaded);
          setPreviewFamily(family);
        },
        () => setPreviewFamily(null),
      );
      refresh();
    } catch (error) {
      setFontError((error as Error).message);
    } finally {
      setFontBusy(false);
    }
  }

  const logoId = value("logoItemId", k.logo?.id ?? null) ?? null;
  const disabled = !canEdit;
  return (
    <div className="max-w-full space-y-6 rounded-lg border border-slate-200 bg-white p-4 shadow-sm sm:p-6" data-testid="brand-kit">
      {!canEdit ? (
        <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm">Only the workspace&apos;s admins and owner can change the brand kit.</p>
      ) : null}
      {!k.configured ? <p className="text-sm text-slate-600">No brand kit yet: these are the defaults. New videos use the kit once it is saved.</p> : null}

      <ItemPicker label="Logo (a picture)" kind="image" field="logoItemId" value={logoId} onChange={(id) => set({ logoItemId: id })} disabled={disabled} />
      <div className="grid gap-4 sm:grid-cols-3">
        <div className="space-y-1 text-sm">
          <label htmlFor="brand-logoUse" className="block font-medium text-slate-700">
            The logo appears
          </label>
          <select
            id="brand-logoUse"
            className={inputClass}
            name="logoUse"
            disabled={disabled}
            value={value("logoUse", k.logoUse) ?? BRAND_DEFAULTS.logoUse}
            onChange={(e) => set({ logoUse: e.target.value as (typeof LOGO_USES)[number] })}
          >
            {LOGO_USES.map((use) => (
              <option key={use} value={use}>
                {LOGO_USE_LABELS[use]}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1 text-sm">
          <label htmlFor="brand-logoPosition" className="block font-medium text-slate-700">
            Corner
          </label>
          <select
            id="brand-logoPosition"
            className={inputClass}
            name="logoPosition"
            disabled={disabled}
            value={value("logoPosition", k.logoPosition) ?? BRAND_DEFAULTS.logoPosition}
            onChange={(e) => set({ logoPosition: e.target.value as (typeof LOGO_POSITIONS)[number] })}
          >
            {LOGO_POSITIONS.map((p) => (
              <option key={p} value={p}>
                {p.replace("-", " ")}
              </option>
            ))}
          </select>
        </div>
        <div className="space-y-1 text-sm">
          <label htmlFor="brand-logoOpacity" className="block font-medium text-slate-700">
            Opacity ({Math.round((value("logoOpacity", k.logoOpacity) ?? 0.8) * 100)} %)
          </label>
          <input
            type="range"
            id="brand-logoOpacity"
            name="logoOpacity"
            min={0.05}
            max={1}
            step={0.05}
            disabled={disabled}
            className="w-full"
            value={value("logoOpacity", k.logoOpacity) ?? 0.8}
            onChange={(e) => set({ logoOpacity: Number(e.target.value) })}
          />
        </div>
      </div>

      <fieldset className="min-w-0 space-y-2">
        <legend className="text-sm font-medium text-slate-700">Colours</legend>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          {COLORS.map(({ field, label }) => {
            const current = (value(field, k[field]) as string | undefined) ?? k[field];
            return (
              <div key={field} className="flex min-w-0 items-center gap-2 text-sm">
                <input
                  type="color"
                  aria-label={`${label} (picker)`}
                  disabled={disabled}
                  value={/^#[0-9a-fA-F]{6}$/.test(current) ? current.toLowerCase() : "#000000"}
                  onChange={(e) => set({ [field]: e.target.value.toUpperCase() })}
                  className="h-9 w-11 shrink-0 rounded border border-slate-300"
                />
                <span className="min-w-0 flex-1">
                  <span className="block truncate text-slate-700">{label}</span>
                  <input
                    name={field}
                    aria-label={label}
                    disabled={disabled}
                    value={current}
                    maxLength={7}
                    onChange={(e) => set({ [field]: e.target.value })}
                    className={`${inputClass} py-1 font-mono`}
                  />
                </span>
              </div>
            );
          })}
        </div>
      </fieldset>

      <div className="space-y-2">
        <span className="block text-sm font-medium text-slate-700">Caption font</span>
        {k.font ? (
          <p className="text-sm" data-testid="brand-font">
            <span className="text-lg" style={previewFamily === k.font.family ? { fontFamily: `"aura-preview-${k.font.family}"` } : undefined}>
              {k.font.family}
            </span>{" "}
            <span className="text-slate-500">({k.font.fileName})</span>
          </p>
        ) : (
          <p className="text-sm text-slate-500">None: captions use DejaVu Sans.</p>
        )}
        {canEdit ? (
          <div className="flex flex-wrap items-center gap-2">
            <label className="cursor-pointer rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50">
              {fontBusy ? "Checking…" : k.font ? "Replace the font (.ttf, .otf)" : "Upload a font (.ttf, .otf)"}
              <input
                type="file"
                accept=".ttf,.otf,font/ttf,font/otf"
                className="sr-only"
                data-testid="brand-font-file"
                onChange={uploadFont}
                disabled={fontBusy}
              />
            </label>
            {k.font ? (
              <button type="button" className="text-sm text-red-700 underline" onClick={() => removeFont.mutate()} disabled={removeFont.isPending}>
                Remove the font
              </button>
            ) : null}
          </div>
        ) : null}
        <ErrorLine>{fontError}</ErrorLine>
        <ErrorLine error={removeFont.error} />
      </div>

      {CLIP_AND_MUSIC.map(({ field, kind, label, of }) => (
        <ItemPicker
          key={field}
          label={label}
          kind={kind}
          field={field}
          value={value(field, k[of]?.id ?? null) ?? null}
          onChange={(id) => set({ [field]: id })}
          disabled={disabled}
        />
      ))}

      {canEdit ? (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            data-testid="brand-save"
            disabled={update.isPending}
            onClick={() => update.mutate(draft)}
            className="rounded-md bg-slate-900 px-5 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-60"
          >
            {update.isPending ? "Saving…" : k.configured ? "Save the brand kit" : "Create the brand kit"}
          </button>
          {saved && !Object.keys(draft).length ? (
            <span className="text-sm text-emerald-700" role="status">
              Saved. New videos use it.
            </span>
          ) : null}
        </div>
      ) : null}
      <ErrorLine error={update.error} boxed />
    </div>
  );
}
