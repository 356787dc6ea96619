"use client";
// A scene's shots: editing what each should show (the review gate and the scene editor), and
// what each got (the script list): its picture or clip, the provider's own words beside the
// query, its credit, and a flag when the two share nothing.
import type { VideoDetail } from "@/server/videos/queries";

export const MAX_SHOTS = 8;
type Shot = VideoDetail["scenes"][number]["shots"][number];

/** Text boxes for a scene's shot queries, with buttons to add and remove shots. */
export function ShotQueries({
  id,
  queries,
  onChange,
  disabled,
  errors = {},
}: {
  id: string;
  queries: string[];
  onChange: (queries: string[]) => void;
  disabled?: boolean;
  /** Messages by shot index. */
  errors?: Record<number, string>;
}) {
  return (
    <fieldset className="space-y-1" data-testid={`${id}-shots`}>
      <legend className="text-xs font-medium">Shots: what each part of the scene shows, in order</legend>
      {queries.map((query, k) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a shot is its place in the scene (shot 1, shot 2); the inputs are controlled
        <div key={k} className="flex items-center gap-2">
          <label className="w-14 shrink-0 text-xs text-slate-500" htmlFor={`${id}-shot-${k}`}>
            Shot {k + 1}
          </label>
          <input
            id={`${id}-shot-${k}`}
            data-testid={`${id}-shot-${k}`}
            className="min-w-0 flex-1 rounded border border-slate-300 p-1 text-sm"
            value={query}
            maxLength={200}
            disabled={disabled}
            onChange={(e) => onChange(queries.map((q, j) => (j === k ? e.target.value : q)))}
          />
          {queries.length > 1 && !disabled ? (
            <button
              type="button"
              className="text-xs text-slate-600 underline"
              aria-label={`Remove shot ${k + 1}`}
              onClick={() => onChange(queries.filter((_, j) => j !== k))}
            >
              Remove
            </button>
          ) : null}
          {errors[k] ? <span className="text-xs text-red-700">{errors[k]}</span> : null}
        </div>
      ))}
      {queries.length < MAX_SHOTS && !disabled ? (
        <button type="button" className="text-xs text-sky-700 underline" onClick={() => onChange([...queries, ""])}>
          Add a shot
        </button>
      ) : null}
    </fieldset>
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
          </div>
        </li>
      ))}
    </ol>
  );
}
