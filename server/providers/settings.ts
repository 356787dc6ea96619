// A workspace's provider settings: saved with the key encrypted (and tested first when the key
// or address changes), listed with keys masked, tested on demand and by the health monitor.
import type { Db, ProviderSetting } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { recordAudit } from "../audit/log.ts";
import { BadRequestError } from "../lib/errors.ts";
import type { z } from "zod";
import {
  CAPABILITIES,
  configurable,
  providerInfo,
  providerSettingInputSchema,
  toneInstructionsSchema,
  type Capability,
  type ProviderSettingInput,
} from "./catalog.ts";
import { probeProvider } from "./probe.ts";
import { ProviderError } from "./errors.ts";
import { breakerState, resetBreakers } from "./resilience.ts";
import { decryptSecret, encryptSecret, maskKey } from "./secrets.ts";
import type { ProviderConfig } from "./types.ts";
import { listPiperModels } from "./tts/piper.ts";
import type { ServiceContext, WorkspaceContext } from "../lib/service-context.ts";

/** A workspace's settings, changed by a member (recorded in the audit log) or by the system. */
type SettingsContext = WorkspaceContext & Partial<Pick<ServiceContext, "userId">>;

/** Every enabled provider setting is probed this often (both engines run it on this cron). */
export const PROVIDER_HEALTH_CRON = "*/5 * * * *";
export const PROVIDER_HEALTH_INTERVAL_MS = 5 * 60_000;

/** A setting that cannot be saved as given: the message names the provider and the reason. */
export class InvalidSettingError extends BadRequestError {}

export const breakerKeyOf = (workspaceId: string, capability: string, provider: string) => `${workspaceId}:${capability}:${provider}`;

export function configOf(row: Pick<ProviderSetting, "capability" | "provider" | "model" | "voice" | "baseUrl" | "keyCiphertext">): ProviderConfig {
  const info = providerInfo(row.capability as Capability, row.provider);
  return {
    capability: row.capability as Capability,
    provider: row.provider,
    model: row.model ?? info?.model ?? null,
    voice: row.voice ?? info?.voice ?? null,
    baseUrl: row.baseUrl ?? info?.baseUrl ?? null,
    apiKey: row.keyCiphertext ? decryptSecret(row.keyCiphertext) : null,
  };
}

const timeoutMs = () => getEnv().PROVIDER_TIMEOUT_SEC * 1000;

export type ProbeOutcome = { ok: true; latencyMs: number; detail: string; models?: string[] } | { ok: false; latencyMs: number; kind: string; message: string };

export async function probeConfig(config: ProviderConfig, signal?: AbortSignal): Promise<ProbeOutcome> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const { detail, models } = await probeProvider(config, { signal: signal ?? new AbortController().signal, timeoutMs: Math.min(timeoutMs(), 20_000) });
    return { ok: true, latencyMs: latency(), detail, ...(models ? { models: models.slice(0, 200) } : {}) };
  } catch (error) {
    if (error instanceof ProviderError) return { ok: false, latencyMs: latency(), kind: error.kind, message: error.message };
    return { ok: false, latencyMs: latency(), kind: "error", message: `${config.provider}: ${(error as Error).message}` };
  }
}

function healthData(outcome: ProbeOutcome) {
  return {
    healthStatus: outcome.ok ? "up" : "down",
    healthCheckedAt: new Date(),
    healthLatencyMs: outcome.latencyMs,
    healthError: outcome.ok ? null : outcome.message,
  };
}

/** Scheme, host and port of a base URL; null for the provider's own default address. */
function originOf(baseUrl: string | null) {
  if (!baseUrl) return null;
  try {
    return new URL(baseUrl).origin;
  } catch {
    return baseUrl;
  }
}

/** Errors a saved setting cannot recover from by itself: refuse to save. */
const REFUSED_ON_SAVE = new Set(["auth", "config", "not_found", "quota", "bad_request"]);

export async function saveProviderSetting(ctx: SettingsContext, input: ProviderSettingInput) {
  const { db, workspaceId } = ctx;
  const actorId = ctx.userId ?? null;
  const value = providerSettingInputSchema.parse(input);
  const existing = await db.providerSetting.findUnique({
    where: { workspaceId_capability_provider: { workspaceId, capability: value.capability, provider: value.provider } },
  });
  const info = providerInfo(value.capability, value.provider)!;
  const keyChange =
    value.apiKey === undefined
      ? {}
      : value.apiKey === ""
        ? { keyCiphertext: null, keyLast4: null }
        : { keyCiphertext: encryptSecret(value.apiKey), keyLast4: value.apiKey.slice(-4) };
  const data = {
    enabled: value.enabled,
    priority: value.priority,
    model: value.model ?? null,
    voice: value.voice ?? null,
    baseUrl: value.baseUrl ?? null,
    ...keyChange,
  };
  // A saved key goes only to the address it was entered for: a new host (or port, or scheme)
  // needs the key entered again, so changing the address alone never sends it elsewhere.
  if (existing?.keyCiphertext && !("keyCiphertext" in keyChange) && originOf(existing.baseUrl) !== originOf(data.baseUrl)) {
    throw new InvalidSettingError(`${value.provider}: the address moved to another host: enter the API key again (a saved key is never sent to a new address)`);
  }
  const keyCiphertext = "keyCiphertext" in keyChange ? keyChange.keyCiphertext : (existing?.keyCiphertext ?? null);
  if (info.needsKey && !keyCiphertext && value.enabled) throw new InvalidSettingError(`${value.provider}: an API key is required`);
  // A new key, address or model is tried before it is saved, so a typo is caught here and
  // not in the middle of a job.
  const changed =
    !existing || "keyCiphertext" in keyChange || existing.baseUrl !== data.baseUrl || existing.model !== data.model || existing.voice !== data.voice;
  let outcome: ProbeOutcome | null = null;
  if (value.enabled && changed) {
    outcome = await probeConfig(configOf({ capability: value.capability, provider: value.provider, ...data, keyCiphertext: keyCiphertext ?? null }));
    if (!outcome.ok && REFUSED_ON_SAVE.has(outcome.kind)) throw new InvalidSettingError(`Not saved. ${outcome.message}`);
  }
  const row = await db.$transaction(async (tx) => {
    const saved = await tx.providerSetting.upsert({
      where: { workspaceId_capability_provider: { workspaceId, capability: value.capability, provider: value.provider } },
      create: { workspaceId, capability: value.capability, provider: value.provider, ...data, ...(outcome ? healthData(outcome) : {}) },
      update: { ...data, ...(outcome ? healthData(outcome) : {}) },
    });
    // The entry says that the key changed, never what it is.
    await recordAudit(tx, {
      workspaceId,
      actorId,
      action: existing ? "provider.updated" : "provider.added",
      targetType: "provider",
      targetId: `${value.capability}:${value.provider}`,
      data: {
        enabled: data.enabled,
        priority: data.priority,
        model: data.model,
        voice: data.voice,
        baseUrl: data.baseUrl,
        keyChanged: "keyCiphertext" in keyChange,
      },
    });
    return saved;
  });
  resetBreakers(breakerKeyOf(workspaceId, value.capability, value.provider));
  return { setting: publicSetting(row), probe: outcome };
}

