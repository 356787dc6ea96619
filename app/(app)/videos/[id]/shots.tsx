"use client";
// A scene's shots: editing what each should show (the review gate and the scene editor), and
// what each got (the script list): its picture or clip, the provider's own words beside the
// query, its credit, and a flag when the two share nothing.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { ShotPick } from "@/server/pipeline/script/types";
import type { VideoDetail } from "@/server/videos/queries";
import { useTRPC } from "../../../_components/trpc";

export const MAX_SHOTS = 8;
type Shot = VideoDetail["scenes"][number]["shots"][number];

/** A shot as the editors hold it: its query, the library item chosen for it (with what the
 *  picker showed of it), and which take of the providers' pictures it asks for. */
export type ShotDraft = { query: string; pick?: ShotPick; pickView?: { name: string; thumbnailUrl: string | null }; take?: number };

/** The shots as the API takes them. */
export const shotPayload = (shots: ShotDraft[]) => shots.map(({ query, pick, take }) => ({ query, ...(pick ? { pick } : {}), ...(take ? { take } : {}) }));

/** A scene's shots to edit: each one's query, a picture or clip from the media library instead
 *  of the providers', another take of the providers' (`allowTake`: once there is one), and
 *  buttons to add and remove shots. */
export function ShotQueries({
  id,
  videoId,
  shots,
  onChange,
  disabled,
  allowTake,
  errors = {},
}: {
  id: string;
  /** The video, for searching stock clips in its orientation. */
  videoId: string;
  shots: ShotDraft[];
  onChange: (shots: ShotDraft[]) => void;
  disabled?: boolean;
  allowTake?: boolean;
  /** Messages by shot index. */
  errors?: Record<number, string>;
}) {
  const [picking, setPicking] = useState<{ shot: number; from: "library" | "stock" } | null>(null);
  const toggle = (shot: number, from: "library" | "stock") => setPicking(picking?.shot === shot && picking.from === from ? null : { shot, from });
  const update = (k: number, change: Partial<ShotDraft>) => onChange(shots.map((s, j) => (j === k ? { ...s, ...change } : s)));
  return (
    <fieldset className="space-y-1" data-testid={`${id}-shots`}>
      <legend className="text-xs font-medium">Shots: what each part of the scene shows, in order</legend>
      {shots.map((shot, k) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a shot is its place in the scene (shot 1, shot 2); the inputs are controlled
        <div key={k} className="space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <label className="w-14 shrink-0 text-xs text-slate-500" htmlFor={`${id}-shot-${k}`}>
              Shot {k + 1}
            </label>
            <input
              id={`${id}-shot-${k}`}
              data-testid={`${id}-shot-${k}`}
              className="min-w-0 flex-1 rounded border border-slate-300 p-1 text-sm"
              value={shot.query}
              maxLength={200}
              disabled={disabled}
              onChange={(e) => update(k, { query: e.target.value })}
            />
            {!disabled ? (
              <>
                <button type="button" className="text-xs text-sky-700 underline" data-testid={`${id}-shot-${k}-library`} onClick={() => toggle(k, "library")}>
                  From the library
                </button>
                <button type="button" className="text-xs text-sky-700 underline" data-testid={`${id}-shot-${k}-stock`} onClick={() => toggle(k, "stock")}>
                  Stock clips
                </button>
                {allowTake && !shot.pick ? (
                  <button type="button" className="text-xs text-sky-700 underline" onClick={() => update(k, { take: (shot.take ?? 0) + 1 })}>
                    Try another
                  </button>
                ) : null}
                {shots.length > 1 ? (
                  <button
                    type="button"
                    className="text-xs text-slate-600 underline"
                    aria-label={`Remove shot ${k + 1}`}
                    onClick={() => onChange(shots.filter((_, j) => j !== k))}
                  >
                    Remove
                  </button>
                ) : null}
              </>
            ) : null}
          </div>
          {shot.pick ? (
            <div className="ml-16 flex items-center gap-2 text-xs text-slate-600" data-testid={`${id}-shot-${k}-picked`}>
              {shot.pickView?.thumbnailUrl ? <img src={shot.pickView.thumbnailUrl} alt="" className="h-8 rounded" /> : null}
              <span>
                Shows {shot.pickView?.name ?? (shot.pick.kind === "library" ? "an item of the media library" : `the chosen clip (${shot.pick.sourceId})`)}
              </span>
              {!disabled ? (
                <button type="button" className="underline" onClick={() => update(k, { pick: undefined, pickView: undefined })}>
                  Use the providers&apos; instead
                </button>
              ) : null}
            </div>
          ) : shot.take ? (
            <div className="ml-16 text-xs text-slate-600">Saving asks the providers for another picture (take {shot.take + 1}).</div>
          ) : null}
          {picking?.shot === k && picking.from === "library" ? (
            <LibraryPicker
              id={`${id}-shot-${k}`}
              onPick={(item) => {
                update(k, { pick: { kind: "library", itemId: item.id }, pickView: { name: item.name, thumbnailUrl: item.thumbnailUrl }, take: undefined });
                setPicking(null);
              }}
            />
          ) : null}
          {picking?.shot === k && picking.from === "stock" ? (
            <StockPicker
              id={`${id}-shot-${k}`}
              videoId={videoId}
              query={shot.query}
              onPick={(clip) => {
                update(k, {
                  pick: { kind: "stock", provider: clip.provider, sourceId: clip.sourceId },
                  pickView: { name: clip.credit, thumbnailUrl: clip.previewUrl },
                  take: undefined,
                });
                setPicking(null);
              }}
            />
          ) : null}
          {errors[k] ? <p className="ml-16 text-xs text-red-700">{errors[k]}</p> : null}
        </div>
      ))}
      {shots.length < MAX_SHOTS && !disabled ? (
        <button type="button" className="text-xs text-sky-700 underline" onClick={() => onChange([...shots, { query: "" }])}>
          Add a shot
        </button>
      ) : null}
    </fieldset>
  );
}

