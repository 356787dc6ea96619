import { can } from "@/server/auth/permissions";
import { requireWorkspace } from "@/server/auth/session";
import { ProviderSettings } from "./provider-settings";
import { SpendLimit } from "./spend-limit";

export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const { workspace, role } = await requireWorkspace();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Providers</h1>
        <p className="text-sm text-slate-600">
          Which services write, narrate and illustrate videos in <strong>{workspace.name}</strong>. Each capability tries its providers in order (online, then
          local) and always ends with the built-in offline one, so a job finishes even when a service fails.
        </p>
      </div>
      {can(role, "settings.manage") ? (
        <>
          <SpendLimit />
          <ProviderSettings />
        </>
      ) : (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm">
          Only the workspace&apos;s admins and owner can change provider settings. Your role is {role}.
        </p>
      )}
    </div>
  );
}
