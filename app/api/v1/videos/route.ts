// REST: create a video from a brief (POST) and list the workspace's videos (GET). See /api/v1/openapi.json.
import { createVideoRoute, listVideosRoute } from "@/server/api/rest/videos";

export const dynamic = "force-dynamic";
export { createVideoRoute as POST, listVideosRoute as GET };
