"use client";
// Upload, list, remove and try out the workspace's reference documents.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DataTable } from "../../_components/data-table";
import { ErrorLine } from "../../_components/error-line";
import { inputClass } from "../../_components/field";
import { useTRPC } from "../../_components/trpc";

export function KnowledgeManager({ canManage }: { canManage: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.knowledge.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.knowledge.list.queryKey() });
  const remove = useMutation(trpc.knowledge.remove.mutationOptions({ onSuccess: () => refresh() }));
  const [uploading, setUploading] = useState(false);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [query, setQuery] = useState("");
  const [submitted, setSubmitted] = useState("");
  const search = useQuery({ ...trpc.knowledge.search.queryOptions({ query: submitted }), enabled: submitted.length >= 2 });

  async function upload(files: FileList | null) {
    if (!files?.length) return;
    setUploading(true);
    setUploadError(null);
    try {
      for (const file of Array.from(files)) {
        const body = new FormData();
        body.append("file", file);
        const response = await fetch("/api/knowledge", { method: "POST", body });
        if (!response.ok) {
          setUploadError(((await response.json().catch(() => ({}))) as { error?: string }).error ?? `upload failed (${response.status})`);
          break;
        }
      }
    } finally {
      setUploading(false);
      await refresh();
    }
  }

  return (
    <div className="space-y-6">
      {canManage ? (
        <section className="rounded-lg border border-slate-200 bg-white p-5">
          <label className="block space-y-2 text-sm font-medium" htmlFor="knowledge-file">
            <span>Add documents (.txt, .md or .pdf, up to 10 MB each)</span>
            <input
              id="knowledge-file"
              type="file"
              multiple
              accept=".txt,.md,.markdown,.pdf,text/plain,text/markdown,application/pdf"
              disabled={uploading}
              onChange={(e) => void upload(e.target.files)}
            />
          </label>
          {uploading ? <p className="text-sm text-slate-600">Reading and indexing…</p> : null}
          {uploadError ? <ErrorLine data-testid="upload-error">{uploadError}</ErrorLine> : null}
        </section>
      ) : null}

      <section className="rounded-lg border border-slate-200 bg-white p-5">
        <h2 className="mb-2 font-semibold">Documents</h2>
        <DataTable
          data-testid="documents"
          rows={list.data}
          rowKey={(d) => d.id}
          empty={<p className="text-sm text-slate-600">{list.isPending ? "Loading…" : "No documents yet."}</p>}
          columns={[
            {
              header: "Name",
              headerClassName: "py-1",
              className: "py-1",
              cell: (d) => (
                <a className="underline" href={`/api/knowledge/${d.id}`} title="Download the file as it was uploaded">
                  {d.name}
                </a>
              ),
            },
            { header: "Passages", cell: (d) => d.chunkCount },
            { header: "Ranking", cell: (d) => (d.embeddingProvider ? `keywords + ${d.embeddingProvider} ${d.embeddingModel}` : "keywords") },
            { header: "Added", cell: (d) => new Date(d.createdAt).toISOString().slice(0, 10) },
            {
              className: "text-right",
              cell: (d) =>
                canManage ? (
                  <button type="button" className="text-red-700 underline" onClick={() => remove.mutate({ documentId: d.id })}>
                    Remove
                  </button>
                ) : null,
            },
          ]}
        />
      </section>

      <section className="rounded-lg border border-slate-200 bg-white p-5">
        <form
          className="flex gap-2"
          onSubmit={(e) => {
            e.preventDefault();
            setSubmitted(query.trim());
          }}
        >
          <label className="sr-only" htmlFor="knowledge-query">
            Try a topic
          </label>
          <input
            id="knowledge-query"
            className={inputClass}
            placeholder="Try a topic: which passages would a script get?"
            value={query}
            onChange={(e) => setQuery(e.target.value)}
          />
          <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white">
            Search
          </button>
        </form>
        <ErrorLine error={search.error} className="mt-2" />
        {search.data ? (
          <ol className="mt-3 space-y-2" data-testid="passages">
            {search.data.length ? (
              search.data.map((p) => (
                <li key={`${p.documentId}-${p.chunk}`} className="rounded border border-slate-100 p-3 text-sm">
                  <div className="text-xs text-slate-500">
                    {p.document} · passage {p.chunk + 1} · {p.method}
                  </div>
                  <p className="whitespace-pre-line">{p.text}</p>
                </li>
              ))
            ) : (
              <li className="text-sm text-slate-600">No passage matches.</li>
            )}
          </ol>
        ) : null}
      </section>
    </div>
  );
}
