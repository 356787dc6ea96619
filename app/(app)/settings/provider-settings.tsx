"use client";
// The workspace's provider settings: a table per capability with health and a connection
// test, a form to add or change a provider (keys are write-only), offline mode and the
// workspace's extra script instructions. Each provider says what it improves over the built-in
// default; failures are shown in plain words, never a provider's own reply.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { CAPABILITIES, PROVIDERS, providerInfo, type Capability } from "@/server/providers/catalog";
import { voiceLanguages } from "@/server/providers/tts/languages";
import { LANGUAGES, TONES } from "@/server/videos/brief";
import { plainReason } from "@/server/lib/plain-errors";
import { DataTable } from "../../_components/data-table";
import { ErrorLine } from "../../_components/error-line";
import { inputClass } from "../../_components/field";
import { useTRPC } from "../../_components/trpc";

const CAPABILITY_LABELS: Record<Capability, string> = {
  script: "Script writer",
  voice: "Voice",
  visuals: "Pictures and video clips",
  knowledge: "Knowledge search (embeddings)",
};

/** The languages a configured voice speaks with its model, by name. */
function speakableLanguages(provider: string, model: string | null) {
  const codes = voiceLanguages(provider, { model });
  if (!codes.length) return "no language Aura knows (name the model's language first in its file name)";
  if (codes.length === LANGUAGES.length) return `all ${codes.length} languages`;
  return codes.map((code) => LANGUAGES.find((l) => l.code === code)?.name ?? code).join(", ");
}

type Outcome = { ok: true; latencyMs: number; detail: string; models?: string[] } | { ok: false; latencyMs: number; kind: string; message: string };

function OutcomeLine({ outcome }: { outcome: Outcome | null | undefined }) {
  if (!outcome) return null;
  return outcome.ok ? (
    <span className="text-sm text-emerald-700" data-testid="probe-result">
      Connected in {outcome.latencyMs} ms: {outcome.detail}
    </span>
  ) : (
    <ErrorLine inline data-testid="probe-result">
      {plainReason(outcome.message)}
    </ErrorLine>
  );
}

/** A refused save in plain words: "Not saved: OpenAI refused the API key." */
function plainSaveError(message: string) {
  const refused = /^Not saved\. (.*)$/s.exec(message);
  return refused ? `Not saved: ${plainReason(refused[1]!)}` : message;
}

