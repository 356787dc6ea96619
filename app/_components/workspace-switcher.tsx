"use client";
// The header's workspace switcher: the user's workspaces, and the active one selected.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "./trpc";

export function WorkspaceSwitcher({ activeName }: { activeName: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const mine = useQuery(trpc.workspaces.mine.queryOptions());
  const switchTo = useMutation(
    trpc.workspaces.switch.mutationOptions({
      onSuccess() {
        // Everything cached belonged to the other workspace.
        void queryClient.invalidateQueries();
        router.push("/videos");
        router.refresh();
      },
    }),
  );
  if (!mine.data) return <span title="Workspace">{activeName}</span>;
  return (
    <label className="flex items-center gap-1">
      <span className="sr-only">Workspace</span>
      <select
        data-testid="workspace-switcher"
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
        value={mine.data.active}
        onChange={(e) => switchTo.mutate({ workspaceId: e.target.value })}
      >
        {mine.data.workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name} ({w.role})
          </option>
        ))}
      </select>
    </label>
  );
}
