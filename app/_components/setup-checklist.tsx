"use client";
// The library's setup checklist for a new workspace (server/providers/setup.ts): connect a
// script writer, a voice and a picture source, each with its state and a link to its part of
// Providers. Closing it hides it for this member in this workspace.
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { ErrorLine } from "./error-line";
import { useTRPC } from "./trpc";

type Line = { capability: string; label: string; state: "healthy" | "unchecked" | "failing" | "offline"; detail: string; href: string };

const STATE: Record<Line["state"], { text: string; className: string; mark: string }> = {
  healthy: { text: "Working", className: "bg-emerald-50 text-emerald-800", mark: "✓" },
  unchecked: { text: "Connected", className: "bg-emerald-50 text-emerald-800", mark: "✓" },
  failing: { text: "Failing", className: "bg-red-50 text-red-800", mark: "!" },
  offline: { text: "Offline fallback in use", className: "bg-amber-50 text-amber-900", mark: "○" },
};

export function SetupChecklist({ lines }: { lines: Line[] }) {
  const trpc = useTRPC();
  const router = useRouter();
  const dismiss = useMutation(trpc.providers.dismissSetup.mutationOptions({ onSuccess: () => router.refresh() }));
  return (
    <section className="mb-6 rounded-lg border border-sky-200 bg-white p-5 text-sm" aria-labelledby="setup-heading" data-testid="setup-checklist">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 id="setup-heading" className="font-semibold">
            Get better videos
          </h2>
          <p className="text-slate-600">Aura works offline, but videos look and sound far better with these connected.</p>
        </div>
        <button type="button" className="text-slate-600 underline" onClick={() => dismiss.mutate()} disabled={dismiss.isPending} data-testid="setup-dismiss">
          Hide this list
        </button>
      </div>
      <ul className="mt-3 space-y-2">
        {lines.map((l) => (
          <li key={l.capability} className="flex flex-wrap items-baseline gap-x-3 gap-y-1" data-testid={`setup-${l.capability}`} data-state={l.state}>
            <span aria-hidden="true" className="w-4 text-center font-bold">
              {STATE[l.state].mark}
            </span>
            <Link href={l.href} className="font-medium text-sky-700 underline">
              {l.label}
            </Link>
            <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATE[l.state].className}`}>{STATE[l.state].text}</span>
            <span className="min-w-0 basis-full pl-7 text-slate-600 sm:basis-auto sm:pl-0">{l.detail}</span>
          </li>
        ))}
      </ul>
      <ErrorLine error={dismiss.error} />
    </section>
  );
}
