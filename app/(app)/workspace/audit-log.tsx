"use client";
// The workspace's audit log (admins and the owner): who did what, when.
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../_components/trpc";

export function AuditLog() {
  const trpc = useTRPC();
  const audit = useQuery(trpc.workspaces.audit.queryOptions());
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 className="mb-2 font-semibold">Audit log</h2>
      {audit.data?.length ? (
        <table className="w-full text-left text-sm" data-testid="audit-log">
          <thead className="text-slate-500">
            <tr>
              <th className="py-1">When</th>
              <th>Who</th>
              <th>What</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {audit.data.map((e) => (
              <tr key={e.id} className="border-t border-slate-100 align-top">
                <td className="py-1 whitespace-nowrap">{new Date(e.createdAt).toISOString().replace("T", " ").slice(0, 19)}</td>
                <td>{e.actor ?? "system"}</td>
                <td className="font-mono text-xs">{e.action}</td>
                <td className="text-xs text-slate-600">{JSON.stringify(e.data)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-sm text-slate-600">{audit.isPending ? "Loading…" : "Nothing recorded yet."}</p>
      )}
    </section>
  );
}
