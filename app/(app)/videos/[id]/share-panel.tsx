"use client";
// Public links to watch this video without an account: create (optionally expiring), copy,
// embed, revoke. A revoked or expired link stops working at once.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorLine } from "../../../_components/error-line";
import { useTRPC } from "../../../_components/trpc";

export function SharePanel({ videoId }: { videoId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const links = useQuery(trpc.shares.list.queryOptions({ videoId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.shares.list.queryKey({ videoId }) });
  const create = useMutation(trpc.shares.create.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(trpc.shares.revoke.mutationOptions({ onSuccess: refresh }));
  const [days, setDays] = useState("");
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  return (
    <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-5" data-testid="share-panel">
      <h2 className="font-semibold">Share</h2>
      <form
        className="flex flex-wrap items-center gap-2 text-sm"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ videoId, expiresInDays: days ? Number(days) : null });
        }}
      >
        <label htmlFor="share-days">Expires after (days, empty: never)</label>
        <input
          id="share-days"
          type="number"
          min={1}
          max={365}
          className="w-24 rounded border border-slate-300 px-2 py-1"
          value={days}
          onChange={(e) => setDays(e.target.value)}
        />
        <button type="submit" className="rounded-md bg-slate-900 px-3 py-1.5 font-semibold text-white">
          Create public link
        </button>
      </form>
      <ErrorLine error={create.error} />
      <ul className="space-y-3 text-sm">
        {links.data?.map((l) => {
          const url = `${origin}/s/${l.token}`;
          return (
            <li key={l.id} className="space-y-1" data-testid="share-link">
              <input
                readOnly
                aria-label="Public link"
                className="w-full rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs"
                value={url}
                onFocus={(e) => e.target.select()}
              />
              <input
                readOnly
                aria-label="Embed code"
                className="w-full rounded border border-slate-300 bg-slate-50 px-2 py-1 font-mono text-xs"
                value={`<iframe src="${origin}/embed/${l.token}" width="640" height="360" allow="fullscreen" style="border:0"></iframe>`}
                onFocus={(e) => e.target.select()}
              />
              <div className="flex gap-3 text-xs text-slate-600">
                <span>{l.expiresAt ? `expires ${new Date(l.expiresAt).toISOString().slice(0, 10)}` : "no expiry"}</span>
                <span>{l.views} views</span>
                <button type="button" className="text-red-700 underline" onClick={() => revoke.mutate({ linkId: l.id })}>
                  Revoke
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
