// The REST API's authentication: a Bearer API key (its workspace is the only one it reaches)
// and the permission each route needs, granted by one of the key's scopes (auth/permissions.ts). Errors become responses the one way (../error-response.ts).
import { authenticateApiKey } from "../../api-keys/service.ts";
import { assertScope, type Permission } from "../../auth/permissions.ts";
import { getDb, type Db } from "../../db/client.ts";
import { AppError, BadRequestError } from "../../lib/errors.ts";
import { handleErrors } from "../error-response.ts";

export type ApiContext = { db: Db; workspaceId: string; userId: string; keyId: string; request: Request };

export function apiRoute<P>(permission: Permission, fn: (ctx: ApiContext, params: P) => Promise<Response>) {
  return handleErrors("REST request failed", async (request: Request, route?: { params: Promise<P> }) => {
    const db = getDb();
    const header = request.headers.get("authorization") ?? "";
    const key = await authenticateApiKey({ db }, /^Bearer\s+/i.test(header) ? header.replace(/^Bearer\s+/i, "").trim() : null);
    if (!key)
      throw new AppError("UNAUTHORIZED", "A valid API key is required: Authorization: Bearer aura_…", {
        headers: { "www-authenticate": 'Bearer realm="aura"' },
      });
    assertScope(key.scopes, permission);
    return fn({ db, workspaceId: key.workspaceId, userId: key.userId, keyId: key.keyId, request }, ((await route?.params) ?? {}) as P);
  });
}

export async function readJson(request: Request) {
  try {
    return await request.json();
  } catch {
    throw new BadRequestError("The body must be JSON");
  }
}