export function ProviderSettings() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const list = useQuery(trpc.providers.list.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.providers.list.queryKey() });
  const [tests, setTests] = useState<Record<string, Outcome>>({});
  const test = useMutation(
    trpc.providers.test.mutationOptions({
      onSuccess: (outcome, vars) => {
        setTests((t) => ({ ...t, [`${vars.capability}:${vars.provider}`]: outcome }));
        refresh();
      },
    }),
  );
  const remove = useMutation(trpc.providers.remove.mutationOptions({ onSuccess: () => refresh() }));
  const options = useMutation(trpc.providers.setOptions.mutationOptions({ onSuccess: () => refresh() }));
  const [instructions, setInstructions] = useState<string | null>(null);
  const [tones, setTones] = useState<Partial<Record<(typeof TONES)[number], string>> | null>(null);

  if (list.isPending) return <p className="text-sm text-slate-600">Loading…</p>;
  if (list.error) return <ErrorLine error={list.error} />;
  const data = list.data;

  return (
    <div className="space-y-8">
      <section className="space-y-3 rounded-lg border border-slate-200 bg-white p-5">
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" data-testid="offline-mode" checked={data.offlineMode} onChange={(e) => options.mutate({ offlineMode: e.target.checked })} />
          Offline mode: use only providers that make no network call (offline writer, festival, flite, espeak-ng or Piper, generated cards)
        </label>
        {data.serverOffline ? (
          <p className="text-sm text-amber-700">The server runs in offline mode (AURA_OFFLINE=1): no network provider is used in any workspace.</p>
        ) : null}
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            options.mutate({ scriptInstructions: instructions ?? data.scriptInstructions ?? "", toneInstructions: tones ?? data.toneInstructions });
          }}
        >
          <label className="block text-sm font-medium" htmlFor="script-instructions">
            Script instructions for every video of this workspace
          </label>
          <textarea
            id="script-instructions"
            className={inputClass}
            rows={2}
            placeholder="e.g. Always end with our slogan. Use British spelling."
            value={instructions ?? data.scriptInstructions ?? ""}
            onChange={(e) => setInstructions(e.target.value)}
          />
          <fieldset className="grid gap-2 sm:grid-cols-2">
            <legend className="mb-1 text-sm font-medium">What each tone means here (optional, used by the model writers)</legend>
            {TONES.map((tone) => (
              <label key={tone} className="space-y-1 text-sm" htmlFor={`tone-${tone}`}>
                <span className="capitalize">{tone}</span>
                <input
                  id={`tone-${tone}`}
                  className={inputClass}
                  value={(tones ?? data.toneInstructions)[tone] ?? ""}
                  onChange={(e) => setTones({ ...(tones ?? data.toneInstructions), [tone]: e.target.value })}
                />
              </label>
            ))}
          </fieldset>
          <button type="submit" className="rounded-md border border-slate-300 px-3 py-1 text-sm hover:bg-slate-100">
            Save instructions
          </button>
          <ErrorLine error={options.error} inline className="ml-3" />
        </form>
      </section>

      {CAPABILITIES.map((capability) => {
        const rows = data.settings.filter((s) => s.capability === capability);
        const builtIns = PROVIDERS[capability].filter((p) => p.tier === "offline");
        return (
          <section
            key={capability}
            id={`providers-${capability}`}
            className="scroll-mt-4 space-y-3 rounded-lg border border-slate-200 bg-white p-5"
            data-testid={`capability-${capability}`}
          >
            <h2 className="text-lg font-semibold">{CAPABILITY_LABELS[capability]}</h2>
            <p className="text-sm text-slate-600" data-testid={`built-in-${capability}`}>
              Without a provider: {builtIns.map((p) => p.improves).join(" ")}
            </p>
            <DataTable
              rows={rows}
              rowKey={(s) => `${capability}:${s.provider}`}
              rowTestId={(s) => `setting-${capability}:${s.provider}`}
              alignTop
              columns={[
                {
                  header: "Provider",
                  headerClassName: "py-1",
                  className: "py-2",
                  cell: (s) => (
                    <>
                      {providerInfo(capability, s.provider)?.label ?? s.provider}
                      {!s.enabled ? <span className="ml-2 text-xs text-slate-500">(off)</span> : null}
                      <div className="max-w-xs text-xs text-slate-600">{providerInfo(capability, s.provider)?.improves}</div>
                      {s.baseUrl ? <div className="text-xs text-slate-500">{s.baseUrl}</div> : null}
                      {capability === "voice" ? (
                        <div className="text-xs text-slate-500" data-testid={`languages-${s.provider}`}>
                          speaks {speakableLanguages(s.provider, s.model)}
                        </div>
                      ) : null}
                    </>
                  ),
                },
                { header: "Model / voice", cell: (s) => [s.model, s.voice].filter(Boolean).join(" / ") || "default" },
                { header: "Key", className: "font-mono text-xs", cell: (s) => s.key ?? "—" },
                {
                  header: "Health",
                  cell: (s) => (
                    <>
                      {s.health ? (
                        <span className={s.health.status === "up" ? "text-emerald-700" : "text-red-700"}>
                          {s.health.status}
                          {s.health.latencyMs != null ? ` · ${s.health.latencyMs} ms` : ""}
                        </span>
                      ) : (
                        "not checked"
                      )}
                      {s.breaker !== "closed" ? <div className="text-xs text-amber-700">circuit {s.breaker}</div> : null}
                      {s.health?.status === "down" && s.health.error ? (
                        <div className="max-w-xs text-xs text-red-700">{plainReason(s.health.error, s.provider)}</div>
                      ) : null}
                    </>
                  ),
                },
                {
                  className: "space-x-2 whitespace-nowrap text-right",
                  cell: (s) => (
                    <>
                      <button
                        type="button"
                        className="text-sky-700 underline"
                        onClick={() => test.mutate({ capability, provider: s.provider })}
                        disabled={test.isPending}
                      >
                        Test connection
                      </button>
                      <button type="button" className="text-red-700 underline" onClick={() => remove.mutate({ capability, provider: s.provider })}>
                        Remove
                      </button>
                      <div className="text-left">
                        <OutcomeLine outcome={tests[`${capability}:${s.provider}`]} />
                      </div>
                    </>
                  ),
                },
              ]}
              lastRow={
                <tr className="border-t border-slate-100 text-slate-500">
                  <td className="py-2">
                    {builtIns.map((p) => p.label).join(", ")}
                    {capability === "voice" ? (
                      <div className="text-xs" data-testid="languages-built-in">
                        {builtIns.map((p) => `${p.id}: ${p.languages}`).join("; ")}
                      </div>
                    ) : null}
                  </td>
                  <td colSpan={4}>
                    always last: used when every provider above fails or offline mode is on
                    {builtIns.length > 1 ? " (those that fit the video, in this order)" : ""}
                  </td>
                </tr>
              }
            />
            <ProviderForm
              capability={capability}
              piperModels={data.piperModels}
              onSaved={refresh}
              // Models the provider listed at its last test or save, offered as suggestions.
              knownModels={Object.fromEntries(
                Object.entries(tests)
                  .filter(([k]) => k.startsWith(`${capability}:`))
                  .map(([k, o]) => [k.split(":")[1]!, o.ok ? (o.models ?? []) : []]),
              )}
            />
          </section>
        );
      })}
    </div>
  );
}

