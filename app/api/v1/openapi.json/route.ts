// The REST API's OpenAPI document (public: it holds no data).
import { openApiDocument } from "@/server/api/rest/openapi";

export const dynamic = "force-dynamic";

export function GET() {
  return Response.json(openApiDocument());
}
