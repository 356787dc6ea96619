"use client";
// The growing preview on the job page while the video renders: the render worker adds each
// finished scene to an HLS event playlist (server/pipeline/render/preview.ts), which plays from
// the start and waits at a scene not yet rendered; the list beside it says which scenes are
// ready. Browsers play it through hls.js (loaded only here); Safari on iPhones natively. When the
// job ends the page shows the final video instead (the job progress refreshes it).
// The page mounts it for every running job. Where the brief's render is cut into segments in
// software (`announced`), it says from the start that a preview is coming; elsewhere it shows
// only a preview that appears: a worker with a hardware H.264 encoder cuts Premium and Maximum
// into segments too, which the page cannot know before the worker starts.
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import type { PreviewStatus } from "@aura/render-contract";
import { isTerminalJobStatus } from "@/server/workflow/job-status";
import { useStreamedJobStatus } from "./streamed-status";

const POLL_MS = 1500;

const SCENE_LABEL: Record<PreviewStatus["sceneStates"][number], string> = {
  playable: "ready to watch",
  rendered: "rendered, after a scene still rendering",
  waiting: "rendering",
};

const SCENE_STYLE: Record<PreviewStatus["sceneStates"][number], string> = {
  playable: "border-emerald-300 bg-emerald-50 text-emerald-900",
  rendered: "border-sky-300 bg-sky-50 text-sky-900",
  waiting: "border-slate-200 bg-white text-slate-600",
};

export function LivePreview({ videoId, jobId, announced }: { videoId: string; jobId: string; announced: boolean }) {
  const base = `/api/videos/${videoId}/preview`;
  const router = useRouter();
  const [status, setStatus] = useState<PreviewStatus | null>(null);
  // The render step removes the preview once the video is saved: gone after it was seen whole,
  // the page shows the final video instead.
  const [replaced, setReplaced] = useState(false);
  const video = useRef<HTMLVideoElement>(null);
  const playable = (status?.published ?? 0) > 0;
  // The live panel's stream says the run has ended: the final video (or the error) is what the
  // page shows now, whenever its refresh lands.
  const runEnded = isTerminalJobStatus(useStreamedJobStatus(jobId) ?? "");

  // The status until the preview is replaced (404 until the first scene is rendered).
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    let seen = false;
    let ended = false;
    const poll = async () => {
      try {
        const res = await fetch(`${base}/status.json`, { cache: "no-store" });
        if (res.ok) {
          const next = (await res.json()) as PreviewStatus;
          seen = true;
          ended = next.ended;
          setStatus(next);
          setReplaced(false);
        } else if (res.status === 404 && seen) {
          // Gone: the job has finished (the refreshed page shows the final video), or the
          // render started again (a retry, another worker): hidden until its new preview
          // grows from the first scene; after a whole preview, for good.
          seen = false;
          setReplaced(true);
          setStatus(null);
          router.refresh();
          if (ended) return;
        }
      } catch {}
      if (!stopped) timer = setTimeout(poll, POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [base, router]);

  // The player, once there is something to play; it starts at the beginning, not at the end
  // of what is rendered so far (an event playlist is otherwise joined at its live edge).
  useEffect(() => {
    const element = video.current;
    if (!playable || replaced || runEnded || !element) return;
    const source = `${base}/index.m3u8`;
    let closed = false;
    let player: { destroy: () => void } | null = null;
    void import("hls.js").then(({ default: Hls }) => {
      if (closed) return;
      // hls.js wherever Media Source Extensions exist: Chromium's own HLS support (which it
      // claims through canPlayType) stopped following the growing playlist here. Native HLS
      // only where there is no MSE (Safari on iPhones).
      if (!Hls.isSupported()) {
        element.src = source;
        return;
      }
      const hls = new Hls({ startPosition: 0 });
      hls.loadSource(source);
      hls.attachMedia(element);
      player = hls;
    });
    return () => {
      closed = true;
      player?.destroy();
    };
  }, [playable, replaced, runEnded, base]);

  if (replaced || runEnded || (!announced && !status)) return null;
  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-5 shadow-sm" aria-labelledby="live-preview-title" data-testid="live-preview">
      <h2 id="live-preview-title" className="font-semibold">
        Preview while it renders
      </h2>
      {playable ? (
        // biome-ignore lint/a11y/useMediaCaption: the preview has no captions track; the finished video has
        <video ref={video} controls playsInline className="max-h-[70vh] w-full rounded-lg bg-black" data-testid="live-preview-video" />
      ) : (
        <p className="text-sm text-slate-600" data-testid="live-preview-waiting">
          The preview starts as soon as the first scene is rendered.
        </p>
      )}
      {status ? (
        <>
          <p className="text-sm text-slate-600" data-testid="live-preview-summary">
            {status.ended
              ? "Every scene is in the preview; the finished video replaces it in a moment."
              : `${status.playableScenes} of ${status.scenes} scenes can be watched (${Math.floor(status.playableSec)} of ${Math.round(status.totalSec)} s); the player waits at a scene still rendering.`}
          </p>
          <ol className="flex flex-wrap gap-2 text-xs" aria-label="Scenes in the preview">
            {status.sceneStates.map((state, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: scenes are numbered by their place
              <li key={i} className={`rounded border px-2 py-1 ${SCENE_STYLE[state]}`} data-state={state}>
                Scene {i + 1}: {SCENE_LABEL[state]}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </section>
  );
}
