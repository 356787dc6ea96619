// API keys for the REST API: "aura_<prefix>_<secret>", shown once when made, stored as a
// SHA-256 hash found by its prefix, scoped (videos:read, videos:write), revocable, and
// bound to one workspace: a key acts in its own workspace and nowhere else.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { recordAudit } from "../audit/log.ts";
import { API_SCOPES, type ApiScope, can, type Permission } from "../auth/permissions.ts";
import type { Role } from "../db/client.ts";
import { ForbiddenError, NotFoundError } from "../lib/errors.ts";
import type { DbContext, ServiceContext, WorkspaceContext } from "../lib/service-context.ts";
import { textField } from "../text/policy.ts";

export const apiKeyInputSchema = z.object({
  name: textField("Name", { min: 1, max: 80 }),
  scopes: z.array(z.enum(API_SCOPES, { error: `Scopes are ${API_SCOPES.join(", ")}` })).min(1, "Pick at least one scope"),
});

const sha256 = (s: string) => createHash("sha256").update(s).digest();

/** Who may make (and so go on using) a workspace's API keys: the permission the router checks. */
export const KEY_PERMISSION: Permission = "automation.manage";

export async function createApiKey(actor: ServiceContext, input: z.input<typeof apiKeyInputSchema>) {
  const { db } = actor;
  const { name, scopes } = apiKeyInputSchema.parse(input);
  const prefix = randomBytes(6).toString("hex");
  const key = `aura_${prefix}_${randomBytes(24).toString("base64url")}`;
  const row = await db.$transaction(async (tx) => {
    const created = await tx.apiKey.create({
      data: { workspaceId: actor.workspaceId, name, prefix, hash: sha256(key).toString("hex"), scopes: [...new Set(scopes)], createdById: actor.userId },
    });
    await recordAudit(tx, {
      workspaceId: actor.workspaceId,
      actorId: actor.userId,
      action: "apikey.created",
      targetType: "apikey",
      targetId: created.id,
      data: { name, scopes, prefix },
    });
    return created;
  });
  return { id: row.id, name, prefix, scopes: row.scopes, key };
}

export async function listApiKeys({ db, workspaceId }: WorkspaceContext) {
  return db.apiKey.findMany({
    where: { workspaceId },
    orderBy: { createdAt: "desc" },
    select: { id: true, name: true, prefix: true, scopes: true, lastUsedAt: true, revokedAt: true, createdAt: true },
  });
}

export async function revokeApiKey(actor: ServiceContext, keyId: string) {
  return actor.db.$transaction(async (tx) => {
    const { count } = await tx.apiKey.updateMany({ where: { id: keyId, workspaceId: actor.workspaceId, revokedAt: null }, data: { revokedAt: new Date() } });
    if (!count) throw new NotFoundError("API key");
    await recordAudit(tx, { workspaceId: actor.workspaceId, actorId: actor.userId, action: "apikey.revoked", targetType: "apikey", targetId: keyId });
    return { revoked: true };
  });
}

/** How often a key's "last used" time is written. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * The key's workspace and scopes, or null for a missing, malformed, wrong or revoked key. A key
 * acts for its creator, so it acts only while the creator still may make keys there: a
 * creator who was removed from the workspace, demoted below that role or disabled by a site
 * admin leaves a key that is refused (AppError FORBIDDEN, saying why), checked on every call.
 * The key, its creator and their membership are read in one statement: every REST request
 * makes this check, and two reads through Prisma were 2.2 of a list request's 3.0 ms of CPU.
 */
export async function authenticateApiKey({ db }: DbContext, key: string | null) {
  const match = key ? /^aura_([0-9a-f]{12})_[A-Za-z0-9_-]{20,}$/.exec(key) : null;
  if (!match) return null;
  const [row] = await db.$queryRaw<
    {
      id: string;
      workspaceId: string;
      hash: string;
      scopes: string[];
      createdById: string | null;
      lastUsedAt: Date | null;
      revokedAt: Date | null;
      creatorFound: boolean;
      creatorDisabled: boolean;
      role: Role | null;
    }[]
  >`
    SELECT k.id, k."workspaceId", k.hash, k.scopes, k."createdById", k."lastUsedAt", k."revokedAt",
      u.id IS NOT NULL AS "creatorFound", u."disabledAt" IS NOT NULL AS "creatorDisabled", m.role::text AS role
    FROM "ApiKey" k
    LEFT JOIN "User" u ON u.id = k."createdById"
    LEFT JOIN "Membership" m ON m."userId" = k."createdById" AND m."workspaceId" = k."workspaceId"
    WHERE k.prefix = ${match[1]!}`;
  if (!row || row.revokedAt) return null;
  const expected = Buffer.from(row.hash, "hex");
  if (!timingSafeEqual(expected, sha256(key!))) return null;
  if (!row.creatorFound) throw new ForbiddenError("This API key's creator no longer exists: make a new key");
  if (row.creatorDisabled) throw new ForbiddenError("This API key's creator has been disabled: make a new key");
  const role = row.role;
  if (!role) throw new ForbiddenError("This API key's creator is no longer a member of its workspace: make a new key");
  if (!can(role, KEY_PERMISSION)) throw new ForbiddenError(`This API key's creator (now ${role}) may no longer make API keys: make a new key`);
  // "Last used" to the minute: a key making 400 requests a second wrote its one row 400 times
  // a second (bench/load.ts measured the list's throughput held to about 100 a second by it).
  if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS)
    await db.apiKey.updateMany({
      where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(Date.now() - LAST_USED_RESOLUTION_MS) } }] },
      data: { lastUsedAt: new Date() },
    });
  return { keyId: row.id, workspaceId: row.workspaceId, scopes: row.scopes as ApiScope[], userId: row.createdById!, role };
}
