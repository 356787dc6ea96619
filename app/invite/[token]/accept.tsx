"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { ErrorLine } from "../../_components/error-line";
import { useTRPC } from "../../_components/trpc";

export function AcceptInvitation({ token }: { token: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const accept = useMutation(
    trpc.workspaces.accept.mutationOptions({
      onSuccess() {
        void queryClient.invalidateQueries();
        router.push("/videos");
        router.refresh();
      },
    }),
  );
  return (
    <div className="space-y-2">
      <button
        type="button"
        disabled={accept.isPending}
        onClick={() => accept.mutate({ token })}
        className="rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white disabled:opacity-50"
      >
        Accept and open the workspace
      </button>
      <ErrorLine error={accept.error} />
    </div>
  );
}
