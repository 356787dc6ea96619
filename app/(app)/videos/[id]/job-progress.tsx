"use client";
import { useMutation } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useRouter } from "next/navigation";
import { useMemo, useRef, useState } from "react";
import { isActiveJobStatus } from "@/server/workflow/job-status";
import { ErrorLine } from "../../../_components/error-line";
import { foldJobEvents, type JobEvent } from "../../../_components/job-state";
import { useTRPC } from "../../../_components/trpc";

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

export function JobProgress({ jobId, canCancel, canRetry, videoStatus }: { jobId: string; canCancel: boolean; canRetry: boolean; videoStatus: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  // Events are kept by id: a replay after a reconnect can never count one twice.
  const seen = useRef(new Map<string, JobEvent>());
  const [events, setEvents] = useState<JobEvent[]>([]);
  const shownStatus = useRef(videoStatus);
  const subscription = useSubscription(
    trpc.jobs.events.subscriptionOptions(
      { jobId },
      {
        onData(message) {
          const event = message.data;
          if (seen.current.has(event.id)) return;
          seen.current.set(event.id, event);
          setEvents((prev) => [...prev, event]);
          const implied = event.type === "job.waiting" && event.payload.stepId !== "script-review" ? "processing" : VIDEO_STATUS_AFTER[event.type];
          if (implied && implied !== shownStatus.current) {
            shownStatus.current = implied;
            router.refresh();
          }
        },
      },
    ),
  );
  const view = useMemo(() => foldJobEvents(events), [events]);
  const cancel = useMutation(trpc.jobs.cancel.mutationOptions());
  const retry = useMutation(trpc.jobs.retry.mutationOptions());
  const [fromStage, setFromStage] = useState("");
  const active = isActiveJobStatus(view.status);
  const ended = view.status === "failed" || view.status === "cancelled" || view.status === "expired";

  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm" data-testid="job-progress" data-status={view.status}>
      <div className="mb-3 flex items-center justify-between">
        <h2 className="font-semibold">
          Progress{" "}
          <span data-testid="job-status" className="ml-2 text-sm font-normal text-slate-600">
            {view.cancelling ? "cancelling…" : view.status}
          </span>
        </h2>
        <div className="flex items-center gap-3">
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
      <div className="mb-4 h-2 overflow-hidden rounded bg-slate-100">
        <div className="h-full bg-sky-500 transition-all" style={{ width: `${view.progress}%` }} />
      </div>
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
      {retry.error ? <ErrorLine className="mt-3">Retry refused: {retry.error.message}</ErrorLine> : null}
      {subscription.status === "connecting" && events.length > 0 ? <p className="mt-3 text-xs text-slate-500">Reconnecting…</p> : null}
      {subscription.error ? <p className="mt-3 text-xs text-red-600">Live updates stopped: {subscription.error.message}</p> : null}
    </section>
  );
}