export async function removeProviderSetting(ctx: SettingsContext, capability: Capability, provider: string) {
  const { db, workspaceId } = ctx;
  const actorId = ctx.userId ?? null;
  const count = await db.$transaction(async (tx) => {
    const { count } = await tx.providerSetting.deleteMany({ where: { workspaceId, capability, provider } });
    if (count) await recordAudit(tx, { workspaceId, actorId, action: "provider.removed", targetType: "provider", targetId: `${capability}:${provider}` });
    return count;
  });
  resetBreakers(breakerKeyOf(workspaceId, capability, provider));
  return { removed: count };
}

export async function testProviderSetting({ db, workspaceId }: WorkspaceContext, capability: Capability, provider: string) {
  const row = await db.providerSetting.findUnique({ where: { workspaceId_capability_provider: { workspaceId, capability, provider } } });
  if (!row) throw new InvalidSettingError(`${provider} is not configured for ${capability}`);
  const outcome = await probeConfig(configOf(row));
  await db.providerSetting.update({ where: { id: row.id }, data: healthData(outcome) });
  return outcome;
}

/** What the browser sees of a setting: never the key, only its last four characters. */
export function publicSetting(row: ProviderSetting) {
  return {
    capability: row.capability as Capability,
    provider: row.provider,
    enabled: row.enabled,
    priority: row.priority,
    model: row.model,
    voice: row.voice,
    baseUrl: row.baseUrl,
    key: maskKey(row.keyLast4),
    health: row.healthStatus ? { status: row.healthStatus, checkedAt: row.healthCheckedAt, latencyMs: row.healthLatencyMs, error: row.healthError } : null,
    breaker: breakerState(breakerKeyOf(row.workspaceId, row.capability, row.provider)),
  };
}

export async function getProviderSettings({ db, workspaceId }: WorkspaceContext) {
  const [workspace, rows, piperModels] = await Promise.all([
    db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { offlineMode: true, scriptInstructions: true, toneInstructions: true } }),
    db.providerSetting.findMany({ where: { workspaceId }, orderBy: [{ capability: "asc" }, { priority: "asc" }, { provider: "asc" }] }),
    listPiperModels(),
  ]);
  return {
    offlineMode: workspace.offlineMode,
    serverOffline: getEnv().AURA_OFFLINE === "1",
    scriptInstructions: workspace.scriptInstructions,
    toneInstructions: toneInstructionsSchema.safeParse(workspace.toneInstructions).data ?? {},
    piperModels,
    settings: rows.map(publicSetting),
    available: Object.fromEntries(CAPABILITIES.map((c) => [c, configurable(c).map((p) => p.id)])) as Record<Capability, string[]>,
  };
}

export async function setWorkspaceScriptOptions(
  ctx: SettingsContext,
  options: { offlineMode?: boolean; scriptInstructions?: string | null; toneInstructions?: z.infer<typeof toneInstructionsSchema> },
) {
  const { db, workspaceId } = ctx;
  const actorId = ctx.userId ?? null;
  // Empty tone instructions are dropped rather than stored.
  const tones = options.toneInstructions && Object.fromEntries(Object.entries(options.toneInstructions).filter(([, v]) => v));
  const data = { ...options, ...(tones ? { toneInstructions: tones } : {}) };
  await db.$transaction([
    db.workspace.update({ where: { id: workspaceId }, data }),
    recordAudit(db, { workspaceId, actorId, action: "settings.updated", targetType: "workspace", targetId: workspaceId, data }),
  ]);
}

/** Probes every enabled setting (the health monitor's round) and records what it found. */
export async function probeAllSettings(db: Db) {
  const rows = await db.providerSetting.findMany({ where: { enabled: true } });
  let down = 0;
  for (const row of rows) {
    let outcome: ProbeOutcome;
    try {
      outcome = await probeConfig(configOf(row));
    } catch (error) {
      outcome = { ok: false, latencyMs: 0, kind: "config", message: `${row.provider}: ${(error as Error).message}` };
    }
    if (!outcome.ok) down++;
    await db.providerSetting.update({ where: { id: row.id }, data: healthData(outcome) });
  }
  return { probed: rows.length, down };
}
