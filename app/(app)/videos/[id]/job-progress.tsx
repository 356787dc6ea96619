"use client";
// The live job panel: the job's events streamed from the server and folded into stages, one
// overall percentage and the render's time left. It follows every run of the job without a
// reload: after Retry, a scene edit or Approve it streams on from the last event it had (the
// stream of an ended run closes, so it opens again), and as steps finish it refreshes the
// server-rendered parts of the page (the steps table, the scenes' pictures).
import { useMutation } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { isActiveJobStatus } from "@/server/workflow/job-status";
import { ErrorLine } from "../../../_components/error-line";
import { currentStage, foldJobEvents, type JobEvent, type JobView } from "../../../_components/job-state";
import { useTRPC } from "../../../_components/trpc";
import { publishJobStatus } from "./streamed-status";

const STATE_STYLE: Record<string, string> = {
  pending: "border-slate-200 text-slate-500",
  running: "border-sky-300 bg-sky-50 text-sky-900",
  done: "border-emerald-300 bg-emerald-50 text-emerald-900",
  failed: "border-red-300 bg-red-50 text-red-900",
  cancelled: "border-amber-300 bg-amber-50 text-amber-900",
  waiting: "border-amber-300 bg-amber-50 text-amber-900",
  skipped: "border-slate-100 text-slate-400",
};

function seconds(from?: string, to?: string) {
  if (!from || !to) return null;
  return ((new Date(to).getTime() - new Date(from).getTime()) / 1000).toFixed(1);
}

/** "about 1 min 20 s left", rounded as a person would say it. */
export function timeLeft(sec: number) {
  if (sec < 60) return `about ${Math.max(1, Math.round(sec / 5) * 5 || 1)} s left`;
  const min = Math.floor(sec / 60);
  const rest = Math.round((sec % 60) / 10) * 10;
  return `about ${min} min${rest ? ` ${rest} s` : ""} left`;
}

const ENDED = new Set(["succeeded", "failed", "cancelled", "expired"]);

/** What screen readers hear: the stage and the percentage, said again only when the stage or
 *  the job's status changes or the percentage passes another tenth (not on every event). */
function useAnnouncement(view: JobView) {
  const stage = currentStage(view);
  const key = ENDED.has(view.status) || !stage ? view.status : stage.label;
  const tenth = Math.floor(view.progress / 10);
  const [text, setText] = useState("");
  const said = useRef("");
  useEffect(() => {
    const next = `${key}/${tenth}`;
    if (next === said.current) return;
    said.current = next;
    const percent = `${view.progress.toFixed(0)}%`;
    setText(ENDED.has(key) || !stage ? `Video job ${key}, ${percent}` : `${key} stage, ${percent} done${view.eta ? `, ${timeLeft(view.eta.sec)}` : ""}`);
  }, [key, tenth, stage, view.progress, view.eta]);
  return text;
}

// The video status each job event implies; the page is re-rendered on the server when the
// status it showed is out of date (not on every replayed event).
const VIDEO_STATUS_AFTER: Record<string, string> = {
  "job.started": "processing",
  "job.resumed": "processing",
  "job.waiting": "review",
  "job.succeeded": "ready",
  "job.failed": "failed",
  "job.cancelled": "cancelled",
  "job.expired": "expired",
  "job.retried": "queued",
};

