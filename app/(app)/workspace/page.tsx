import { can } from "@/server/auth/permissions";
import { requireWorkspace } from "@/server/auth/session";
import { AuditLog } from "./audit-log";
import { Automation } from "./automation";
import { TeamManager } from "./team-manager";
import { Usage } from "./usage";

export const dynamic = "force-dynamic";

export default async function WorkspacePage() {
  const { user, workspace, role } = await requireWorkspace();
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-bold tracking-tight" data-testid="workspace-name">
          {workspace.name}
        </h1>
        <p className="text-sm text-slate-600">
          Your role here: <strong data-testid="my-role">{role}</strong>. Everyone in a workspace sees its videos; editors make and change them, admins manage
          members and providers, the owner can also transfer or delete the workspace.
        </p>
      </div>
      <TeamManager
        userId={user.id}
        role={role}
        personal={workspace.personal}
        workspaceName={workspace.name}
        canManage={can(role, "members.manage")}
        canRename={can(role, "workspace.rename")}
      />
      {can(role, "usage.view") ? <Usage /> : null}
      {can(role, "automation.manage") ? <Automation /> : null}
      {can(role, "audit.view") ? <AuditLog /> : null}
    </div>
  );
}
