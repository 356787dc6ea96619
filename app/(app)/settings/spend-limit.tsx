"use client";
// The workspace's monthly limit on paid generation (AI video clips, AI images), shown against
// what this month has used, as estimated from Aura's price table. Admins and the owner set it.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorLine } from "../../_components/error-line";
import { inputClass } from "../../_components/field";
import { useTRPC } from "../../_components/trpc";

const usd = (v: number) => `$${v.toFixed(2)}`;

export function SpendLimit() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const report = useQuery(trpc.providers.spend.queryOptions());
  const [draft, setDraft] = useState<string | null>(null);
  const save = useMutation(
    trpc.providers.setSpendLimit.mutationOptions({
      onSuccess: (data) => {
        queryClient.setQueryData(trpc.providers.spend.queryKey(), data);
        setDraft(null);
      },
    }),
  );
  if (report.isPending) return null;
  if (report.error) return <ErrorLine error={report.error} />;
  const { limitUsd, usedUsd, leftUsd } = report.data;
  const value = draft ?? (limitUsd === null ? "" : String(limitUsd));
  return (
    <section className="rounded-lg border border-slate-200 bg-white p-5" data-testid="spend-limit">
      <h2 className="mb-1 font-semibold">Monthly AI spend limit</h2>
      <p className="mb-3 text-sm text-slate-600">
        What AI video clips and AI images may cost this workspace in a calendar month (UTC), estimated from Aura&apos;s price table. A video whose estimate
        would pass what is left is refused when it is ordered; during a job, a shot that would pass it falls back to the next provider.
      </p>
      <p className="mb-3 text-sm" data-testid="spend-used">
        {usd(usedUsd)} used this month of {limitUsd === null ? "no limit" : `${usd(limitUsd)} (${usd(leftUsd ?? 0)} left)`}
      </p>
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate({ limitUsd: value.trim() === "" ? null : Number(value) });
        }}
      >
        <label className="text-sm">
          <span className="block text-slate-600">Limit in US dollars (empty: no limit; 0: no paid generation)</span>
          <input
            className={inputClass}
            name="limitUsd"
            inputMode="decimal"
            data-testid="spend-limit-input"
            value={value}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="no limit"
          />
        </label>
        <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100" disabled={save.isPending}>
          Save limit
        </button>
      </form>
      <ErrorLine error={save.error} />
    </section>
  );
}
