"use client";
// Edit one scene of a ready video: its narration and visual prompt. Saving makes the video
// again, redoing only that scene (the render worker reuses the other scenes' segments).
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "../../../_components/trpc";

export function SceneEditor({ videoId, scene, index }: { videoId: string; scene: { id: string; narration: string; visualPrompt: string }; index: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [narration, setNarration] = useState(scene.narration);
  const [visualPrompt, setVisualPrompt] = useState(scene.visualPrompt);
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
        edit.mutate({ videoId, sceneId: scene.id, narration, visualPrompt });
      }}
    >
      <label className="block text-xs font-medium" htmlFor={`scene-narration-${index}`}>
        Narration
      </label>
      <textarea id={`scene-narration-${index}`} className="w-full rounded border border-slate-300 p-2 text-sm" rows={3} value={narration} onChange={(e) => setNarration(e.target.value)} />
      {fieldErrors.narration ? <p className="text-xs text-red-700">{fieldErrors.narration}</p> : null}
      <label className="block text-xs font-medium" htmlFor={`scene-visual-${index}`}>
        Visual prompt
      </label>
      <input id={`scene-visual-${index}`} className="w-full rounded border border-slate-300 p-2 text-sm" value={visualPrompt} onChange={(e) => setVisualPrompt(e.target.value)} />
      {fieldErrors.visualPrompt ? <p className="text-xs text-red-700">{fieldErrors.visualPrompt}</p> : null}
      <div className="flex items-center gap-2">
        <button type="submit" disabled={edit.isPending} className="rounded-md bg-slate-900 px-3 py-1 text-sm font-semibold text-white disabled:opacity-50">
          Save and re-render
        </button>
        <button type="button" className="text-sm text-slate-600" onClick={() => setOpen(false)}>
          Cancel
        </button>
        {edit.data && !edit.data.changed ? <span className="text-sm text-slate-600">Nothing changed.</span> : null}
        {edit.error && !Object.keys(fieldErrors).length ? (
          <span role="alert" className="text-sm text-red-700">
            {edit.error.message}
          </span>
        ) : null}
      </div>
    </form>
  );
}
