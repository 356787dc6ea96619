// The audit log: who did what, when. Always written with the transaction client of the
// change it records, so a change and its entry are committed (or rolled back) together.
import type { Db, Prisma } from "../db/client.ts";
import type { DbContext } from "../lib/service-context.ts";

type Tx = Pick<Db, "auditLog">;

export type AuditEntry = {
  workspaceId: string | null;
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  data?: Record<string, unknown>;
};

export function recordAudit(tx: Tx, entry: AuditEntry) {
  return tx.auditLog.create({
    data: {
      workspaceId: entry.workspaceId,
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType ?? null,
      targetId: entry.targetId ?? null,
      data: (entry.data ?? {}) as Prisma.InputJsonValue,
    },
  });
}

/** A workspace's entries (its admins), or every entry (site admins: workspaceId undefined). */
export async function listAudit({ db }: DbContext, options: { workspaceId?: string; limit?: number; before?: bigint }) {
  const rows = await db.auditLog.findMany({
    where: { ...(options.workspaceId !== undefined ? { workspaceId: options.workspaceId } : {}), ...(options.before ? { id: { lt: options.before } } : {}) },
    orderBy: { id: "desc" },
    take: Math.min(options.limit ?? 50, 200),
  });
  const actorIds = [...new Set(rows.map((r) => r.actorId).filter((a): a is string => Boolean(a)))];
  const actors = new Map((await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, email: true } })).map((u) => [u.id, u.email]));
  return rows.map((r) => ({
    id: r.id.toString(),
    workspaceId: r.workspaceId,
    actor: r.actorId ? (actors.get(r.actorId) ?? r.actorId) : null,
    action: r.action,
    targetType: r.targetType,
    targetId: r.targetId,
    data: r.data,
    createdAt: r.createdAt,
  }));
}