function ProviderForm({
  capability,
  piperModels,
  onSaved,
  knownModels,
}: {
  capability: Capability;
  piperModels: string[];
  onSaved: () => void;
  knownModels: Record<string, string[]>;
}) {
  const trpc = useTRPC();
  const choices = PROVIDERS[capability].filter((p) => p.tier !== "offline");
  const [provider, setProvider] = useState(choices[0]!.id);
  const [form, setForm] = useState({ model: "", voice: "", baseUrl: "", apiKey: "", priority: 0, enabled: true });
  const save = useMutation(
    trpc.providers.save.mutationOptions({
      onSuccess() {
        setForm((f) => ({ ...f, apiKey: "" }));
        onSaved();
      },
    }),
  );
  const info = providerInfo(capability, provider)!;
  const saved = save.data?.probe as Outcome | null | undefined;
  const models = (saved?.ok ? saved.models : undefined) ?? knownModels[provider] ?? [];
  const fieldErrors = (save.error?.data as { fieldErrors?: Record<string, string> } | undefined)?.fieldErrors ?? {};
  const id = (name: string) => `${capability}-${name}`;
  return (
    <form
      className="grid gap-3 border-t border-slate-100 pt-3 sm:grid-cols-2"
      data-testid={`provider-form-${capability}`}
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({ capability, provider, ...form, apiKey: form.apiKey || undefined });
      }}
    >
      <label className="space-y-1 text-sm" htmlFor={id("provider")}>
        <span className="font-medium">Add or change a provider</span>
        <select id={id("provider")} className={inputClass} value={provider} onChange={(e) => setProvider(e.target.value)}>
          {choices.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label} ({p.tier})
            </option>
          ))}
        </select>
        <span className="block text-xs text-slate-600" data-testid="provider-improves">
          {info.improves}
        </span>
      </label>
      {info.baseUrl ? (
        <label className="space-y-1 text-sm" htmlFor={id("baseUrl")}>
          <span className="font-medium">Base URL</span>
          <input
            id={id("baseUrl")}
            className={inputClass}
            placeholder={info.baseUrl}
            value={form.baseUrl}
            onChange={(e) => setForm({ ...form, baseUrl: e.target.value })}
          />
          {fieldErrors.baseUrl ? <span className="text-xs text-red-700">{fieldErrors.baseUrl}</span> : null}
        </label>
      ) : null}
      <label className="space-y-1 text-sm" htmlFor={id("model")}>
        <span className="font-medium">Model{info.modelHint ? ` (${info.modelHint})` : ""}</span>
        {info.languages ? <span className="block text-xs text-slate-500">Speaks {info.languages}</span> : null}
        {provider === "piper" ? (
          <select id={id("model")} className={inputClass} value={form.model} onChange={(e) => setForm({ ...form, model: e.target.value })}>
            <option value="">{piperModels.length ? "first model in PIPER_MODELS_DIR" : "no models in PIPER_MODELS_DIR"}</option>
            {piperModels.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        ) : (
          <>
            <input
              id={id("model")}
              list={id("models")}
              className={inputClass}
              placeholder={info.model ?? ""}
              value={form.model}
              onChange={(e) => setForm({ ...form, model: e.target.value })}
            />
            <datalist id={id("models")}>
              {models.map((m) => (
                <option key={m} value={m} />
              ))}
            </datalist>
          </>
        )}
        {fieldErrors.model ? <span className="text-xs text-red-700">{fieldErrors.model}</span> : null}
      </label>
      {info.voiceHint ? (
        <label className="space-y-1 text-sm" htmlFor={id("voice")}>
          <span className="font-medium">Voice ({info.voiceHint})</span>
          <input
            id={id("voice")}
            className={inputClass}
            placeholder={info.voice ?? ""}
            value={form.voice}
            onChange={(e) => setForm({ ...form, voice: e.target.value })}
          />
        </label>
      ) : null}
      {info.needsKey || provider === "sd-webui" ? (
        <label className="space-y-1 text-sm" htmlFor={id("apiKey")}>
          <span className="font-medium">{provider === "sd-webui" ? "Credentials (user:password, optional)" : "API key"}</span>
          <input
            id={id("apiKey")}
            type="password"
            autoComplete="off"
            className={inputClass}
            placeholder="leave empty to keep the saved key (same address only)"
            value={form.apiKey}
            onChange={(e) => setForm({ ...form, apiKey: e.target.value })}
          />
        </label>
      ) : null}
      <label className="space-y-1 text-sm" htmlFor={id("priority")}>
        <span className="font-medium">Priority within its tier (lower first)</span>
        <input
          id={id("priority")}
          type="number"
          min={0}
          max={100}
          className={inputClass}
          value={form.priority}
          onChange={(e) => setForm({ ...form, priority: Number(e.target.value) })}
        />
      </label>
      <div className="flex items-center gap-3 sm:col-span-2">
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} /> Enabled
        </label>
        <button type="submit" disabled={save.isPending} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-50">
          {save.isPending ? "Testing…" : "Test and save"}
        </button>
        {save.data ? <OutcomeLine outcome={save.data.probe as Outcome | null} /> : null}
        {save.data && !save.data.probe ? <span className="text-sm text-emerald-700">Saved.</span> : null}
        {!Object.keys(fieldErrors).length && save.error ? (
          <ErrorLine inline data-testid="save-error">
            {plainSaveError(save.error.message)}
          </ErrorLine>
        ) : null}
      </div>
    </form>
  );
}
