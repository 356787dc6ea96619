"use client";
// One job across workspaces: its stage timeline with every attempt, provider and error, its
// events (the job's log), and the actions: cancel, retry, retry from a stage, delete. Errors
// are shown raw here (the provider's reply, paths, settings' names), beside the plain words
// the job's own page shows its members.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { STAGE_IDS } from "@/server/workflow/stages";
import { plainError } from "@/server/lib/plain-errors";
import { DataTable } from "../../../../_components/data-table";
import { ErrorLine } from "../../../../_components/error-line";
import { useTRPC } from "../../../../_components/trpc";

export function AdminJobDetail({ jobId }: { jobId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const job = useQuery({ ...trpc.admin.job.queryOptions({ jobId }), refetchInterval: 2000 });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.admin.job.queryKey({ jobId }) });
  const cancel = useMutation(trpc.admin.cancel.mutationOptions({ onSuccess: refresh }));
  const retry = useMutation(trpc.admin.retry.mutationOptions({ onSuccess: refresh }));
  const del = useMutation(trpc.admin.delete.mutationOptions({ onSuccess: () => router.push("/admin") }));
  const [fromStage, setFromStage] = useState("");
  if (job.error) return <ErrorLine error={job.error} />;
  if (!job.data) return <p className="text-sm text-slate-600">Loading…</p>;
  const j = job.data;
  const error = cancel.error ?? retry.error ?? del.error;
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <h2 className="text-xl font-semibold">{j.video.title}</h2>
        <p className="text-sm text-slate-600">
          Job <span className="font-mono">{j.id}</span> · workspace {j.workspace.name} · by {j.video.createdBy.email} · correlation id{" "}
          <span className="font-mono">{j.correlationId}</span>
        </p>
        <p className="text-sm">
          Status: <strong data-testid="admin-job-status">{j.status}</strong>
          {j.errorMessage ? (
            <span className="text-red-700" data-testid="admin-job-error">
              {" "}
              · {j.errorStage}
              {j.errorProvider ? ` (${j.errorProvider})` : ""}: {j.errorMessage}
            </span>
          ) : null}
        </p>
        {j.errorMessage ? (
          <p className="text-sm text-slate-600" data-testid="admin-job-plain-error">
            The job page says: {plainError(j.errorMessage, { provider: j.errorProvider, stage: j.errorStage })}
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <button type="button" className="rounded border border-slate-300 px-3 py-1" onClick={() => cancel.mutate({ jobId })}>
          Cancel job
        </button>
        <button
          type="button"
          className="rounded border border-slate-300 px-3 py-1"
          onClick={() => retry.mutate({ jobId, fromStage: (fromStage || undefined) as (typeof STAGE_IDS)[number] | undefined })}
        >
          Retry job
        </button>
        <label className="flex items-center gap-1">
          from
          <select
            aria-label="Retry from stage"
            className="rounded border border-slate-300 px-1"
            value={fromStage}
            onChange={(e) => setFromStage(e.target.value)}
          >
            <option value="">the failed step</option>
            {STAGE_IDS.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <button
          type="button"
          className="rounded bg-red-700 px-3 py-1 text-white"
          onClick={() => confirm("Delete this job and its files?") && del.mutate({ jobId })}
        >
          Delete job and files
        </button>
        <ErrorLine error={error} inline />
      </div>
      <section>
        <h3 className="mb-2 font-semibold">Stage timeline</h3>
        <DataTable
          rows={j.steps}
          rowKey={(s) => s.id}
          alignTop
          columns={[
            { header: "Step", headerClassName: "py-1", className: "py-1 font-mono text-xs", cell: (s) => s.stepId },
            { header: "Status", cell: (s) => s.status },
            { header: "Provider", cell: (s) => s.provider ?? "—" },
            {
              header: "Attempts",
              className: "text-xs",
              cell: (s) =>
                s.attemptLog.map((a) => (
                  <div key={a.id}>
                    #{a.attempt} {a.status} · {(a.durationMs / 1000).toFixed(2)} s{a.provider ? ` · ${a.provider}` : ""}
                    {a.error ? ` · ${a.error}` : ""}
                  </div>
                )),
            },
            { header: "Error", className: "max-w-xs text-xs text-red-700", cell: (s) => s.error ?? "" },
          ]}
        />
      </section>
      <section>
        <h3 className="mb-2 font-semibold">Events</h3>
        {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a list that scrolls must be reachable by keyboard to scroll it */}
        <ol tabIndex={0} className="max-h-96 overflow-auto rounded border border-slate-200 bg-white p-2 font-mono text-xs" data-testid="admin-job-events">
          {j.events.map((e) => (
            <li key={e.id}>
              {new Date(e.createdAt).toISOString().slice(11, 23)} {e.type} {JSON.stringify(e.payload).slice(0, 300)}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
