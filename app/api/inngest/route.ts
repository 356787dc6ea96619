// Inngest calls this endpoint to run Aura's workflow functions (when Inngest is configured).
import { serve } from "inngest/next";
import { inngest, inngestFunctions } from "@/server/workflow/inngest/functions";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT } = serve({ client: inngest, functions: inngestFunctions });
