"use client";
// Workspaces with their members, videos, usage against their quotas, and each quota to set
// (empty: the server's default).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
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
  const save = useMutation(trpc.admin.setQuotas.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.admin.workspaces.queryKey() }) }));
  return (
    <div className="space-y-3">
      {save.error ? <p role="alert" className="text-sm text-red-700">{save.error.message}</p> : null}
      <table className="w-full text-left text-sm" data-testid="admin-workspaces">
        <thead className="text-slate-500">
          <tr>
            <th className="py-1">Workspace</th>
            <th>Members</th>
            <th>Videos</th>
            <th>Usage</th>
            <th>Quotas</th>
          </tr>
        </thead>
        <tbody>
          {list.data?.map((w) => (
            <tr key={w.id} className="border-t border-slate-100 align-top">
              <td className="py-1">
                {w.name}
                {w.personal ? <span className="ml-1 text-xs text-slate-500">(personal)</span> : null}
                <div className="font-mono text-xs text-slate-500">{w.id}</div>
              </td>
              <td>{w.members}</td>
              <td>{w.videos}</td>
              <td className="text-xs">
                {w.usage.activeJobs} running · {w.usage.videosToday} today · {w.usage.minutesThisMonth} min this month
              </td>
              <td>
                <form
                  className="flex flex-wrap gap-1 text-xs"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const form = new FormData(e.currentTarget);
                    const value = (k: string) => (String(form.get(k) ?? "") === "" ? null : Number(form.get(k)));
                    save.mutate({ workspaceId: w.id, concurrentJobs: value("concurrentJobs"), videosPerDay: value("videosPerDay"), minutesPerMonth: value("minutesPerMonth"), maxLengthSec: value("maxLengthSec") });
                  }}
                >
                  {QUOTAS.map(([key, label]) => (
                    <label key={key} className="flex flex-col">
                      {label}
                      <input name={key} type="number" min={0} className="w-20 rounded border border-slate-300 px-1" defaultValue={w.own[key] ?? ""} placeholder={w.limits[key] === null ? "none" : String(w.limits[key])} />
                    </label>
                  ))}
                  <button type="submit" className="self-end rounded border border-slate-300 px-2">
                    Save
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
