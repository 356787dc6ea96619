import Link from "next/link";
import { can } from "@/server/auth/permissions";
import { requireWorkspace } from "@/server/auth/session";
import { listVideos } from "@/server/videos/queries";
import { formatDuration, STATUS_STYLES } from "../../_components/format";
import { QuickDemoButton } from "./quick-demo-button";

export const dynamic = "force-dynamic";

export default async function LibraryPage() {
  const { db, workspace, role } = await requireWorkspace();
  const videos = await listVideos(db, workspace.id);
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
      {videos.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-10 text-center text-slate-600">
          No videos yet. <Link href="/videos/new" className="font-medium text-sky-700 hover:underline">Write your first brief</Link>.
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
                  <div className="flex items-center gap-3 text-sm text-slate-600">
                    <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[v.status] ?? ""}`}>{v.status}</span>
                    <span>{formatDuration(v.durationSec)}</span>
                    <time dateTime={v.createdAt.toISOString()}>{v.createdAt.toISOString().slice(0, 10)}</time>
                  </div>
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
