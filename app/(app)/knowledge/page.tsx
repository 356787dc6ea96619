import { can } from "@/server/auth/permissions";
import { requireWorkspace } from "@/server/auth/session";
import { KnowledgeManager } from "./knowledge-manager";

export const dynamic = "force-dynamic";

export default async function KnowledgePage() {
  const { role } = await requireWorkspace();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight">Knowledge</h1>
        <p className="text-sm text-slate-600">
          Reference documents for this workspace&apos;s scripts. Each brief&apos;s topic finds the most relevant passages, which go to the script writer and are
          listed with the script. Passages are ranked by keywords, and also by meaning when an embedding provider is set up under Providers.
        </p>
      </div>
      <KnowledgeManager canManage={can(role, "knowledge.manage")} />
    </div>
  );
}
