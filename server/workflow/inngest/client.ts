// Aura's Inngest client and the Inngest side's settings, from the validated environment
// (server/env.ts). The app sends events with it (workflow/client.ts); the route at
// /api/inngest serves the functions registered with it (registrations.ts).
import { Inngest } from "inngest";
import { getEnvSettings } from "../../env.ts";

const env = getEnvSettings(
  "INNGEST_DEV",
  "INNGEST_BASE_URL",
  "INNGEST_EVENT_KEY",
  "INNGEST_SIGNING_KEY",
  "STEP_MAX_ATTEMPTS",
  "WORKSPACE_CONCURRENCY",
  "RENDER_CONCURRENCY",
);

export const inngest = new Inngest({
  id: "aura",
  // Unset ones are left to the SDK, which then finds none either.
  ...(env.INNGEST_DEV ? { isDev: env.INNGEST_DEV === "1" } : {}),
  ...(env.INNGEST_BASE_URL ? { baseUrl: env.INNGEST_BASE_URL } : {}),
  ...(env.INNGEST_EVENT_KEY ? { eventKey: env.INNGEST_EVENT_KEY } : {}),
  ...(env.INNGEST_SIGNING_KEY ? { signingKey: env.INNGEST_SIGNING_KEY } : {}),
});

type RetryCount = NonNullable<Parameters<typeof inngest.createFunction>[0]["retries"]>;
/** Inngest's retries are attempts after the first. */
export const STEP_RETRIES = (env.STEP_MAX_ATTEMPTS - 1) as RetryCount;
export const WORKSPACE_CONCURRENCY = env.WORKSPACE_CONCURRENCY;
export const RENDER_CONCURRENCY = env.RENDER_CONCURRENCY;
