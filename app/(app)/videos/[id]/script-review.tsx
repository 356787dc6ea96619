"use client";
// The review gate: the script waits here until someone allowed to edits and approves it. A
// scene with nothing to say aloud is refused by the server, by its number, beside the buttons
// as well as under the scene.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ErrorLine } from "../../../_components/error-line";
import type { ShotPick } from "@/server/pipeline/script/types";
import { useTRPC } from "../../../_components/trpc";
import { type ShotDraft, ShotQueries, shotErrors, shotPayload } from "./shots";

type Scene = {
  id: string;
  title: string;
  role: string;
  narration: string;
  visualPrompt: string;
  shots: { query: string; pick: ShotPick | null }[];
};

export function ScriptReview({
  jobId,
  videoId,
  scenes,
  canReview,
  until,
}: {
  jobId: string;
  videoId: string;
  scenes: Scene[];
  canReview: boolean;
  until: string | null;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [draft, setDraft] = useState(() =>
    scenes.map((s) => ({
      id: s.id,
      narration: s.narration,
      visualPrompt: s.visualPrompt,
      shots: s.shots.map((x): ShotDraft => ({ query: x.query, ...(x.pick ? { pick: x.pick } : {}) })),
    })),
  );
  const [saved, setSaved] = useState<string | null>(null);
  const review = useMutation(
    trpc.jobs.reviewScript.mutationOptions({
      onSuccess(result) {
        setSaved(result.approved ? "Approved: production continues." : `Saved (${result.changedScenes} scene(s) changed).`);
        if (result.approved) router.refresh();
      },
    }),
  );
  const fieldErrors = (review.error?.data as { fieldErrors?: Record<string, string> } | undefined)?.fieldErrors ?? {};
  const update = (i: number, field: "narration" | "visualPrompt", value: string) => setDraft((d) => d.map((s, j) => (j === i ? { ...s, [field]: value } : s)));
  const setShots = (i: number, shots: ShotDraft[]) => setDraft((d) => d.map((s, j) => (j === i ? { ...s, shots } : s)));
  /** The draft as the API takes it: a scene's shots only when it has some. */
  const payload = () => draft.map(({ shots, ...s }) => ({ ...s, ...(shots.length ? { shots: shotPayload(shots) } : {}) }));

  return (
    <section className="rounded-lg border border-amber-300 bg-amber-50 p-5 shadow-sm" data-testid="script-review">
      <h2 className="font-semibold">Review the script</h2>
      <p className="mt-1 text-sm text-slate-700">
        Production waits for your approval. Edit what each scene says and shows, then approve.
        {until ? ` The review expires on ${new Date(until).toLocaleString()}.` : ""}
      </p>
      <ol className="mt-4 space-y-4">
        {scenes.map((scene, i) => (
          <li key={scene.id} className="rounded-md border border-amber-200 bg-white p-4">
            <div className="text-xs uppercase tracking-wide text-slate-500">
              Scene {i + 1} · {scene.role} · {scene.title}
            </div>
            <label className="mt-2 block text-sm font-medium" htmlFor={`narration-${i}`}>
              Narration
            </label>
            <textarea
              id={`narration-${i}`}
              data-testid={`review-narration-${i}`}
              className="mt-1 w-full rounded border border-slate-300 p-2 text-sm"
              rows={3}
              value={draft[i]!.narration}
              disabled={!canReview}
              onChange={(e) => update(i, "narration", e.target.value)}
            />
            {fieldErrors[`scenes.${i}.narration`] ? <p className="text-xs text-red-700">{fieldErrors[`scenes.${i}.narration`]}</p> : null}
            <label className="mt-2 block text-sm font-medium" htmlFor={`visual-${i}`}>
              Visual prompt
            </label>
            <input
              id={`visual-${i}`}
              data-testid={`review-visual-${i}`}
              className="mt-1 w-full rounded border border-slate-300 p-2 text-sm"
              value={draft[i]!.visualPrompt}
              disabled={!canReview}
              onChange={(e) => update(i, "visualPrompt", e.target.value)}
            />
            {fieldErrors[`scenes.${i}.visualPrompt`] ? <p className="text-xs text-red-700">{fieldErrors[`scenes.${i}.visualPrompt`]}</p> : null}
            {draft[i]!.shots.length ? (
              <div className="mt-2">
                <ShotQueries
                  id={`review-${i}`}
                  videoId={videoId}
                  shots={draft[i]!.shots}
                  onChange={(shots) => setShots(i, shots)}
                  disabled={!canReview}
                  errors={shotErrors(fieldErrors, `scenes.${i}.`)}
                />
              </div>
            ) : null}
          </li>
        ))}
      </ol>
      {canReview ? (
        <div className="mt-4 flex items-center gap-3">
          <button
            type="button"
            className="rounded-md border border-slate-300 bg-white px-4 py-2 text-sm hover:bg-slate-50 disabled:opacity-50"
            disabled={review.isPending}
            onClick={() => review.mutate({ jobId, scenes: payload(), approve: false })}
          >
            Save draft
          </button>
          <button
            type="button"
            data-testid="review-approve"
            className="rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700 disabled:opacity-50"
            disabled={review.isPending}
            onClick={() => review.mutate({ jobId, scenes: payload(), approve: true })}
          >
            Approve and continue
          </button>
          {saved ? <span className="text-sm text-emerald-800">{saved}</span> : null}
          {Object.keys(fieldErrors).length ? (
            <ErrorLine inline data-testid="review-errors">
              {[...new Set(Object.values(fieldErrors))].join(" · ")}
            </ErrorLine>
          ) : (
            <ErrorLine error={review.error} inline />
          )}
        </div>
      ) : (
        <p className="mt-3 text-sm text-slate-600">Your role may watch but not review.</p>
      )}
    </section>
  );
}
