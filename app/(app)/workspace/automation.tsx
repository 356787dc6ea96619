"use client";
// API keys (shown once) and webhooks (secret shown once) with their delivery log.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { API_SCOPES, type ApiScope } from "@/server/auth/permissions";
import { DataTable } from "../../_components/data-table";
import { ErrorLine } from "../../_components/error-line";
import { inputClass } from "../../_components/field";
import { useTRPC } from "../../_components/trpc";

const EVENTS = ["video.succeeded", "video.failed"] as const;

export function Automation() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.automation.apiKeys.queryOptions());
  const hooks = useQuery(trpc.automation.webhooks.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: [["automation"]] });
  const createKey = useMutation(trpc.automation.createApiKey.mutationOptions({ onSuccess: refresh }));
  const revokeKey = useMutation(trpc.automation.revokeApiKey.mutationOptions({ onSuccess: refresh }));
  const createHook = useMutation(trpc.automation.createWebhook.mutationOptions({ onSuccess: refresh }));
  const deleteHook = useMutation(trpc.automation.deleteWebhook.mutationOptions({ onSuccess: refresh }));
  const [keyName, setKeyName] = useState("");
  const [scopes, setScopes] = useState<string[]>(["videos:read", "videos:write"]);
  const [url, setUrl] = useState("");
  return (
    <section className="space-y-4 rounded-lg border border-slate-200 bg-white p-5 text-sm">
      <h2 className="font-semibold">API keys and webhooks</h2>
      <p className="text-slate-600">
        The REST API is described at{" "}
        <a className="text-sky-700 underline" href="/api/v1/openapi.json">
          /api/v1/openapi.json
        </a>
        . A key acts only in this workspace.
      </p>
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          createKey.mutate({ name: keyName, scopes: scopes as ApiScope[] });
        }}
      >
        <input
          aria-label="Key name"
          className={`${inputClass} max-w-xs`}
          placeholder="Key name (e.g. CMS)"
          value={keyName}
          onChange={(e) => setKeyName(e.target.value)}
        />
        {API_SCOPES.map((s) => (
          <label key={s} className="flex items-center gap-1">
            <input
              type="checkbox"
              checked={scopes.includes(s)}
              onChange={(e) => setScopes(e.target.checked ? [...scopes, s] : scopes.filter((x) => x !== s))}
            />
            {s}
          </label>
        ))}
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-semibold text-white">
          Create API key
        </button>
      </form>
      <ErrorLine error={createKey.error} />
      {createKey.data ? (
        <p>
          Copy this key now; it is not shown again:{" "}
          <input
            readOnly
            aria-label="New API key"
            className="w-full rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs"
            value={createKey.data.key}
            onFocus={(e) => e.target.select()}
          />
        </p>
      ) : null}
      <ul className="space-y-1" data-testid="api-keys">
        {keys.data?.map((k) => (
          <li key={k.id} className="flex gap-3">
            <span className="font-mono">aura_{k.prefix}_…</span>
            <span>{k.name}</span>
            <span className="text-slate-500">{k.scopes.join(", ")}</span>
            <span className="text-slate-500">{k.lastUsedAt ? `used ${new Date(k.lastUsedAt).toISOString().slice(0, 10)}` : "never used"}</span>
            {k.revokedAt ? (
              <span className="text-red-700">revoked</span>
            ) : (
              <button type="button" className="text-red-700 underline" onClick={() => revokeKey.mutate({ keyId: k.id })}>
                Revoke
              </button>
            )}
          </li>
        ))}
      </ul>
      <form
        className="flex flex-wrap items-center gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          createHook.mutate({ url, events: [...EVENTS] });
        }}
      >
        <input
          aria-label="Webhook URL"
          className={`${inputClass} max-w-md`}
          placeholder="https://example.com/aura-webhook"
          value={url}
          onChange={(e) => setUrl(e.target.value)}
        />
        <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5">
          Add webhook (video.succeeded, video.failed)
        </button>
      </form>
      <ErrorLine error={createHook.error} />
      {createHook.data ? (
        <p>
          Signing secret (shown once):{" "}
          <input
            readOnly
            aria-label="Webhook secret"
            className="w-full rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs"
            value={createHook.data.secret}
            onFocus={(e) => e.target.select()}
          />
        </p>
      ) : null}
      <ul className="space-y-1">
        {hooks.data?.webhooks.map((h) => (
          <li key={h.id} className="flex gap-3">
            <span className="font-mono text-xs">{h.url}</span>
            <span className="text-slate-500">{h.events.join(", ")}</span>
            <button type="button" className="text-red-700 underline" onClick={() => deleteHook.mutate({ webhookId: h.id })}>
              Delete
            </button>
          </li>
        ))}
      </ul>
      <DataTable
        data-testid="webhook-deliveries"
        small
        rows={hooks.data?.deliveries}
        rowKey={(d) => d.id}
        empty={null}
        columns={[
          { header: "When", cell: (d) => new Date(d.createdAt).toISOString().replace("T", " ").slice(0, 19) },
          { header: "Event", cell: (d) => d.event },
          {
            header: "State",
            cell: (d) => (d.status === "pending" && d.attempts ? `retrying at ${new Date(d.nextAttemptAt).toISOString().slice(11, 19)}` : d.status),
          },
          { header: "Attempts", cell: (d) => d.attempts },
          { header: "Last answer", cell: (d) => d.lastError ?? (d.lastStatus ? `HTTP ${d.lastStatus}` : "—") },
        ]}
      />
    </section>
  );
}
