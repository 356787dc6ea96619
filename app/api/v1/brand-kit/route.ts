// REST: the workspace's brand kit (GET) and a change to it (PUT: the fields given). See /api/v1/openapi.json.
import { getBrandKitRoute, updateBrandKitRoute } from "@/server/api/rest/brand-kit";

export const dynamic = "force-dynamic";
export { getBrandKitRoute as GET, updateBrandKitRoute as PUT };