/** The workspace's pictures and clips as thumbnails, searched by name and tag, to choose one. */
function LibraryPicker({ id, onPick }: { id: string; onPick: (item: { id: string; name: string; thumbnailUrl: string }) => void }) {
  const trpc = useTRPC();
  const [q, setQ] = useState("");
  const list = useQuery(trpc.library.list.queryOptions({ q, pageSize: 24 }));
  const items = (list.data?.items ?? []).filter((item) => item.kind !== "audio");
  return (
    <div className="ml-16 rounded border border-slate-200 bg-slate-50 p-2" data-testid={`${id}-picker`}>
      <input
        className="mb-2 w-full rounded border border-slate-300 p-1 text-sm"
        placeholder="Search the media library by name or tag"
        aria-label="Search the media library"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      {list.isPending ? <p className="text-xs text-slate-500">Loading…</p> : null}
      {!list.isPending && !items.length ? (
        <p className="text-xs text-slate-600">
          No pictures or clips found. Add some under{" "}
          <a href="/media" className="underline">
            Media
          </a>
          .
        </p>
      ) : null}
      <ul className="grid grid-cols-3 gap-2 sm:grid-cols-4">
        {items.map((item) => (
          <li key={item.id}>
            <button type="button" className="w-full text-left" onClick={() => onPick(item)} data-testid={`pick-${item.id}`}>
              <img src={item.thumbnailUrl} alt="" className="aspect-video w-full rounded object-cover" />
              <span className="block truncate text-xs">
                {item.kind === "video" ? "▶ " : ""}
                {item.name}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Stock clips for the shot's query from each stock provider the workspace uses, as stills
 *  with their length and credit, to choose one. */
function StockPicker({
  id,
  videoId,
  query,
  onPick,
}: {
  id: string;
  videoId: string;
  query: string;
  onPick: (clip: { provider: "pexels-video" | "pixabay-video"; sourceId: string; credit: string; previewUrl: string | null }) => void;
}) {
  const trpc = useTRPC();
  const found = useQuery({ ...trpc.videos.shotCandidates.queryOptions({ videoId, query }), enabled: query.trim().length > 0, staleTime: 60_000 });
  return (
    <div className="ml-16 rounded border border-slate-200 bg-slate-50 p-2" data-testid={`${id}-stock-picker`}>
      <p className="mb-1 text-xs text-slate-600">Stock clips for “{query}”. Change the shot&apos;s text to search for something else.</p>
      {found.isPending ? <p className="text-xs text-slate-500">Searching…</p> : null}
      {found.error ? <p className="text-xs text-red-700">{found.error.message}</p> : null}
      {found.data && !found.data.providers.length ? (
        <p className="text-xs text-slate-600">
          No stock video provider is set up. An admin can add Pexels or Pixabay under{" "}
          <a href="/providers" className="underline">
            Providers
          </a>
          .
        </p>
      ) : null}
      {found.data?.providers.map((p) => (
        <div key={p.provider} className="mb-2">
          <div className="text-xs font-medium">{p.provider}</div>
          {p.error ? <p className="text-xs text-red-700">{p.error}</p> : null}
          {!p.error && !p.candidates.length ? <p className="text-xs text-slate-600">Nothing found.</p> : null}
          <ul className="grid grid-cols-3 gap-2 sm:grid-cols-4">
            {p.candidates.map((clip) => (
              <li key={clip.sourceId}>
                <button type="button" className="w-full text-left" onClick={() => onPick(clip)} data-testid={`pick-${clip.sourceId}`}>
                  {clip.previewUrl ? (
                    <img src={clip.previewUrl} alt="" className="aspect-video w-full rounded object-cover" />
                  ) : (
                    <div className="aspect-video w-full rounded bg-slate-200" />
                  )}
                  <span className="block truncate text-xs">
                    ▶ {Math.round(clip.durationSec)} s · {clip.words.slice(0, 4).join(", ") || clip.credit}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </div>
  );
}

/** Field errors of shot queries (`shots.2.query` or `scenes.1.shots.2.query`) by shot index. */
export function shotErrors(fieldErrors: Record<string, string>, prefix: string) {
  const out: Record<number, string> = {};
  for (const [path, message] of Object.entries(fieldErrors)) {
    const m = new RegExp(`^${prefix.replace(".", "\\.")}shots\\.(\\d+)`).exec(path);
    if (m) out[Number(m[1])] = message;
  }
  return out;
}

/** What each shot of a scene got, beside what it asked for. */
export function ShotList({ shots, scene }: { shots: Shot[]; scene: number }) {
  if (shots.length < 2 && !shots.some((s) => s.credit || s.match === false || s.kind === "clip")) return null;
  return (
    <ol className="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-2" data-testid={`shots-${scene}`}>
      {shots.map((shot, k) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a shot is its place in the scene; the list is only shown
        <li key={k} className="flex gap-2 rounded border border-slate-200 p-2 text-xs" data-testid={`shot-${scene}-${k}`}>
          <div className="w-20 shrink-0">
            {shot.thumbnailUrl ? (
              shot.kind === "clip" && shot.url ? (
                <a href={shot.url} target="_blank" rel="noreferrer" title="Play the clip">
                  <img src={shot.thumbnailUrl} alt={`Shot ${k + 1}: a video clip`} className="w-full rounded" />
                </a>
              ) : (
                <img src={shot.thumbnailUrl} alt={`Shot ${k + 1}`} className="w-full rounded" />
              )
            ) : (
              <div className="aspect-video rounded bg-slate-100" />
            )}
          </div>
          <div className="min-w-0 space-y-0.5">
            <div className="text-slate-500">
              Shot {k + 1}
              {shot.kind === "clip" ? " · video clip" : shot.kind === "image" ? " · picture" : ""}
              {shot.provider ? ` · ${shot.provider}` : ""}
            </div>
            <div>
              <span className="text-slate-500">Asked for:</span> {shot.query}
            </div>
            {shot.words.length ? (
              <div>
                <span className="text-slate-500">Shows:</span> {shot.words.slice(0, 10).join(", ")}
              </div>
            ) : null}
            {shot.match === false ? (
              <div className="font-medium text-amber-800" data-testid={`shot-mismatch-${scene}-${k}`}>
                May not match: the asset&apos;s own words share nothing with the query.
              </div>
            ) : null}
            {shot.credit ? (
              <div className="text-slate-500">
                {shot.sourceUrl ? (
                  <a href={shot.sourceUrl} target="_blank" rel="noreferrer" className="underline">
                    {shot.credit}
                  </a>
                ) : (
                  shot.credit
                )}
              </div>
            ) : null}
            {shot.license ? <div className="text-slate-500">Licence: {shot.license}</div> : null}
          </div>
        </li>
      ))}
    </ol>
  );
}
