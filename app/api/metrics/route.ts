// Prometheus metrics behind a bearer token (METRICS_TOKEN). Without a token set, the
// endpoint is off and answers 404. Its errors are plain text, for Prometheus.
import { timingSafeEqual } from "node:crypto";
import { handleErrors } from "@/server/api/error-response";
import { getUnscopedContext } from "@/server/api/route-context";
import { getEnv } from "@/server/env";
import { AppError } from "@/server/lib/errors";
import { renderMetrics } from "@/server/metrics";

export const dynamic = "force-dynamic";

function authorized(header: string | null, token: string) {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, "") ?? "");
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

export const GET = handleErrors(
  "metrics request failed",
  async (request: Request) => {
    const token = getEnv().METRICS_TOKEN;
    if (!token) throw new AppError("NOT_FOUND", "metrics are off: set METRICS_TOKEN to turn them on");
    if (!authorized(request.headers.get("authorization"), token)) {
      throw new AppError("UNAUTHORIZED", "a valid bearer token is required", { headers: { "www-authenticate": 'Bearer realm="metrics"' } });
    }
    const { contentType, body } = await renderMetrics(getUnscopedContext());
    return new Response(body, { headers: { "content-type": contentType, "cache-control": "no-store" } });
  },
  { text: true },
);
