// REST: one media library item (GET), renamed or tagged (PATCH), deleted with its files (DELETE).
import { getMediaRoute, removeMediaRoute, updateMediaRoute } from "@/server/api/rest/library";

export const dynamic = "force-dynamic";
export { getMediaRoute as GET, updateMediaRoute as PATCH, removeMediaRoute as DELETE };