export function JobProgress({
  jobId,
  canCancel,
  canRetry,
  videoStatus,
  latestEventId,
}: {
  jobId: string;
  canCancel: boolean;
  canRetry: boolean;
  videoStatus: string;
  /** The job's newest event when the server rendered the page: what the page already shows. */
  latestEventId: string | null;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  // Events are kept by id: a replay after a reconnect can never count one twice.
  const seen = useRef(new Map<string, JobEvent>());
  const lastSeen = useRef<bigint>(0n);
  const [events, setEvents] = useState<JobEvent[]>([]);
  const shownStatus = useRef(videoStatus);
  // Where the stream opens again to follow a new run; null: from the start.
  const [resumeFrom, setResumeFrom] = useState<string | null>(null);
  const follow = useCallback(() => setResumeFrom(String(lastSeen.current)), []);
  // The server-rendered parts catch up once a burst of finished steps has passed, not per step.
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const refreshSoon = useCallback(() => {
    if (refreshTimer.current) return;
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = null;
      router.refresh();
    }, 1500);
  }, [router]);
  useEffect(() => () => void (refreshTimer.current && clearTimeout(refreshTimer.current)), []);
  const rendered = latestEventId ? BigInt(latestEventId) : 0n;
  const subscription = useSubscription(
    trpc.jobs.events.subscriptionOptions(resumeFrom ? { jobId, lastEventId: resumeFrom } : { jobId }, {
      onData(message) {
        const event = message.data;
        if (seen.current.has(event.id)) return;
        seen.current.set(event.id, event);
        const id = BigInt(event.id);
        if (id > lastSeen.current) lastSeen.current = id;
        setEvents((prev) => [...prev, event]);
        // Events the server-rendered page already showed change nothing there.
        if (id <= rendered) return;
        const implied = event.type === "job.waiting" && event.payload.stepId !== "script-review" ? "processing" : VIDEO_STATUS_AFTER[event.type];
        if (implied && implied !== shownStatus.current) {
          shownStatus.current = implied;
          router.refresh();
          // A job's end refreshes too: the page may already show the video's new status (saved
          // with the render) and still hold the running job's preview.
        } else if (event.type === "step.succeeded" || event.type === "step.failed" || event.type.startsWith("job.")) refreshSoon();
      },
    }),
  );
  const view = useMemo(() => foldJobEvents(events), [events]);
  useEffect(() => publishJobStatus(jobId, view.status), [jobId, view.status]);
  const cancel = useMutation(trpc.jobs.cancel.mutationOptions());
  const retry = useMutation(trpc.jobs.retry.mutationOptions({ onSuccess: follow }));
  const [fromStage, setFromStage] = useState("");
  const active = isActiveJobStatus(view.status);
  const ended = view.status === "failed" || view.status === "cancelled" || view.status === "expired";
  // A new run started elsewhere on the page (a scene edit, Approve) or in another tab: the
  // refreshed page knows of events this stream, closed with the last run, has not brought.
  const runEnded = ENDED.has(view.status);
  useEffect(() => {
    if (runEnded && rendered > lastSeen.current && lastSeen.current > 0n) follow();
  }, [runEnded, rendered, follow]);
  const announcement = useAnnouncement(view);

  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid="job-progress" data-status={view.status}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <h2 className="font-semibold">
          Progress{" "}
          <span data-testid="job-status" className="ml-2 text-sm font-normal text-slate-600">
            {view.cancelling ? "cancelling…" : view.status}
          </span>
        </h2>
        <div className="flex flex-wrap items-center gap-3">
          {view.eta ? (
            <span className="text-sm text-slate-600" data-testid="job-eta">
              {timeLeft(view.eta.sec)}
            </span>
          ) : null}
          <span className="text-sm tabular-nums text-slate-700" data-testid="job-percent">
            {view.progress.toFixed(0)}%
          </span>
          {active && canCancel ? (
            <button
              type="button"
              onClick={() => cancel.mutate({ jobId })}
              disabled={cancel.isPending || view.cancelling}
              className="rounded-md border border-red-300 px-3 py-1 text-sm text-red-700 hover:bg-red-50 disabled:opacity-50"
            >
              Cancel
            </button>
          ) : null}
          {ended && canRetry ? (
            <>
              <select
                aria-label="Retry from"
                data-testid="retry-from"
                value={fromStage}
                onChange={(e) => setFromStage(e.target.value)}
                className="rounded-md border border-slate-300 px-2 py-1 text-sm"
              >
                <option value="">from the failed step</option>
                {view.stages.map((s) => (
                  <option key={s.id} value={s.id}>
                    from {s.label.toLowerCase()}
                  </option>
                ))}
              </select>
              <button
                type="button"
                data-testid="retry"
                onClick={() => retry.mutate({ jobId, ...(fromStage ? { fromStage: fromStage as "script" } : {}) })}
                disabled={retry.isPending}
                className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-50 disabled:opacity-50"
              >
                Retry
              </button>
            </>
          ) : null}
        </div>
      </div>
      <div
        className="mb-4 h-2 overflow-hidden rounded bg-slate-100"
        role="progressbar"
        aria-label="Overall progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.round(view.progress)}
      >
        <div className="h-full bg-sky-500 transition-all" style={{ width: `${view.progress}%` }} />
      </div>
      <p className="sr-only" aria-live="polite" data-testid="progress-announcer">
        {announcement}
      </p>
      <ol className="grid gap-2 sm:grid-cols-6">
        {view.stages.map((s) => (
          <li key={s.id} data-testid={`stage-${s.id}`} data-state={s.state} className={`rounded-md border px-3 py-2 text-sm ${STATE_STYLE[s.state]}`}>
            <div className="font-medium">{s.label}</div>
            <div className="text-xs">
              {s.state}
              {s.expected && s.expected > 1 ? ` · ${s.done}/${s.expected}` : ""}
              {s.state === "done" && seconds(s.startedAt, s.finishedAt) ? ` · ${seconds(s.startedAt, s.finishedAt)} s` : ""}
            </div>
            {s.detail && s.state === "running" ? <div className="truncate text-xs opacity-80">{s.detail}</div> : null}
          </li>
        ))}
      </ol>
      {view.error ? (
        <ErrorLine boxed className="mt-4" data-testid="job-error">
          The {view.error.stage} stage failed{view.error.provider ? ` (${view.error.provider})` : ""}: {view.error.reason}
        </ErrorLine>
      ) : null}
      {view.note && (view.status === "expired" || view.status === "waiting") ? (
        <p className="mt-4 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="job-note">
          {view.status === "expired" ? `Expired: ${view.note}` : view.note}
        </p>
      ) : null}
      {ended && view.edits.length ? (
        <ul className="mt-4 rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900" data-testid="job-edits">
          {view.edits.map((edit, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: the edits of one ended run, in the order made; the list only grows
            <li key={i}>{`${edit.charAt(0).toUpperCase()}${edit.slice(1)}.`}</li>
          ))}
        </ul>
      ) : null}
      {retry.error ? <ErrorLine className="mt-3">Retry refused: {retry.error.message}</ErrorLine> : null}
      {subscription.status === "connecting" && events.length > 0 ? <p className="mt-3 text-xs text-slate-500">Reconnecting…</p> : null}
      {subscription.error ? <p className="mt-3 text-xs text-red-600">Live updates stopped: {subscription.error.message}</p> : null}
    </section>
  );
}
