"use client";
// The workspace's media library: add files (several at once, each with its progress and, when
// refused, the reason), search names and tags, filter by kind, page through the thumbnails,
// and open one to see or play it, rename it, tag it or delete it.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { splitTags } from "@/server/lib/tags";
import { KIND_EXTENSIONS, KIND_WORDS, kindOfName, MEDIA_KINDS, type MediaKindName } from "@/server/library/kinds";
import { ErrorLine } from "../../_components/error-line";
import { inputClass } from "../../_components/field";
import { formatDuration } from "../../_components/format";
import { useTRPC } from "../../_components/trpc";

const PAGE_SIZE = 24;
const KIND_LABELS: Record<MediaKindName, string> = { image: "Picture", video: "Video", audio: "Audio" };
const KIND_STYLES: Record<MediaKindName, string> = {
  image: "bg-emerald-100 text-emerald-800",
  video: "bg-sky-100 text-sky-800",
  audio: "bg-violet-100 text-violet-800",
};
const ACCEPT = MEDIA_KINDS.flatMap((k) => KIND_EXTENSIONS[k].map((e) => `.${e}`)).join(",");

type Upload = { id: number; name: string; state: "waiting" | "sending" | "checking" | "added" | "refused"; progress: number; message?: string };

const megabytes = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/** The server's refusal, in words naming the file: "notes.mp4: it is not a video file…". */
function refusalText(name: string, error: string) {
  const reason = error.replace(/^file: /, "");
  return reason.startsWith(name) ? reason : `${name}: ${reason}`;
}

/** Sends one file as the request body, reporting how much has gone; resolves with the refusal, if any. */
function sendFile(file: File, onProgress: (sent: number) => void): Promise<string | null> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/library?name=${encodeURIComponent(file.name)}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status === 201) return resolve(null);
      let message = `the upload failed (HTTP ${xhr.status})`;
      try {
        message = (JSON.parse(xhr.responseText) as { error?: string }).error ?? message;
      } catch {
        // Not JSON (a proxy's page): the status says enough.
      }
      resolve(refusalText(file.name, message));
    };
    xhr.onerror = () => resolve(`${file.name}: the connection was lost during the upload`);
    xhr.send(file);
  });
}

