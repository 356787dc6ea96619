// Fallback chains: for each capability, the workspace's enabled providers in order (online,
// then local, by priority), then the built-in offline ones, which are always last: every
// offline provider of the capability in the catalog's order, or those the caller names (the
// offline voices that fit the brief's voice, in the order to try them). A provider
// is left out when offline mode is on and it needs the network, when its last health
// probe failed recently, or when the caller says it cannot serve this call (a voice that does
// not speak the brief's language). Each link is called with retries inside its breaker; when it fails,
// the next link runs. The outcome names the provider that answered, every attempt with its
// latency, and why earlier links were passed over.
import type { Db } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { PROVIDERS, providerInfo, type Capability } from "./catalog.ts";
import { ProviderError } from "./errors.ts";
import { callProvider, type AttemptRecord } from "./resilience.ts";
import { breakerKeyOf, configOf, PROVIDER_HEALTH_INTERVAL_MS } from "./settings.ts";
import type { CallContext, ProviderConfig } from "./types.ts";

const TIER_ORDER = { online: 0, local: 1, offline: 2 } as const;

export type Fallback = { provider: string; reason: string };
export type ChainLink = { config: ProviderConfig; breakerKey: string };

const builtInConfig = (capability: Capability, provider: string): ProviderConfig => ({
  capability,
  provider,
  model: null,
  voice: null,
  baseUrl: null,
  apiKey: null,
});

/** The built-in links to end a chain with: `offline` in its order, else every offline provider
 *  of the capability in the catalog's order. Naming a provider that is not built in is a bug. */
export function builtInProviders(capability: Capability, offline?: readonly string[]) {
  const known = PROVIDERS[capability].filter((p) => p.tier === "offline").map((p) => p.id);
  if (!offline) return known;
  if (!offline.length) throw new Error(`no built-in ${capability} provider was named`);
  for (const id of offline) if (!known.includes(id)) throw new Error(`"${id}" is not a built-in ${capability} provider (built in: ${known.join(", ")})`);
  return [...offline];
}

/** Says why a link cannot serve this call (a voice that does not speak the brief's language), or
 *  nothing when it can. */
export type LinkFilter = (config: ProviderConfig) => string | undefined;

export async function buildChain(db: Db, workspaceId: string, capability: Capability, options: { offline?: readonly string[]; unfit?: LinkFilter } = {}) {
  const env = getEnv();
  const [workspace, rows] = await Promise.all([
    db.workspace.findUniqueOrThrow({ where: { id: workspaceId }, select: { offlineMode: true } }),
    db.providerSetting.findMany({ where: { workspaceId, capability, enabled: true } }),
  ]);
  const offline = env.AURA_OFFLINE === "1" || workspace.offlineMode;
  // A failed probe counts until two probe rounds have passed without a new one.
  const staleBefore = Date.now() - PROVIDER_HEALTH_INTERVAL_MS * 2;
  const skipped: Fallback[] = [];
  const links: ChainLink[] = [];
  const sorted = rows
    .map((row) => ({ row, info: providerInfo(capability, row.provider) }))
    .filter((r) => r.info)
    .sort((a, b) => TIER_ORDER[a.info!.tier] - TIER_ORDER[b.info!.tier] || a.row.priority - b.row.priority || a.row.provider.localeCompare(b.row.provider));
  for (const { row, info } of sorted) {
    if (offline && info!.network) {
      skipped.push({ provider: row.provider, reason: "offline mode" });
      continue;
    }
    if (row.healthStatus === "down" && row.healthCheckedAt && row.healthCheckedAt.getTime() > staleBefore) {
      skipped.push({ provider: row.provider, reason: `unhealthy at the last check: ${row.healthError ?? "down"}` });
      continue;
    }
    let config: ProviderConfig;
    try {
      config = configOf(row);
    } catch (error) {
      skipped.push({ provider: row.provider, reason: (error as Error).message });
      continue;
    }
    const unfit = options.unfit?.(config);
    if (unfit) skipped.push({ provider: row.provider, reason: unfit });
    else links.push({ config, breakerKey: breakerKeyOf(workspaceId, capability, row.provider) });
  }
  for (const provider of builtInProviders(capability, options.offline)) {
    const config = builtInConfig(capability, provider);
    const unfit = options.unfit?.(config);
    if (unfit) skipped.push({ provider, reason: unfit });
    else links.push({ config, breakerKey: breakerKeyOf(workspaceId, capability, provider) });
  }
  return { links, skipped, offline };
}

/** Every link failed: names each provider and its reason. Retriable when any link's error was. */
export class ChainFailedError extends Error {
  readonly retriable: boolean;
  constructor(
    readonly provider: string,
    readonly failures: Fallback[],
    retriable: boolean,
  ) {
    super(`every provider failed: ${failures.map((f) => `${f.provider}: ${f.reason}`).join("; ")}`);
    this.retriable = retriable;
  }
}

export type ChainOutcome<T> = { value: T; provider: string; attempts: AttemptRecord[]; fallbacks: Fallback[] };

export async function runChain<T>(
  links: ChainLink[],
  skipped: Fallback[],
  call: (config: ProviderConfig, ctx: CallContext) => Promise<T>,
  options: { signal?: AbortSignal } = {},
): Promise<ChainOutcome<T>> {
  const attempts: AttemptRecord[] = [];
  const fallbacks: Fallback[] = [...skipped];
  const timeoutMs = getEnv().PROVIDER_TIMEOUT_SEC * 1000;
  let retriable = false;
  for (const link of links) {
    try {
      const value = await callProvider(link.config.provider, link.breakerKey, (signal) => call(link.config, { signal, timeoutMs }), {
        signal: options.signal,
        log: attempts,
      });
      return { value, provider: link.config.provider, attempts, fallbacks };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const reason = error instanceof ProviderError ? error.reason : (error as Error).message;
      retriable ||= error instanceof ProviderError ? error.retriable : true;
      fallbacks.push({ provider: link.config.provider, reason });
    }
  }
  throw new ChainFailedError(links.at(-1)?.config.provider ?? "none", fallbacks, retriable);
}

/** Builds the workspace's chain for a capability and runs a call through it. `offline`: the
 *  built-in providers that fit this call, in order (default: all of them); `unfit`: why a link
 *  cannot serve this call, so it is passed over with that reason. */
export async function callCapability<T>(
  db: Db,
  workspaceId: string,
  capability: Capability,
  call: (config: ProviderConfig, ctx: CallContext) => Promise<T>,
  options: { signal?: AbortSignal; offline?: readonly string[]; unfit?: LinkFilter } = {},
) {
  const { links, skipped } = await buildChain(db, workspaceId, capability, { offline: options.offline, unfit: options.unfit });
  return runChain(links, skipped, call, options);
}
