// One provider call through the retries of the resilience layer and a breaker of its own, with
// the log of its attempts: how the provider tests see what was retried, waited for or given up.
import type { ProviderError } from "../../server/providers/errors.ts";
import type { AttemptRecord } from "../../server/providers/resilience.ts";

let breakerSeq = 0;

/** Import after the test has set the environment (the retry settings are read per call). */
export async function resilient<T>(provider: string, fn: (signal: AbortSignal) => Promise<T>) {
  const { callProvider } = await import("../../server/providers/resilience.ts");
  const log: AttemptRecord[] = [];
  try {
    return { value: await callProvider(provider, `test-${++breakerSeq}`, fn, { log }), log };
  } catch (error) {
    return { error: error as ProviderError, log };
  }
}
