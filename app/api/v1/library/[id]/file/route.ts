import { mediaFileRoute } from "@/server/api/rest/library";

export const dynamic = "force-dynamic";
export { mediaFileRoute as GET, mediaFileRoute as HEAD };
