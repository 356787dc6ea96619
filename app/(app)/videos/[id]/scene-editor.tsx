"use client";
// Edit one scene: its narration, visual prompt, shots, and a picture-in-picture (another scene's
// picture in a corner). On a ready video, saving makes the video again, redoing only that scene
// (the render worker reuses the other scenes' segments); on a failed or cancelled job, the edit
// is kept and the job's next Retry runs that scene again.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import type { ShotPick } from "@/server/pipeline/script/types";
import { INSET_POSITIONS } from "@/server/videos/brief";
import { ErrorLine } from "../../../_components/error-line";
import { useTRPC } from "../../../_components/trpc";
import { type ShotDraft, ShotQueries, shotErrors, shotPayload } from "./shots";

type Position = (typeof INSET_POSITIONS)[number];
type EditableScene = {
  id: string;
  title: string;
  narration: string;
  visualPrompt: string;
  inset?: { sceneId: string; position: Position } | null;
  shots: {
    query: string;
    pick: ShotPick | null;
    take: number;
    thumbnailUrl: string | null;
    provider: string | null;
    credit: string | null;
  }[];
};

export function SceneEditor({
  videoId,
  scene,
  index,
  scenes,
  beforeRetry,
}: {
  videoId: string;
  scene: EditableScene;
  index: number;
  scenes: { id: string; title: string }[];
  /** The job ended without a video: the edit waits for Retry instead of starting a run. */
  beforeRetry: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [narration, setNarration] = useState(scene.narration);
  const [visualPrompt, setVisualPrompt] = useState(scene.visualPrompt);
  const [shots, setShots] = useState<ShotDraft[]>(() =>
    scene.shots.map((s) => ({
      query: s.query,
      ...(s.pick
        ? { pick: s.pick, pickView: { name: s.credit?.replace(/^From the media library: /, "") ?? "the chosen item", thumbnailUrl: s.thumbnailUrl ?? "" } }
        : {}),
      ...(s.take ? { take: s.take } : {}),
    })),
  );
  const [insetScene, setInsetScene] = useState(scene.inset?.sceneId ?? "");
  const [insetPosition, setInsetPosition] = useState<Position>(scene.inset?.position ?? "top-right");
  const edit = useMutation(
    trpc.videos.editScene.mutationOptions({
      onSuccess(result) {
        if (result.changed) {
          setOpen(false);
          router.refresh();
        }
      },
    }),
  );
  const fieldErrors = (edit.error?.data as { fieldErrors?: Record<string, string> } | undefined)?.fieldErrors ?? {};
  if (!open) {
    return (
      <button type="button" className="text-xs text-sky-700 underline" data-testid={`edit-scene-${index}`} onClick={() => setOpen(true)}>
        Edit this scene
      </button>
    );
  }
  return (
    <form
      className="mt-2 space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        edit.mutate({
          videoId,
          sceneId: scene.id,
          narration,
          visualPrompt,
          inset: insetScene ? { sceneId: insetScene, position: insetPosition } : null,
          ...(shots.length ? { shots: shotPayload(shots) } : {}),
        });
      }}
    >
      <label className="block text-xs font-medium" htmlFor={`scene-narration-${index}`}>
        Narration
      </label>
      <textarea
        id={`scene-narration-${index}`}
        className="w-full rounded border border-slate-300 p-2 text-sm"
        rows={3}
        value={narration}
        onChange={(e) => setNarration(e.target.value)}
      />
      {fieldErrors.narration ? <p className="text-xs text-red-700">{fieldErrors.narration}</p> : null}
      <label className="block text-xs font-medium" htmlFor={`scene-visual-${index}`}>
        Visual prompt
      </label>
      <input
        id={`scene-visual-${index}`}
        className="w-full rounded border border-slate-300 p-2 text-sm"
        value={visualPrompt}
        onChange={(e) => setVisualPrompt(e.target.value)}
      />
      {fieldErrors.visualPrompt ? <p className="text-xs text-red-700">{fieldErrors.visualPrompt}</p> : null}
      {shots.length ? (
        <ShotQueries id={`scene-${index}`} videoId={videoId} shots={shots} onChange={setShots} allowTake errors={shotErrors(fieldErrors, "")} />
      ) : null}
      {fieldErrors.shots ? <p className="text-xs text-red-700">{fieldErrors.shots}</p> : null}
      <div className="flex flex-wrap gap-2">
        <label className="text-xs font-medium">
          Picture in picture
          <select className="ml-1 rounded border border-slate-300 p-1 text-sm" value={insetScene} onChange={(e) => setInsetScene(e.target.value)}>
            <option value="">None</option>
            {scenes.map((other, i) =>
              other.id === scene.id ? null : (
                <option key={other.id} value={other.id}>
                  Scene {i + 1}&apos;s picture: {other.title}
                </option>
              ),
            )}
          </select>
        </label>
        {insetScene ? (
          <label className="text-xs font-medium">
            Corner
            <select
              className="ml-1 rounded border border-slate-300 p-1 text-sm"
              value={insetPosition}
              onChange={(e) => setInsetPosition(e.target.value as Position)}
            >
              {INSET_POSITIONS.map((p) => (
                <option key={p} value={p}>
                  {p.replace("-", " ")}
                </option>
              ))}
            </select>
          </label>
        ) : null}
      </div>
      <div className="flex items-center gap-2">
        <button type="submit" disabled={edit.isPending} className="rounded-md bg-slate-900 px-3 py-1 text-sm font-semibold text-white disabled:opacity-50">
          {beforeRetry ? "Save for the retry" : "Save and re-render"}
        </button>
        <button type="button" className="text-sm text-slate-600" onClick={() => setOpen(false)}>
          Cancel
        </button>
        {edit.data && !edit.data.changed ? <span className="text-sm text-slate-600">Nothing changed.</span> : null}
        {!Object.keys(fieldErrors).length ? <ErrorLine error={edit.error} inline /> : null}
      </div>
    </form>
  );
}
