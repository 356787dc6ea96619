// REST: add a file to the media library (POST, the file as the body, ?name=) and list or search it (GET). See /api/v1/openapi.json.
import { listMediaRoute, uploadMediaRoute } from "@/server/api/rest/library";

export const dynamic = "force-dynamic";
export { uploadMediaRoute as POST, listMediaRoute as GET };
