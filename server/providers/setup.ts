// The library's setup checklist for a new workspace: connect a script writer, a voice and a
// picture source. Each line's state comes from the workspace's provider settings and their last
// health check: connected and healthy, connected but not yet checked, connected but failing, or
// the built-in offline provider in use. A member may close it; it is gone once all three work.
import { getEnv } from "../env.ts";
import type { ServiceContext } from "../lib/service-context.ts";
import { plainReason, providerName } from "../lib/plain-errors.ts";
import { type Capability, providerInfo } from "./catalog.ts";

export const SETUP_CAPABILITIES = ["script", "voice", "visuals"] as const satisfies readonly Capability[];
export type SetupState = "healthy" | "unchecked" | "failing" | "offline";

const LINES: Record<(typeof SETUP_CAPABILITIES)[number], { label: string; builtIn: string }> = {
  script: { label: "Connect a script writer", builtIn: "the built-in offline writer" },
  voice: { label: "Connect a voice", builtIn: "the built-in offline voice" },
  visuals: { label: "Connect a picture source", builtIn: "the built-in illustrations" },
};

export type SetupLine = { capability: Capability; label: string; state: SetupState; detail: string; href: string };

type Row = { capability: string; provider: string; healthStatus: string | null; healthError: string | null };

/** One line's state from the capability's enabled settings (in the chain's order). */
export function setupLine(capability: (typeof SETUP_CAPABILITIES)[number], rows: Row[], offlineMode: boolean): SetupLine {
  const { label, builtIn } = LINES[capability];
  const href = `/settings#providers-${capability}`;
  const mine = rows.filter((r) => r.capability === capability && providerInfo(capability, r.provider));
  if (offlineMode) return { capability, label, state: "offline", detail: `Offline mode is on: ${builtIn} is used.`, href };
  if (!mine.length) return { capability, label, state: "offline", detail: `Nothing connected yet: ${builtIn} is used.`, href };
  const healthy = mine.find((r) => r.healthStatus === "up");
  if (healthy) return { capability, label, state: "healthy", detail: `${providerName(healthy.provider)} is connected and answered its last check.`, href };
  const unchecked = mine.find((r) => !r.healthStatus);
  if (unchecked) return { capability, label, state: "unchecked", detail: `${providerName(unchecked.provider)} is connected; not checked yet.`, href };
  const failing = mine[0]!;
  return {
    capability,
    label,
    state: "failing",
    detail: `${providerName(failing.provider)} is connected but failing: ${plainReason(failing.healthError ?? "down", failing.provider)} Until it works, ${builtIn} is used.`,
    href,
  };
}

/** The checklist a member sees on the library page, or null when it is closed or all done. */
export async function getSetupChecklist({ db, workspaceId, userId }: ServiceContext) {
  const [workspace, membership, rows] = await Promise.all([
    db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { offlineMode: true } }),
    db.membership.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, select: { setupDismissedAt: true } }),
    db.providerSetting.findMany({
      where: { workspaceId, enabled: true, capability: { in: [...SETUP_CAPABILITIES] } },
      orderBy: [{ priority: "asc" }, { provider: "asc" }],
      select: { capability: true, provider: true, healthStatus: true, healthError: true },
    }),
  ]);
  const offline = workspace.offlineMode || getEnv().AURA_OFFLINE === "1";
  const lines = SETUP_CAPABILITIES.map((c) => setupLine(c, rows, offline));
  const done = lines.every((l) => l.state === "healthy" || l.state === "unchecked");
  return membership?.setupDismissedAt || done ? null : { lines };
}

/** Closes the checklist for this member in this workspace. */
export async function dismissSetupChecklist({ db, workspaceId, userId }: ServiceContext) {
  await db.membership.update({ where: { workspaceId_userId: { workspaceId, userId } }, data: { setupDismissedAt: new Date() } });
  return { dismissed: true };
}
