export function formatDuration(sec: number | null | undefined) {
  if (sec == null) return "—";
  const s = Math.round(sec);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

export const STATUS_STYLES: Record<string, string> = {
  ready: "bg-emerald-100 text-emerald-800",
  succeeded: "bg-emerald-100 text-emerald-800",
  processing: "bg-sky-100 text-sky-800",
  running: "bg-sky-100 text-sky-800",
  queued: "bg-slate-100 text-slate-700",
  failed: "bg-red-100 text-red-800",
  cancelled: "bg-amber-100 text-amber-800",
  draft: "bg-slate-100 text-slate-700",
  review: "bg-amber-100 text-amber-800",
  waiting: "bg-amber-100 text-amber-800",
  expired: "bg-slate-200 text-slate-700",
};
