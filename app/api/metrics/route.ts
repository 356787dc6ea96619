// Prometheus metrics behind a bearer token (METRICS_TOKEN). Without a token set, the
// endpoint is off and answers 404.
import { timingSafeEqual } from "node:crypto";
import { getDb } from "@/server/db/client";
import { getEnv } from "@/server/env";
import { renderMetrics } from "@/server/metrics";

export const dynamic = "force-dynamic";

function authorized(header: string | null, token: string) {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, "") ?? "");
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export async function GET(request: Request) {
  const token = getEnv().METRICS_TOKEN;
  if (!token) return new Response("metrics are off: set METRICS_TOKEN to turn them on\n", { status: 404 });
  if (!authorized(request.headers.get("authorization"), token)) {
    return new Response("a valid bearer token is required\n", { status: 401, headers: { "www-authenticate": 'Bearer realm="metrics"' } });
  }
  const { contentType, body } = await renderMetrics(getDb());
  return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
}
