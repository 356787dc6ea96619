// Prometheus metrics, read from the database at scrape time: the app, the engines and any
// number of instances write the same tables, so every scrape sees the whole system.
import { Gauge, Registry } from "prom-client";
import type { DbContext } from "./lib/service-context.ts";
import { JOB_STATUSES } from "./workflow/job-status.ts";
import { STAGES } from "./workflow/stages.ts";

/** Upper bounds of the stage-duration histogram, in seconds. */
export const DURATION_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

type HistogramRow = { stage: string; le: number; count: bigint };

/** Prometheus text for a histogram whose buckets were counted in SQL. */
function histogramText(name: string, help: string, rows: HistogramRow[], sums: Map<string, { sum: number; count: number }>) {
  const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
  for (const stage of STAGES.map((s) => s.id)) {
    for (const le of DURATION_BUCKETS) {
      const row = rows.find((r) => r.stage === stage && r.le === le);
      lines.push(`${name}_bucket{stage="${stage}",le="${le}"} ${row ? Number(row.count) : 0}`);
    }
    const total = sums.get(stage) ?? { sum: 0, count: 0 };
    lines.push(`${name}_bucket{stage="${stage}",le="+Inf"} ${total.count}`);
    lines.push(`${name}_sum{stage="${stage}"} ${total.sum}`);
    lines.push(`${name}_count{stage="${stage}"} ${total.count}`);
  }
  return `${lines.join("\n")}\n`;
}

export async function renderMetrics({ db }: DbContext): Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: string[] = []) => new Gauge({ name, help, labelNames, registers: [registry] });

  const jobs = gauge("aura_jobs", "Jobs by status.", ["status"]);
  const byStatus = await db.job.groupBy({ by: ["status"], _count: { _all: true } });
  for (const status of JOB_STATUSES) jobs.set({ status }, byStatus.find((r) => r.status === status)?._count._all ?? 0);

  const attempts = gauge("aura_step_attempts_total", "Step attempts by stage and outcome (from the job history).", ["stage", "status"]);
  const attemptRows = await db.jobStepAttempt.groupBy({ by: ["stage", "status"], _count: { _all: true } });
  for (const r of attemptRows) attempts.set({ stage: r.stage, status: r.status }, r._count._all);

  const failures = gauge("aura_provider_failures_total", "Failed step attempts by provider and stage.", ["provider", "stage"]);
  const failureRows = await db.jobStepAttempt.groupBy({ by: ["provider", "stage"], where: { status: "failed" }, _count: { _all: true } });
  for (const r of failureRows) failures.set({ provider: r.provider ?? "unknown", stage: r.stage }, r._count._all);

  const depth = gauge("aura_queue_depth", "Messages waiting in the built-in engine's queues.", ["queue"]);
  try {
    const rows = await db.$queryRaw<
      { name: string; n: bigint }[]
    >`SELECT name, count(*) AS n FROM pgboss.job WHERE state IN ('created', 'retry') GROUP BY name`;
    for (const r of rows) depth.set({ queue: r.name }, Number(r.n));
  } catch {
    // No built-in engine has created its queues yet (or Inngest runs the jobs).
  }

  const [render] = await db.$queryRaw<{ video: number | null; render: number | null; last_day: number | null }[]>`
    SELECT sum((output->>'durationSec')::float8) AS video,
           sum((output->>'renderSec')::float8) AS render,
           sum((output->>'durationSec')::float8) FILTER (WHERE "finishedAt" > now() - interval '1 day')
             / nullif(sum((output->>'renderSec')::float8) FILTER (WHERE "finishedAt" > now() - interval '1 day'), 0) AS last_day
    FROM "JobStep" WHERE "stepId" = 'encode' AND status = 'succeeded'`;
  gauge("aura_rendered_video_seconds_total", "Seconds of video rendered.").set(render?.video ?? 0);
  gauge("aura_render_seconds_total", "Seconds spent rendering.").set(render?.render ?? 0);
  gauge("aura_render_speed_ratio", "Render speed over the last day: seconds of video per second of rendering (× real time).").set(render?.last_day ?? 0);

  const buckets = await db.$queryRawUnsafe<HistogramRow[]>(
    `SELECT stage, b.le, count(*) FILTER (WHERE a."durationMs" <= b.le * 1000) AS count
     FROM "JobStepAttempt" a CROSS JOIN unnest($1::float8[]) AS b(le)
     WHERE a.status = 'succeeded' GROUP BY stage, b.le`,
    DURATION_BUCKETS,
  );
  const totals = await db.jobStepAttempt.groupBy({ by: ["stage"], where: { status: "succeeded" }, _sum: { durationMs: true }, _count: { _all: true } });
  const sums = new Map(totals.map((t) => [t.stage, { sum: (t._sum.durationMs ?? 0) / 1000, count: t._count._all }]));

  const body = (await registry.metrics()) + histogramText("aura_stage_duration_seconds", "Duration of successful step attempts by stage.", buckets, sums);
  return { contentType: registry.contentType, body };
}
