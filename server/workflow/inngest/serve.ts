// The /api/inngest endpoint's handlers: Inngest's own when Aura runs on Inngest; otherwise a
// plain answer that says so (the built-in engine runs the workflow and Inngest has nothing to call).
import { serve } from "inngest/next";
import { getEnv } from "../../env.ts";
import { inngest } from "./client.ts";
import { inngestFunctions } from "./registrations.ts";

export const INNGEST_NOT_CONFIGURED =
  "Inngest is not configured: this Aura runs the workflow on its built-in engine. Set INNGEST_EVENT_KEY with INNGEST_SIGNING_KEY (Inngest Cloud) or INNGEST_BASE_URL (self-hosted), or INNGEST_DEV=1.";

export function serveInngest() {
  const handlers = serve({ client: inngest, functions: inngestFunctions });
  const onlyWhenConfigured =
    <A extends unknown[]>(handler: (...args: A) => Promise<Response>) =>
    (...args: A) =>
      getEnv().engine === "inngest" ? handler(...args) : Promise.resolve(Response.json({ error: INNGEST_NOT_CONFIGURED }, { status: 503 }));
  return { GET: onlyWhenConfigured(handlers.GET), POST: onlyWhenConfigured(handlers.POST), PUT: onlyWhenConfigured(handlers.PUT) };
}
