"use client";
// The workspace's audit log (admins and the owner): who did what, when.
import { useQuery } from "@tanstack/react-query";
import { DataTable } from "../../_components/data-table";
import { useTRPC } from "../../_components/trpc";

export function AuditLog() {
  const trpc = useTRPC();
  const audit = useQuery(trpc.workspaces.audit.queryOptions());
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 className="mb-2 font-semibold">Audit log</h2>
      <DataTable
        data-testid="audit-log"
        rows={audit.data}
        rowKey={(e) => e.id}
        alignTop
        empty={<p className="text-sm text-slate-600">{audit.isPending ? "Loading…" : "Nothing recorded yet."}</p>}
        columns={[
          {
            header: "When",
            headerClassName: "py-1",
            className: "py-1 whitespace-nowrap",
            cell: (e) => new Date(e.createdAt).toISOString().replace("T", " ").slice(0, 19),
          },
          { header: "Who", cell: (e) => e.actor ?? "system" },
          { header: "What", className: "font-mono text-xs", cell: (e) => e.action },
          { header: "Details", className: "text-xs text-slate-600", cell: (e) => JSON.stringify(e.data) },
        ]}
      />
    </section>
  );
}
