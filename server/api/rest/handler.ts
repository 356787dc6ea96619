// The REST API's authentication: a Bearer API key (its workspace is the only one it reaches)
// and the permission each route needs, granted by one of the key's scopes (auth/permissions.ts). Errors become responses the one way (../error-response.ts).
import type { z } from "zod";
import { authenticateApiKey } from "../../api-keys/service.ts";
import { assertScope, type Permission } from "../../auth/permissions.ts";
import { getDb, type Db, type Role } from "../../db/client.ts";
import { AppError, BadRequestError } from "../../lib/errors.ts";
import { findUnusableText } from "../../text/policy.ts";
import { handleErrors } from "../error-response.ts";

/** The key's workspace, and its creator with their role there: a key acts for its creator. */
export type ApiContext = { db: Db; workspaceId: string; userId: string; role: Role; keyId: string; request: Request };

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
    const params = ((await route?.params) ?? {}) as P;
    refuseUnusableText(params);
    refuseUnusableText(Object.fromEntries(new URL(request.url).searchParams));
    return fn({ db, workspaceId: key.workspaceId, userId: key.userId, role: key.role, keyId: key.keyId, request }, params);
  });
}

export async function readJson(request: Request) {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new BadRequestError("The body must be JSON");
  }
  refuseUnusableText(body);
  return body;
}

/** The text policy's first rule (text/policy.ts): a 400 naming the field. */
export function refuseUnusableText(input: unknown) {
  const found = findUnusableText(input);
  if (found) throw new BadRequestError(`${found.field}: ${found.reason}`);
}

/** A response body through its schema. One that does not fit is our fault: an internal error
 *  (logged, a 500), never the client's 400. */
export function shapeResponse<S extends z.ZodType>(schema: S, body: z.input<S>): z.output<S> {
  const shaped = schema.safeParse(body);
  if (!shaped.success) throw new Error(`a REST response does not fit its schema: ${shaped.error.message}`);
  return shaped.data;
}
