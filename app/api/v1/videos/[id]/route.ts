import { getVideoRoute } from "@/server/api/rest/videos";

export const dynamic = "force-dynamic";
export { getVideoRoute as GET };
