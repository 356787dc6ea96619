"use client";
// Every job of every workspace: filters, search by job or correlation id, pages, and bulk
// cancel, retry or delete of the selected jobs.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { JOB_STATUSES } from "@/server/workflow/job-status";
import { STAGE_IDS } from "@/server/workflow/stages";
import { DataTable } from "../../_components/data-table";
import { ErrorLine } from "../../_components/error-line";
import { inputClass } from "../../_components/field";
import { useTRPC } from "../../_components/trpc";

type Filter = { status?: string; stage?: string; workspaceId?: string; userId?: string; provider?: string; from?: string; to?: string; search?: string };

export function AdminJobs() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Filter>({});
  const [filter, setFilter] = useState<Filter>({});
  const [cursors, setCursors] = useState<string[]>([]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const cursor = cursors.at(-1);
  const jobs = useQuery(trpc.admin.jobs.queryOptions({ ...filter, cursor, limit: 25 }));
  const bulk = useMutation(
    trpc.admin.bulk.mutationOptions({
      onSuccess() {
        setSelected(new Set());
        void queryClient.invalidateQueries({ queryKey: trpc.admin.jobs.queryKey() });
      },
    }),
  );
  const field = (name: keyof Filter, props: Record<string, unknown> = {}) => (
    <input aria-label={name} className={inputClass} value={draft[name] ?? ""} onChange={(e) => setDraft({ ...draft, [name]: e.target.value })} {...props} />
  );
  const toggle = (id: string) => setSelected((s) => (s.has(id) ? new Set([...s].filter((x) => x !== id)) : new Set([...s, id])));
  return (
    <div className="space-y-4">
      <form
        className="grid gap-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-4"
        onSubmit={(e) => {
          e.preventDefault();
          setCursors([]);
          setFilter(Object.fromEntries(Object.entries(draft).filter(([, v]) => v)));
        }}
      >
        {field("search", { placeholder: "Job id, correlation id or title" })}
        <select aria-label="status" className={inputClass} value={draft.status ?? ""} onChange={(e) => setDraft({ ...draft, status: e.target.value })}>
          <option value="">Any status</option>
          {JOB_STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="stage" className={inputClass} value={draft.stage ?? ""} onChange={(e) => setDraft({ ...draft, stage: e.target.value })}>
          <option value="">Any stage</option>
          {STAGE_IDS.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        {field("provider", { placeholder: "Provider (e.g. openai)" })}
        {field("workspaceId", { placeholder: "Workspace id" })}
        {field("userId", { placeholder: "User id" })}
        {field("from", { type: "date" })}
        {field("to", { type: "date" })}
        <div className="sm:col-span-4">
          <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-semibold text-white">
            Search
          </button>
        </div>
      </form>
      <ErrorLine error={jobs.error} />
      <div className="flex items-center gap-2 text-sm">
        <span>{selected.size} selected</span>
        {(["cancel", "retry", "delete"] as const).map((action) => (
          <button
            key={action}
            type="button"
            disabled={!selected.size || bulk.isPending}
            className="rounded border border-slate-300 px-2 py-1 capitalize disabled:opacity-40"
            onClick={() => bulk.mutate({ action, jobIds: [...selected] })}
          >
            {action} selected
          </button>
        ))}
        {bulk.data ? (
          <span data-testid="bulk-result">
            {bulk.data.results.filter((r) => r.ok).length} done
            {bulk.data.results.some((r) => !r.ok)
              ? `, ${bulk.data.results
                  .filter((r) => !r.ok)
                  .map((r) => r.error)
                  .join("; ")}`
              : ""}
          </span>
        ) : null}
      </div>
      <DataTable
        data-testid="admin-jobs"
        rows={jobs.data?.jobs}
        rowKey={(j) => j.id}
        rowTestId={(j) => `admin-job-${j.id}`}
        alignTop
        columns={[
          { cell: (j) => <input type="checkbox" aria-label={`Select ${j.id}`} checked={selected.has(j.id)} onChange={() => toggle(j.id)} /> },
          {
            header: "Job",
            headerClassName: "py-1",
            className: "py-1 font-mono text-xs",
            cell: (j) => (
              <Link href={`/admin/jobs/${j.id}`} className="text-sky-700 underline">
                {j.id}
              </Link>
            ),
          },
          { header: "Video", cell: (j) => j.video.title },
          { header: "Workspace", cell: (j) => j.workspace.name },
          { header: "User", cell: (j) => j.user.email },
          { header: "Status", cell: (j) => j.status },
          {
            header: "Stage",
            cell: (j) => (
              <>
                {j.stage ?? "—"}
                {j.error ? (
                  <div className="max-w-xs truncate text-xs text-red-700" title={j.error.reason}>
                    {j.error.provider ? `${j.error.provider}: ` : ""}
                    {j.error.reason}
                  </div>
                ) : null}
              </>
            ),
          },
          { header: "Created", className: "whitespace-nowrap", cell: (j) => new Date(j.createdAt).toISOString().replace("T", " ").slice(0, 16) },
        ]}
      />
      <div className="flex gap-3 text-sm">
        <button type="button" disabled={!cursors.length} className="underline disabled:opacity-40" onClick={() => setCursors((c) => c.slice(0, -1))}>
          Previous
        </button>
        <button
          type="button"
          disabled={!jobs.data?.nextCursor}
          className="underline disabled:opacity-40"
          onClick={() => jobs.data?.nextCursor && setCursors((c) => [...c, jobs.data!.nextCursor!])}
        >
          Next
        </button>
      </div>
    </div>
  );
}
