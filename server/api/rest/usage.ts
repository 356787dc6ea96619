// REST endpoint for what the workspace of the API key has spent this month on paid
// generation, against its limit.
import { spendReport } from "../../quotas/spend.ts";
import { apiRoute } from "./handler.ts";
import { restUsageSchema } from "./schemas.ts";

export const usageRoute = apiRoute("video.view", async (ctx) => {
  const report = await spendReport(ctx);
  return Response.json(restUsageSchema.parse({ aiSpend: { ...report, monthStart: report.monthStart.toISOString() } }));
});
