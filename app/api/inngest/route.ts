// Inngest calls this endpoint to run Aura's workflow functions (when Inngest is configured).
import { serve } from "inngest/next";
import { inngest } from "@/server/workflow/inngest/client";
import { inngestFunctions } from "@/server/workflow/inngest/registrations";

export const dynamic = "force-dynamic";

export const { GET, POST, PUT } = serve({ client: inngest, functions: inngestFunctions });
