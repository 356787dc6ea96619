"use client";
// System health (providers, the render worker and its encoders, queues, jobs by status),
// retention and purge, and the whole audit log.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../../_components/trpc";

export default function AdminSystemPage() {
  const trpc = useTRPC();
  const health = useQuery(trpc.admin.health.queryOptions());
  const audit = useQuery(trpc.admin.audit.queryOptions());
  const purge = useMutation(trpc.admin.purge.mutationOptions());
  const h = health.data;
  return (
    <div className="space-y-6">
      <section className="rounded-lg border border-slate-200 bg-white p-5 text-sm" data-testid="system-health">
        <h2 className="mb-2 font-semibold">Health</h2>
        {h ? (
          <div className="space-y-2">
            <p>
              Engine: {h.engine}. Jobs:{" "}
              {Object.entries(h.jobs)
                .map(([s, n]) => `${n} ${s}`)
                .join(", ") || "none"}
              .
            </p>
            <p>Queues: {h.queue.map((q) => `${q.name} ${q.state} ${q.count}`).join(", ") || "empty"}.</p>
            <p>
              Render worker ({h.renderWorker.url}): {h.renderWorker.ok ? "up" : "down"}
            </p>
            <pre className="overflow-auto rounded bg-slate-50 p-2 text-xs">{JSON.stringify(h.renderWorker.detail, null, 2)}</pre>
            <p>Providers: {h.providers.map((p) => `${p.capability}/${p.provider} ${p.health} ×${p.count}`).join(", ") || "none configured"}.</p>
          </div>
        ) : (
          "Loading…"
        )}
      </section>
      <section className="rounded-lg border border-slate-200 bg-white p-5 text-sm">
        <h2 className="mb-2 font-semibold">Retention</h2>
        <p>
          Progress events of finished jobs and the scene media of jobs that ended without a video are removed after {h?.retentionDays ?? "…"} days
          (JOB_RETENTION_DAYS), every hour.
        </p>
        <button type="button" className="mt-2 rounded border border-slate-300 px-3 py-1" onClick={() => purge.mutate()}>
          Purge now
        </button>
        {purge.data ? (
          <span className="ml-3" data-testid="purge-result">
            Removed {purge.data.events} events, {purge.data.assets} files, {purge.data.stagingFiles} staging files.
          </span>
        ) : null}
      </section>
      <section className="rounded-lg border border-slate-200 bg-white p-5 text-sm">
        <h2 className="mb-2 font-semibold">Audit log (all workspaces)</h2>
        <ol className="space-y-1 font-mono text-xs" data-testid="admin-audit">
          {audit.data?.map((e) => (
            <li key={e.id}>
              {new Date(e.createdAt).toISOString().replace("T", " ").slice(0, 19)} {e.actor ?? "system"} {e.action} {e.workspaceId ?? ""}{" "}
              {JSON.stringify(e.data)}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
