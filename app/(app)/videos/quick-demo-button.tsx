"use client";
// Quick Demo: one click makes a short video from a known-good script (a first run, and a
// check that the workspace's voice, picture and render stages work end to end).
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { ErrorLine } from "../../_components/error-line";
import { useTRPC } from "../../_components/trpc";

export function QuickDemoButton() {
  const trpc = useTRPC();
  const router = useRouter();
  const demo = useMutation(trpc.videos.createDemo.mutationOptions({ onSuccess: ({ videoId }) => router.push(`/videos/${videoId}`) }));
  return (
    <span className="flex items-center gap-2">
      <button
        type="button"
        data-testid="quick-demo"
        disabled={demo.isPending}
        onClick={() => demo.mutate()}
        className="rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold hover:bg-slate-100 disabled:opacity-50"
      >
        Quick demo
      </button>
      <ErrorLine error={demo.error} inline />
    </span>
  );
}
