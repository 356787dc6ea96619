"use client";
// Workspaces with their members, videos, usage against their quotas, and each quota to set
// (empty: the server's default).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { DataTable } from "../../../_components/data-table";
import { ErrorLine } from "../../../_components/error-line";
import { useTRPC } from "../../../_components/trpc";

const QUOTAS = [
  ["concurrentJobs", "jobs at once"],
  ["videosPerDay", "videos a day"],
  ["minutesPerMonth", "minutes a month"],
  ["maxLengthSec", "longest video (s)"],
] as const;

export default function AdminWorkspacesPage() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.admin.workspaces.queryOptions());
  const save = useMutation(
    trpc.admin.setQuotas.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.admin.workspaces.queryKey() }) }),
  );
  return (
    <div className="space-y-3">
      <ErrorLine error={save.error} />
      <DataTable
        data-testid="admin-workspaces"
        rows={list.data}
        rowKey={(w) => w.id}
        alignTop
        columns={[
          {
            header: "Workspace",
            headerClassName: "py-1",
            className: "py-1",
            cell: (w) => (
              <>
                {w.name}
                {w.personal ? <span className="ml-1 text-xs text-slate-500">(personal)</span> : null}
                <div className="font-mono text-xs text-slate-500">{w.id}</div>
              </>
            ),
          },
          { header: "Members", cell: (w) => w.members },
          { header: "Videos", cell: (w) => w.videos },
          {
            header: "Usage",
            className: "text-xs",
            cell: (w) => (
              <>
                {w.usage.activeJobs} running · {w.usage.videosToday} today · {w.usage.minutesThisMonth} min this month
              </>
            ),
          },
          {
            header: "Quotas",
            cell: (w) => (
              <form
                className="flex flex-wrap gap-1 text-xs"
                onSubmit={(e) => {
                  e.preventDefault();
                  const form = new FormData(e.currentTarget);
                  const value = (k: string) => (String(form.get(k) ?? "") === "" ? null : Number(form.get(k)));
                  save.mutate({
                    workspaceId: w.id,
                    concurrentJobs: value("concurrentJobs"),
                    videosPerDay: value("videosPerDay"),
                    minutesPerMonth: value("minutesPerMonth"),
                    maxLengthSec: value("maxLengthSec"),
                  });
                }}
              >
                {QUOTAS.map(([key, label]) => (
                  <label key={key} className="flex flex-col">
                    {label}
                    <input
                      name={key}
                      type="number"
                      min={0}
                      className="w-20 rounded border border-slate-300 px-1"
                      defaultValue={w.own[key] ?? ""}
                      placeholder={w.limits[key] === null ? "none" : String(w.limits[key])}
                    />
                  </label>
                ))}
                <button type="submit" className="self-end rounded border border-slate-300 px-2">
                  Save
                </button>
              </form>
            ),
          },
        ]}
      />
    </div>
  );
}
