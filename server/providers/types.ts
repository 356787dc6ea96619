// What a provider call is given: its resolved setting (key decrypted) and the call's limits.
import type { Capability } from "./catalog.ts";

export type ProviderConfig = {
  capability: Capability;
  provider: string;
  model: string | null;
  voice: string | null;
  baseUrl: string | null;
  apiKey: string | null;
};

export type CallContext = { signal: AbortSignal; timeoutMs: number };

/** What a health probe or a "test connection" found. */
export type ProbeResult = { detail: string; models?: string[] };
