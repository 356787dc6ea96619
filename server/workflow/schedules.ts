// The scheduled jobs, listed once: Inngest registers each as a cron function
// (inngest/registrations.ts) and the built-in engine as a pg-boss queue on the same cron, named
// by the same id (engine/builtin.ts).
import { getDb } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { probeAllSettings, PROVIDER_HEALTH_CRON } from "../providers/settings.ts";
import { deliverDueWebhooks } from "../webhooks/service.ts";
import { runCleanup } from "./cleanup.ts";
import { probeRenderWorkers } from "../pipeline/render/workers.ts";

export type Schedule = {
  /** The Inngest function's id and the built-in engine's queue. */
  id: string;
  name: string;
  cron: string;
  /** The id of the one Inngest step that runs it. */
  stepId: string;
  run: () => Promise<unknown>;
  /** The built-in engine runs this in its own process this often instead of the cron. */
  poll?: { everyMs: number; run: () => Promise<unknown> };
};

export const SCHEDULES: Schedule[] = [
  {
    id: "aura-cleanup",
    name: "Clean up finished jobs",
    // Hourly, at 17 minutes past.
    cron: "17 * * * *",
    stepId: "cleanup",
    run: () => runCleanup(getDb(), { retentionDays: getEnv().JOB_RETENTION_DAYS, segmentDays: getEnv().RENDER_SHARED_CACHE_DAYS }),
  },
  { id: "aura-provider-health", name: "Probe configured providers", cron: PROVIDER_HEALTH_CRON, stepId: "probe", run: () => probeAllSettings(getDb()) },
  // Each worker's health and last contact, for the admin's System page.
  { id: "aura-render-workers", name: "Probe render workers", cron: "* * * * *", stepId: "probe-workers", run: () => probeRenderWorkers(getDb()) },
  {
    id: "aura-webhook-deliveries",
    name: "Send due webhook deliveries",
    // New deliveries are tried at once when queued; this sends the retries that fell due.
    cron: "* * * * *",
    stepId: "deliver",
    run: () => deliverDueWebhooks(getDb(), { limit: 100 }),
    // pg-boss's cron has a one-minute grain: the built-in engine sends them as they fall due.
    poll: { everyMs: 2000, run: () => deliverDueWebhooks(getDb()) },
  },
];
