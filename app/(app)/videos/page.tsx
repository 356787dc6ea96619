import Link from "next/link";
import { languageInfo } from "@aura/render-contract";
import { can } from "@/server/auth/permissions";
import { VideoStatus } from "@/server/db/generated/enums";
import { requireWorkspace } from "@/server/auth/session";
import { listVideos, VIDEO_SORTS, videoFilterSchema } from "@/server/videos/queries";
import { getSetupChecklist } from "@/server/providers/setup";
import { DegradedBadge } from "../../_components/degraded-badge";
import { ErrorLine } from "../../_components/error-line";
import { SetupChecklist } from "../../_components/setup-checklist";
import { formatDuration, STATUS_STYLES } from "../../_components/format";
import { inputClass } from "../../_components/field";
import { QuickDemoButton } from "./quick-demo-button";

export const dynamic = "force-dynamic";

// No video is ever a draft (each is created queued, with its job): the filter leaves it out.
const STATUSES = Object.values(VideoStatus).filter((s) => s !== VideoStatus.draft);

export default async function LibraryPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const { db, workspace, role, user } = await requireWorkspace();
  const params = await searchParams;
  const parsed = videoFilterSchema.safeParse(params);
  const filter = parsed.success ? parsed.data : { sort: "newest" as const };
  const [videos, members, setup] = await Promise.all([
    listVideos({ db, workspaceId: workspace.id }, filter),
    db.membership.findMany({ where: { workspaceId: workspace.id }, include: { user: { select: { id: true, name: true, email: true } } } }),
    getSetupChecklist({ db, workspaceId: workspace.id, userId: user.id }),
  ]);
  const filtered = Boolean(params.q || params.status || params.creator || params.tag || params.from || params.to);
  return (
    <div>
      <div className="mb-6 flex items-center justify-between">
        <h1 className="text-2xl font-bold tracking-tight">Library</h1>
        <div className="flex items-center gap-3">
          {can(role, "video.create") ? <QuickDemoButton /> : null}
          <Link href="/videos/new" className="rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700">
            New video
          </Link>
        </div>
      </div>
      {setup ? <SetupChecklist lines={setup.lines} /> : null}
      <form
        method="get"
        className="mb-6 grid gap-2 rounded-lg border border-slate-200 bg-white p-4 text-sm sm:grid-cols-4 lg:grid-cols-8"
        data-testid="library-filters"
      >
        <label className="sm:col-span-2">
          <span className="sr-only">Search</span>
          <input name="q" defaultValue={params.q ?? ""} placeholder="Search title, topic or tag" className={inputClass} />
        </label>
        <label>
          <span className="sr-only">Status</span>
          <select name="status" defaultValue={params.status ?? ""} className={inputClass} aria-label="Status">
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          <span className="sr-only">Creator</span>
          <select name="creator" defaultValue={params.creator ?? ""} className={inputClass} aria-label="Creator">
            <option value="">Anyone</option>
            {members.map((m) => (
              <option key={m.userId} value={m.userId}>
                {m.user.name ?? m.user.email}
              </option>
            ))}
          </select>
        </label>
        <input name="tag" defaultValue={params.tag ?? ""} placeholder="Tag" aria-label="Tag" className={inputClass} />
        <input name="from" type="date" defaultValue={params.from ?? ""} aria-label="From" className={inputClass} />
        <input name="to" type="date" defaultValue={params.to ?? ""} aria-label="To" className={inputClass} />
        <select name="sort" defaultValue={params.sort ?? "newest"} className={inputClass} aria-label="Sort">
          {VIDEO_SORTS.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <div className="flex gap-2 sm:col-span-4 lg:col-span-8">
          <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-semibold text-white">
            Apply
          </button>
          {filtered ? (
            <Link href="/videos" className="px-3 py-1.5 text-sky-700 underline">
              Clear
            </Link>
          ) : null}
          {!parsed.success ? <ErrorLine inline>{parsed.error.issues.map((i) => i.message).join("; ")}</ErrorLine> : null}
        </div>
      </form>
      {videos.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-10 text-center text-slate-600">
          {filtered ? (
            "No video matches these filters."
          ) : (
            <>
              No videos yet.{" "}
              <Link href="/videos/new" className="font-medium text-sky-700 hover:underline">
                Write your first brief
              </Link>
              .
            </>
          )}
        </p>
      ) : (
        <ul className="grid gap-5 sm:grid-cols-2 lg:grid-cols-3" data-testid="library">
          {videos.map((v) => (
            <li key={v.id} className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
              <Link href={`/videos/${v.id}`} className="block" data-testid="library-item">
                <div className="aspect-video bg-slate-200">
                  {v.thumbnailUrl ? <img src={v.thumbnailUrl} alt="" className="h-full w-full object-cover" /> : null}
                </div>
                <div className="space-y-1 p-4">
                  <h2 className="line-clamp-2 font-semibold">{v.title}</h2>
                  <div className="flex flex-wrap items-center gap-3 text-sm text-slate-600">
                    <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[v.status] ?? ""}`}>{v.status}</span>
                    <span>{formatDuration(v.durationSec)}</span>
                    <time dateTime={v.createdAt.toISOString()}>{v.createdAt.toISOString().slice(0, 10)}</time>
                    <span>by {v.creator}</span>
                    {v.language !== "en" ? (
                      <span
                        className="rounded bg-sky-50 px-1.5 py-0.5 text-xs font-medium text-sky-800"
                        title={languageInfo(v.language)?.name}
                        data-testid="library-language"
                      >
                        {languageInfo(v.language)?.nativeName}
                      </span>
                    ) : null}
                  </div>
                  {v.tags.length ? (
                    <div className="flex flex-wrap gap-1">
                      {v.tags.map((t) => (
                        <span key={t} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
                          #{t}
                        </span>
                      ))}
                    </div>
                  ) : null}
                </div>
              </Link>
              {/* Beside the card's link, not in it: the badge has its own link to Providers. */}
              {v.degraded.length ? (
                <div className="px-4 pb-4">
                  <DegradedBadge degraded={v.degraded} compact />
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
