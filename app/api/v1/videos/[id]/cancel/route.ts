import { cancelVideoRoute } from "@/server/api/rest/videos";

export const dynamic = "force-dynamic";
export { cancelVideoRoute as POST };
