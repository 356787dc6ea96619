"use client";
// System health (providers, every render worker checked with the shared secret: reachable,
// secret accepted or refused, version, load and encoders; queues, jobs by status), retention
// and purge, and the whole audit log.
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../../_components/trpc";

type Worker = { ok: boolean; reachable: boolean; authenticated: boolean | null; error: string | null };

/** up, refused (it answers but not to this server's secret), error (it answers, and fails), or down. */
const workerState = (w: Worker) => (w.ok ? "up" : !w.reachable ? "down" : w.authenticated === false ? "refused" : "error");

function workerStateText(w: Worker) {
  const state = workerState(w);
  if (state === "up") return "healthy: reachable, secret accepted";
  if (state === "refused") return `reachable, but it refused this server's secret (the two RENDER_WORKER_SECRET values differ): ${w.error}`;
  if (state === "down") return `not reachable: ${w.error ?? "no answer"}`;
  return `reachable, secret accepted, but failing: ${w.error}`;
}

export default function AdminSystemPage() {
  const trpc = useTRPC();
  const health = useQuery(trpc.admin.health.queryOptions());
  const audit = useQuery(trpc.admin.audit.queryOptions());
  const purge = useMutation(trpc.admin.purge.mutationOptions());
  const h = health.data;
  return (
    // Long unbroken words (ids, URLs, e-mail addresses in the audit log) wrap instead of widening a phone's page.
    <div className="min-w-0 space-y-6 [overflow-wrap:anywhere]">
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
            <p data-testid="storage-health">
              Storage ({h.storage.description}): {h.storage.ok ? "reachable" : `failing: ${h.storage.error}`}
            </p>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: the table scrolls sideways on a phone; the keyboard must reach it */}
            <div className="max-w-full overflow-x-auto" tabIndex={0}>
              <table className="w-full text-left text-xs" data-testid="render-workers">
                <caption className="mb-1 text-left text-sm font-medium">Render workers</caption>
                <thead>
                  <tr className="text-slate-500">
                    <th className="pr-3 font-normal">Worker</th>
                    <th className="pr-3 font-normal">State</th>
                    <th className="pr-3 font-normal">Version</th>
                    <th className="pr-3 font-normal">Renders</th>
                    <th className="pr-3 font-normal">Encoders (first: used)</th>
                    <th className="font-normal">Last contact</th>
                  </tr>
                </thead>
                <tbody>
                  {h.renderWorkers.map((w) => (
                    <tr key={w.url} data-state={workerState(w)}>
                      <td className="pr-3 font-mono">{w.url}</td>
                      <td className={`pr-3 ${w.ok ? "text-emerald-700" : "text-red-700"}`}>{workerStateText(w)}</td>
                      <td className="pr-3">{w.version ?? "–"}</td>
                      <td className="pr-3">{w.running === null ? "–" : `${w.running} of ${w.capacity} slots busy`}</td>
                      <td className="pr-3">{[w.preferred, ...w.encoders.filter((e) => e !== w.preferred)].filter(Boolean).join(", ") || "–"}</td>
                      <td>{w.lastContactAt ? new Date(w.lastContactAt).toLocaleString() : "never"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
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
            Removed {purge.data.events} events, {purge.data.assets} files, {purge.data.stagingFiles} staging files, {purge.data.cachedSegments} shared segments.
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
