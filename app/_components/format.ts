const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;

export function formatDuration(sec: number | null | undefined) {
  return sec == null ? "—" : clock(Math.round(sec));
}

/** A point in a video, as players show it: the second it falls in (7.9 s is 0:07). */
export const formatTimestamp = (sec: number) => clock(Math.floor(sec));

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
