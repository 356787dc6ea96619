"use client";
// The workspace's quotas and what is used of them (admins and the owner).
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../../_components/trpc";

const fmt = (used: number, limit: number | null, unit = "") => `${used}${unit} of ${limit === null ? "no limit" : `${limit}${unit}`}`;

export function Usage() {
  const trpc = useTRPC();
  const report = useQuery(trpc.workspaces.usage.queryOptions());
  if (!report.data) return null;
  const { limits, usage } = report.data;
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5">
      <h2 className="mb-2 font-semibold">Usage</h2>
      <dl className="grid gap-2 text-sm sm:grid-cols-4" data-testid="usage">
        <div>
          <dt className="text-slate-500">Jobs running or queued</dt>
          <dd>{fmt(usage.activeJobs, limits.concurrentJobs)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Videos today (UTC)</dt>
          <dd>{fmt(usage.videosToday, limits.videosPerDay)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Minutes this month</dt>
          <dd>{fmt(usage.minutesThisMonth, limits.minutesPerMonth)}</dd>
        </div>
        <div>
          <dt className="text-slate-500">Longest video</dt>
          <dd>{limits.maxLengthSec === null ? "180 s (the brief's own limit)" : `${limits.maxLengthSec} s`}</dd>
        </div>
      </dl>
    </section>
  );
}
