// Inngest calls this endpoint to run Aura's workflow functions (when Inngest is configured).
import { serveInngest } from "@/server/workflow/inngest/serve";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT } = serveInngest();
