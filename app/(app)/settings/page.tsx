import { can } from "@/server/auth/permissions";
import { requireWorkspace } from "@/server/auth/session";
import { BrandKitSettings } from "./brand-kit-settings";
import { ProviderSettings } from "./provider-settings";
import { SpendLimit } from "./spend-limit";

export const dynamic = "force-dynamic";

export default async function SettingsPage() {
  const { workspace, role } = await requireWorkspace();
  return (
    <div className="space-y-6">
      <div id="providers" className="scroll-mt-4">
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
      <section id="brand-kit" className="space-y-3" aria-labelledby="brand-kit-heading">
        <div>
          <h2 id="brand-kit-heading" className="text-xl font-bold tracking-tight">
            Brand kit
          </h2>
          <p className="text-sm text-slate-600">
            The logo, colours, caption font, intro and outro and music that new videos of <strong>{workspace.name}</strong> use. Each brief may leave the kit
            out, or keep its own music or no logo.
          </p>
        </div>
        <BrandKitSettings canEdit={can(role, "brand.manage")} />
      </section>
    </div>
  );
}
