// REST: the workspace's monthly AI spend limit and this month's use. See /api/v1/openapi.json.
import { usageRoute } from "@/server/api/rest/usage";

export const dynamic = "force-dynamic";
export { usageRoute as GET };
