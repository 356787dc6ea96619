// The badge of a video made worse than its workspace asked for (server/videos/degraded.ts): on
// the offline chain, or after a configured provider failed. It names each reason in plain words
// and links to Providers, where it can be fixed. Nothing is shown for a video without any.
import Link from "next/link";

type Degradation = { stage: string; reason: string; fix: string };

/** `compact`: one line for a library card (the first reason, and how many more); else every
 *  reason with what to do. */
export function DegradedBadge({ degraded, compact }: { degraded: Degradation[]; compact?: boolean }) {
  const first = degraded[0];
  if (!first) return null;
  if (compact)
    return (
      <p className="rounded bg-amber-50 px-2 py-1 text-xs text-amber-900" data-testid="degraded-badge">
        <span className="font-semibold">Made with fallbacks:</span> {first.reason}
        {degraded.length > 1 ? ` (and ${degraded.length - 1} more)` : ""}.{" "}
        <Link href="/settings#providers" className="font-medium text-sky-800 underline" data-testid="degraded-fix">
          Open provider settings
        </Link>
      </p>
    );
  return (
    <div className="rounded-md border border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900" data-testid="degraded-badge">
      <p className="font-semibold">Made with fallbacks: this video could look and sound better.</p>
      <ul className="mt-1 list-disc space-y-0.5 pl-5">
        {degraded.map((d) => (
          <li key={d.stage} data-testid="degraded-reason">
            {d.reason}. {d.fix}
          </li>
        ))}
      </ul>
      <Link href="/settings#providers" className="mt-1 inline-block font-medium text-sky-800 underline" data-testid="degraded-fix">
        Open provider settings
      </Link>
    </div>
  );
}
