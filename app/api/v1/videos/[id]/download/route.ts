import { downloadVideoRoute } from "@/server/api/rest/videos";

export const dynamic = "force-dynamic";
export { downloadVideoRoute as GET, downloadVideoRoute as HEAD };
