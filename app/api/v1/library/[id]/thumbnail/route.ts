import { mediaThumbnailRoute } from "@/server/api/rest/library";

export const dynamic = "force-dynamic";
export { mediaThumbnailRoute as GET, mediaThumbnailRoute as HEAD };