export function MediaLibrary({
  userId,
  canUpload,
  canDeleteAny,
  limitsMb,
}: {
  userId: string;
  canUpload: boolean;
  canDeleteAny: boolean;
  limitsMb: Record<MediaKindName, number>;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState("");
  const [search, setSearch] = useState("");
  const [kind, setKind] = useState<MediaKindName | "">("");
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<string | null>(null);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const busy = uploads.some((u) => u.state === "waiting" || u.state === "sending" || u.state === "checking");

  // Searching waits for a pause in typing, and starts again from the first page.
  useEffect(() => {
    const timer = setTimeout(() => {
      setSearch(query.trim());
      setPage(1);
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);

  const list = useQuery({ ...trpc.library.list.queryOptions({ q: search, kind: kind || null, page, pageSize: PAGE_SIZE }), placeholderData: keepPreviousData });
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.library.list.pathKey() });
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));
  const open = list.data?.items.find((i) => i.id === openId) ?? null;

  async function addFiles(files: File[]) {
    if (!files.length) return;
    const first = Date.now();
    const queued: Upload[] = files.map((f, i) => ({ id: first + i, name: f.name, state: "waiting", progress: 0 }));
    setUploads(queued);
    const change = (id: number, patch: Partial<Upload>) => setUploads((all) => all.map((u) => (u.id === id ? { ...u, ...patch } : u)));
    for (const [i, file] of files.entries()) {
      const id = queued[i]!.id;
      // The server checks again; these two are said at once, without sending the file.
      const fileKind = kindOfName(file.name);
      if (!fileKind) {
        change(id, { state: "refused", message: `${file.name}: only pictures, video clips and audio files can be added (${ACCEPT.replaceAll(",", ", ")})` });
        continue;
      }
      if (file.size > limitsMb[fileKind] * 1024 * 1024) {
        change(id, {
          state: "refused",
          message: `${file.name} is larger than the ${megabytes(limitsMb[fileKind] * 1024 * 1024)} limit for ${KIND_WORDS[fileKind]}`,
        });
        continue;
      }
      change(id, { state: "sending" });
      const refusal = await sendFile(file, (sent) => change(id, sent >= 1 ? { progress: 1, state: "checking" } : { progress: sent }));
      change(id, refusal ? { state: "refused", message: refusal } : { state: "added", progress: 1 });
      if (!refusal) await refresh();
    }
  }

  return (
    <div className="space-y-6">
      {canUpload ? (
        <section className="rounded-lg border border-slate-200 bg-white p-4 sm:p-5">
          <label className="block space-y-2 text-sm font-medium" htmlFor="media-files">
            <span>Add media</span>
            <span className="block font-normal text-slate-600">
              Pictures (PNG, JPEG, WebP, up to {limitsMb.image} MB), video clips (MP4, MOV, WebM, MKV, up to {limitsMb.video} MB) and audio (MP3, WAV, M4A, AAC,
              Ogg, Opus, FLAC, up to {limitsMb.audio} MB).
            </span>
            <input
              id="media-files"
              type="file"
              multiple
              accept={ACCEPT}
              disabled={busy}
              className="block w-full max-w-full text-sm"
              onChange={(e) => {
                const files = Array.from(e.target.files ?? []);
                e.target.value = "";
                void addFiles(files);
              }}
            />
          </label>
          {uploads.length ? (
            <ul className="mt-3 space-y-1 text-sm" data-testid="upload-status" aria-live="polite">
              {uploads.map((u) => (
                <li key={u.id} className="break-words">
                  {u.state === "refused" ? (
                    <ErrorLine inline>{u.message}</ErrorLine>
                  ) : (
                    <span className="text-slate-700">
                      {u.name}:{" "}
                      {u.state === "waiting"
                        ? "waiting"
                        : u.state === "sending"
                          ? `sending ${Math.round(u.progress * 100)}%`
                          : u.state === "checking"
                            ? "checking and making a thumbnail…"
                            : "added"}
                    </span>
                  )}
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}

      <section className="space-y-4">
        <div className="flex flex-col gap-2 sm:flex-row">
          <label className="flex-1">
            <span className="sr-only">Search media</span>
            <input className={inputClass} type="search" placeholder="Search names and tags" value={query} onChange={(e) => setQuery(e.target.value)} />
          </label>
          <label>
            <span className="sr-only">Kind</span>
            <select
              className={inputClass}
              aria-label="Kind"
              value={kind}
              onChange={(e) => {
                setKind(e.target.value as MediaKindName | "");
                setPage(1);
              }}
            >
              <option value="">All kinds</option>
              {MEDIA_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}s
                </option>
              ))}
            </select>
          </label>
        </div>
        <ErrorLine error={list.error} />
        {list.data && !list.data.items.length ? (
          <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-600">
            {search || kind ? "Nothing matches this search." : "No media yet."}
          </p>
        ) : null}
        <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" data-testid="media-grid">
          {list.data?.items.map((item) => (
            <li key={item.id} className="min-w-0 overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
              <button
                type="button"
                className="block w-full text-left"
                onClick={() => setOpenId(item.id)}
                data-testid="media-item"
                aria-label={`Open ${item.name}`}
              >
                <div className="relative aspect-video bg-slate-200">
                  <img src={item.thumbnailUrl} alt="" className="h-full w-full object-cover" data-testid="media-thumbnail" />
                  <span className={`absolute left-1.5 top-1.5 rounded px-1.5 py-0.5 text-xs font-medium ${KIND_STYLES[item.kind]}`}>
                    {KIND_LABELS[item.kind]}
                  </span>
                  {item.durationSec !== null ? (
                    <span className="absolute bottom-1.5 right-1.5 rounded bg-black/70 px-1.5 py-0.5 text-xs text-white">
                      {formatDuration(item.durationSec)}
                    </span>
                  ) : null}
                </div>
                <div className="space-y-1 p-2">
                  <p className="truncate text-sm font-medium" title={item.name}>
                    {item.name}
                  </p>
                  {item.tags.length ? (
                    <div className="flex flex-wrap gap-1">
                      {item.tags.map((t) => (
                        <span key={t} className="max-w-full truncate rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700">
                          #{t}
                        </span>
                      ))}
                    </div>
                  ) : null}
                </div>
              </button>
            </li>
          ))}
        </ul>
        {pages > 1 ? (
          <nav className="flex items-center justify-center gap-3 text-sm" aria-label="Pages">
            <button
              type="button"
              className="rounded border border-slate-300 px-3 py-1 disabled:opacity-50"
              disabled={page <= 1}
              onClick={() => setPage(page - 1)}
            >
              Previous
            </button>
            <span>
              Page {page} of {pages}
            </span>
            <button
              type="button"
              className="rounded border border-slate-300 px-3 py-1 disabled:opacity-50"
              disabled={page >= pages}
              onClick={() => setPage(page + 1)}
            >
              Next
            </button>
          </nav>
        ) : null}
      </section>

      {open ? (
        <MediaPreview
          key={open.id}
          item={open}
          canEdit={canUpload}
          canDelete={canUpload && (canDeleteAny || open.createdById === userId)}
          onClose={() => setOpenId(null)}
          onChanged={refresh}
        />
      ) : null}
    </div>
  );
}

type Item = {
  id: string;
  kind: MediaKindName;
  name: string;
  tags: string[];
  mimeType: string;
  bytes: number;
  width: number | null;
  height: number | null;
  durationSec: number | null;
  createdAt: Date;
  fileUrl: string;
  thumbnailUrl: string;
};

function MediaPreview({
  item,
  canEdit,
  canDelete,
  onClose,
  onChanged,
}: {
  item: Item;
  canEdit: boolean;
  canDelete: boolean;
  onClose: () => void;
  onChanged: () => Promise<void>;
}) {
  const trpc = useTRPC();
  const [name, setName] = useState(item.name);
  const [tags, setTags] = useState(item.tags.join(", "));
  const [confirming, setConfirming] = useState(false);
  const save = useMutation(trpc.library.update.mutationOptions({ onSuccess: () => onChanged() }));
  const remove = useMutation(
    trpc.library.remove.mutationOptions({
      onSuccess: async () => {
        onClose();
        await onChanged();
      },
    }),
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  const facts = [
    KIND_LABELS[item.kind],
    item.width && item.height ? `${item.width}×${item.height}` : null,
    item.durationSec !== null ? formatDuration(item.durationSec) : null,
    megabytes(item.bytes),
    `added ${new Date(item.createdAt).toISOString().slice(0, 10)}`,
  ].filter(Boolean);

  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-black/60 p-3">
      <div
        role="dialog"
        aria-modal="true"
        aria-label={`Preview of ${item.name}`}
        className="max-h-full w-full max-w-2xl space-y-3 overflow-y-auto rounded-lg bg-white p-4"
        data-testid="media-preview"
      >
        <div className="flex items-start justify-between gap-3">
          <h2 className="min-w-0 break-words font-semibold">{item.name}</h2>
          <button type="button" className="shrink-0 rounded border border-slate-300 px-2 py-1 text-sm hover:bg-slate-100" onClick={onClose}>
            Close
          </button>
        </div>
        {item.kind === "image" ? (
          <img src={item.fileUrl} alt={item.name} className="max-h-[60vh] w-full bg-slate-100 object-contain" />
        ) : item.kind === "video" ? (
          // biome-ignore lint/a11y/useMediaCaption: people's own clips come without caption files
          <video src={item.fileUrl} controls preload="metadata" className="max-h-[60vh] w-full bg-black" data-testid="preview-video" />
        ) : (
          <div className="space-y-2">
            <img src={item.thumbnailUrl} alt="" className="w-full rounded" />
            {/* biome-ignore lint/a11y/useMediaCaption: music and sound effects have no words to caption */}
            <audio src={item.fileUrl} controls preload="metadata" className="w-full" data-testid="preview-audio" />
          </div>
        )}
        <p className="text-sm text-slate-600">{facts.join(" · ")}</p>
        {canEdit ? (
          <form
            className="space-y-2"
            onSubmit={(e) => {
              e.preventDefault();
              save.mutate({ itemId: item.id, name, tags: splitTags(tags) });
            }}
          >
            <label className="block space-y-1 text-sm" htmlFor="media-name">
              <span className="font-medium text-slate-700">Name</span>
              <input id="media-name" className={inputClass} value={name} onChange={(e) => setName(e.target.value)} />
            </label>
            <label className="block space-y-1 text-sm" htmlFor="media-tags">
              <span className="font-medium text-slate-700">Tags (separated by commas)</span>
              <input id="media-tags" className={inputClass} value={tags} placeholder="ocean, b-roll" onChange={(e) => setTags(e.target.value)} />
            </label>
            <div className="flex flex-wrap items-center gap-2">
              <button
                type="submit"
                className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-50"
                disabled={save.isPending}
              >
                Save
              </button>
              {save.isSuccess && !save.isPending ? <span className="text-sm text-emerald-700">Saved</span> : null}
              <ErrorLine error={save.error} inline />
            </div>
          </form>
        ) : (
          <p className="text-sm text-slate-600">{item.tags.length ? item.tags.map((t) => `#${t}`).join(" ") : "No tags."}</p>
        )}
        <div className="flex flex-wrap items-center gap-2 border-t border-slate-100 pt-3 text-sm">
          <a className="text-sky-700 underline" href={`${item.fileUrl}?download=1`}>
            Download
          </a>
          {canDelete ? (
            confirming ? (
              <>
                <span>Delete “{item.name}” for everyone in this workspace?</span>
                <button
                  type="button"
                  className="rounded-md bg-red-700 px-3 py-1 font-semibold text-white disabled:opacity-50"
                  disabled={remove.isPending}
                  onClick={() => remove.mutate({ itemId: item.id })}
                >
                  Yes, delete
                </button>
                <button type="button" className="rounded border border-slate-300 px-3 py-1" onClick={() => setConfirming(false)}>
                  Keep it
                </button>
              </>
            ) : (
              <button type="button" className="ml-auto text-red-700 underline" onClick={() => setConfirming(true)}>
                Delete
              </button>
            )
          ) : null}
          <ErrorLine error={remove.error} inline />
        </div>
      </div>
    </div>
  );
}
