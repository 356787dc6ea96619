// The REST API's one place for authentication and errors: a Bearer API key (its workspace is
// the only one it reaches), a scope per route, and each expected error as its HTTP status
// with a JSON body { error, fields? }. Anything else is a logged 500 that says nothing more.
import { ZodError } from "zod";
import { authenticateApiKey, type ApiScope } from "../../api-keys/service.ts";
import { getDb, type Db } from "../../db/client.ts";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "../../lib/errors.ts";
import { log } from "../../lib/log.ts";
import { QuotaError } from "../../quotas/service.ts";
import { fieldErrors } from "../../videos/brief.ts";

export type ApiContext = { db: Db; workspaceId: string; userId: string; keyId: string; request: Request };

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => Response.json(body, { status, headers });

export function errorResponse(error: unknown) {
  if (error instanceof ZodError) {
    const fields = fieldErrors(error);
    return json(400, { error: Object.entries(fields).map(([f, m]) => `${f}: ${m}`).join("; "), fields });
  }
  if (error instanceof NotFoundError) return json(404, { error: error.message });
  if (error instanceof BadRequestError) return json(400, { error: error.message });
  if (error instanceof ForbiddenError) return json(403, { error: error.message });
  if (error instanceof ConflictError) return json(409, { error: error.message });
  if (error instanceof QuotaError) return json(429, { error: error.message, quota: error.quota });
  log.error("REST request failed", { error: (error as Error)?.message ?? String(error) });
  return json(500, { error: "Something went wrong on our side. It has been logged." });
}

export function apiRoute<P>(scope: ApiScope, fn: (ctx: ApiContext, params: P) => Promise<Response>) {
  return async (request: Request, route?: { params: Promise<P> }) => {
    const db = getDb();
    const header = request.headers.get("authorization") ?? "";
    const key = await authenticateApiKey(db, /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, "").trim() : null);
    if (!key) return json(401, { error: "A valid API key is required: Authorization: Bearer aura_…" }, { "www-authenticate": 'Bearer realm="aura"' });
    if (!key.scopes.includes(scope)) return json(403, { error: `This API key lacks the ${scope} scope` });
    if (!key.userId) return json(403, { error: "This API key's creator no longer exists: make a new key" });
    try {
      return await fn({ db, workspaceId: key.workspaceId, userId: key.userId, keyId: key.keyId, request }, ((await route?.params) ?? {}) as P);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

export async function readJson(request: Request) {
  try {
    return await request.json();
  } catch {
    throw new BadRequestError("The body must be JSON");
  }
}
