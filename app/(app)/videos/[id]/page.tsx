import { notFound } from "next/navigation";
import { can } from "@/server/auth/permissions";
import { requireWorkspace } from "@/server/auth/session";
import { getVideoDetail, type VideoDetail } from "@/server/videos/queries";
import { captionsTrackOf, expectsPreview } from "@/server/videos/brief";
import { NotFoundError } from "@/server/lib/errors";
import { RETRYABLE_STATUSES } from "@/server/videos/service";
import { DataTable } from "../../../_components/data-table";
import { DegradedBadge } from "../../../_components/degraded-badge";
import { formatDuration, STATUS_STYLES } from "../../../_components/format";
import { Player } from "../../../_components/player";
import { SCRIPT_REVIEWED_EVENT } from "@/server/workflow/queue";
import { spokenVoices } from "@/server/pipeline/narration/spoken-voice";
import { JobProgress } from "./job-progress";
import { LivePreview } from "./live-preview";
import { QualityPanel } from "./quality-panel";
import { SceneEditor } from "./scene-editor";
import { ShotList } from "./shots";
import { SharePanel } from "./share-panel";
import { TagEditor } from "./tag-editor";
import { ScriptReview } from "./script-review";

export const dynamic = "force-dynamic";

export default async function VideoPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { db, workspace, role } = await requireWorkspace();
  const video = await getVideoDetail({ db, workspaceId: workspace.id }, id).catch((error) => {
    if (error instanceof NotFoundError) notFound();
    throw error;
  });
  const portrait = (video.height ?? 0) > (video.width ?? 1);
  // Which voice spoke, from the narration steps' outputs (the job is the workspace's own).
  const voices = spokenVoices(
    video.job ? await db.jobStep.findMany({ where: { jobId: video.job.id, stage: "narration" }, select: { stepId: true, stage: true, output: true } }) : [],
  );
  // The job's newest event as this render saw it: the live panel refreshes the page only for
  // later ones, and streams again when a refresh shows a run its closed stream did not bring.
  const latestEvent = video.job ? await db.jobEvent.findFirst({ where: { jobId: video.job.id }, orderBy: { id: "desc" }, select: { id: true } }) : null;
  // A ready video's scenes are edited into a new run; an ended job's, into its next Retry.
  const editable = can(role, "video.edit") && ["succeeded", ...RETRYABLE_STATUSES].includes(video.job?.status ?? "");
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold tracking-tight" data-testid="video-title">
          {video.title}
        </h1>
        <div className="mt-1 flex items-center gap-3 text-sm text-slate-600">
          <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLES[video.status] ?? ""}`}>{video.status}</span>
          <span>{formatDuration(video.durationSec)}</span>
          {video.width ? (
            <span>
              {video.width}×{video.height}
            </span>
          ) : null}
          {voices.video ? <span data-testid="spoken-voice">Voice: {voices.video}</span> : null}
        </div>
        <DegradedBadge degraded={video.degraded} />
        {can(role, "video.edit") ? (
          <TagEditor videoId={video.id} tags={video.tags} />
        ) : video.tags.length ? (
          <p className="text-sm text-slate-600">{video.tags.map((t) => `#${t}`).join(" ")}</p>
        ) : null}
      </div>

      {video.shortened ? (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900" data-testid="shortened-notice">
          {video.shortened.notice}
        </p>
      ) : null}

      {/* Keys unique among this page's parts: the preview once shared the live panel's key, and
          React, matching the refreshed page's parts by key, left the preview on the page when the
          job ended. */}
      {video.job?.status === "running" ? (
        <LivePreview key={`${video.job.id}-preview`} videoId={video.id} jobId={video.job.id} announced={expectsPreview(video.brief)} />
      ) : null}

      {video.videoUrl ? (
        <div className="space-y-3">
          <Player
            src={video.videoUrl}
            poster={video.posterUrl}
            vtt={video.captions.vtt}
            track={captionsTrackOf(video.brief)}
            portrait={portrait}
            chapters={video.chapters}
            testId="player"
          />
          <a
            href={`${video.videoUrl}?download=1`}
            className="inline-block rounded-md bg-slate-900 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700"
            data-testid="download"
          >
            Download video
          </a>
          {video.captions.srt ? (
            <a href={`${video.captions.srt}?download=1`} className="ml-3 text-sm text-sky-700 underline" data-testid="download-srt">
              Captions (.srt)
            </a>
          ) : null}
          {video.captions.vtt ? (
            <a href={`${video.captions.vtt}?download=1`} className="ml-3 text-sm text-sky-700 underline" data-testid="download-vtt">
              Captions (.vtt)
            </a>
          ) : null}
          {can(role, "share.manage") ? <SharePanel videoId={video.id} /> : null}
          {video.quality ? <QualityPanel report={video.quality} /> : null}
        </div>
      ) : null}

      {video.job ? (
        <JobProgress
          key={video.job.id}
          jobId={video.job.id}
          canCancel={can(role, "job.cancel")}
          canRetry={can(role, "job.retry")}
          videoStatus={video.status}
          latestEventId={latestEvent ? String(latestEvent.id) : null}
        />
      ) : null}

      {video.job?.status === "waiting" && video.job.waitingFor === SCRIPT_REVIEWED_EVENT && video.scenes.length ? (
        <ScriptReview
          key={`${video.job.id}-review`}
          jobId={video.job.id}
          videoId={video.id}
          scenes={video.scenes}
          canReview={can(role, "script.review")}
          until={video.job.waitUntil?.toISOString() ?? null}
        />
      ) : null}

      {video.job?.steps.length ? (
        <section className="rounded-lg border border-slate-200 bg-white p-5 shadow-sm">
          <h2 className="mb-3 font-semibold">Stage timeline</h2>
          <DataTable
            data-testid="step-table"
            rows={video.job.steps}
            rowKey={(s) => s.stepId}
            rowTestId={(s) => `step-${s.stepId}`}
            columns={[
              { header: "Step", headerClassName: "py-1", className: "py-1 font-mono text-xs", cell: (s) => s.stepId },
              { header: "Status", cell: (s) => s.status },
              {
                header: "Attempts",
                cell: (s) =>
                  s.history.length > 1 ? (
                    <details>
                      <summary className="cursor-pointer">{s.attempts}</summary>
                      <ul className="text-xs text-slate-600">
                        {s.history.map((a) => (
                          <li key={`${a.attempt}-${String(a.startedAt)}`}>
                            #{a.attempt} {a.status} · {(a.durationMs / 1000).toFixed(2)} s{a.provider ? ` · ${a.provider}` : ""}
                            {a.error ? ` · ${a.error}` : ""}
                          </li>
                        ))}
                      </ul>
                    </details>
                  ) : (
                    s.attempts
                  ),
              },
              {
                header: "Provider",
                cellTestId: (s) => `provider-${s.stepId}`,
                cell: (s) => <StepProvider step={s} voice={voices.video ? undefined : voices.byStep.get(s.stepId)} />,
              },
              { header: "Error", className: "max-w-xs truncate text-xs text-red-700", title: (s) => s.error ?? undefined, cell: (s) => s.error ?? "" },
              {
                header: "Duration",
                headerClassName: "text-right",
                className: "text-right tabular-nums",
                cell: (s) => (s.durationMs != null ? `${(s.durationMs / 1000).toFixed(2)} s` : "—"),
              },
            ]}
          />
          <p className="mt-2 text-xs text-slate-500">Correlation id: {video.job.correlationId}</p>
        </section>
      ) : null}

      {video.scenes.length ? (
        <section>
          <h2 className="mb-1 font-semibold">Script</h2>
          <p className="mb-3 text-xs text-slate-500" data-testid="script-meta">
            Written by {video.writer}
            {video.pace ? ` · reading grade ${video.pace.readingGrade} · spoken at ${video.pace.wpm} words a minute` : ""}
          </p>
          {/* Long words (a credit, a query) wrap inside the narrow shot column on a phone. */}
          <ol className="space-y-3 [overflow-wrap:anywhere]" data-testid="scenes">
            {video.scenes.map((s, i) => (
              <li key={s.id} className="flex gap-4 rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
                <div className="w-40 shrink-0">
                  {s.thumbnailUrl ? (
                    <img src={s.thumbnailUrl} alt={`Scene ${i + 1}`} className="w-full rounded" data-testid={`scene-thumb-${i}`} />
                  ) : (
                    <div className="aspect-video rounded bg-slate-100" />
                  )}
                </div>
                <div className="space-y-1">
                  <div className="text-xs uppercase tracking-wide text-slate-500">
                    Scene {i + 1} · {s.role}
                  </div>
                  <h3 className="font-semibold">{s.title}</h3>
                  <p className="text-sm text-slate-700">{s.narration}</p>
                  <p className="text-xs text-slate-500">
                    Visual: {s.visualPrompt}
                    {s.mood ? ` · mood: ${s.mood}` : ""}
                  </p>
                  <ShotList shots={s.shots} scene={i} />
                  {s.inset ? (
                    <p className="text-xs text-slate-500" data-testid={`inset-${i}`}>
                      Picture in picture: scene {video.scenes.findIndex((o) => o.id === s.inset!.sceneId) + 1}&apos;s picture,{" "}
                      {s.inset.position.replace("-", " ")}
                    </p>
                  ) : null}
                  {editable ? (
                    <SceneEditor videoId={video.id} scene={s} index={i} scenes={video.scenes} beforeRetry={video.job?.status !== "succeeded"} />
                  ) : null}
                </div>
              </li>
            ))}
          </ol>
          {video.sources.length ? (
            <div className="mt-4 rounded-lg border border-slate-200 bg-white p-4" data-testid="script-sources">
              <h3 className="mb-2 text-sm font-semibold">Written with these passages from the workspace&apos;s documents</h3>
              <ol className="space-y-2 text-sm">
                {video.sources.map((src) => (
                  <li key={`${src.documentId}-${src.chunk}`}>
                    <div className="text-xs text-slate-500">
                      {src.document} · passage {src.chunk + 1}
                    </div>
                    <p className="whitespace-pre-line text-slate-700">{src.excerpt}</p>
                  </li>
                ))}
              </ol>
            </div>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

/** The provider cell of a step: who answered (for a narration step whose voice differs from
 *  other scenes', which voice), whom it fell back from, the picture's credit, and for a render
 *  in segments how many pieces came from the cache. */
function StepProvider({ step: s, voice }: { step: NonNullable<VideoDetail["job"]>["steps"][number]; voice?: string | undefined }) {
  return (
    <>
      {s.provider ?? "—"}
      {voice ? (
        <div className="text-xs text-slate-500" data-testid={`voice-${s.stepId}`}>
          {voice}
        </div>
      ) : null}
      {s.fallbacks.length ? (
        <details className="text-xs text-amber-700">
          <summary className="cursor-pointer">fell back from {s.fallbacks.map((f) => f.provider).join(", ")}</summary>
          <ul>
            {s.fallbacks.map((f) => (
              <li key={f.provider}>
                {f.provider}: {f.reason}
              </li>
            ))}
          </ul>
          <ul className="text-slate-600">
            {s.calls.map((c, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: the calls of one step, in the order made; the list only grows
              <li key={i}>
                {c.provider} {c.ok ? "ok" : (c.kind ?? "failed")} · {c.ms} ms
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      {s.credit ? <div className="text-xs text-slate-500">{s.credit}</div> : null}
      {s.segments ? (
        <div className="text-xs text-slate-500" data-testid={`segments-${s.stepId}`}>
          {s.segments.cached} of {s.segments.total} pieces reused
        </div>
      ) : null}
    </>
  );
}
