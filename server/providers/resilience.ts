// Retries and circuit breakers for provider calls, on cockatiel. Each attempt of a call is
// recorded (provider, outcome, latency). Retries back off exponentially with jitter, or wait
// as long as a 429's Retry-After asks when that is short; a longer wait, or an error that a
// retry cannot fix (a refused key, a policy refusal), ends the call so the chain can fall
// back. Every provider configuration has its own breaker: after repeated failures it opens,
// calls skip it at once, and after a pause one probe call may close it again.
import {
  BrokenCircuitError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
  type IRetryBackoffContext,
} from "cockatiel";
import { getEnv } from "../env.ts";
import { ProviderError } from "./errors.ts";

export type AttemptRecord = { provider: string; ok: boolean; ms: number; kind?: string; error?: string; retryAfterMs?: number };

/** Errors that say the provider is unwell. A refused prompt or a malformed answer says more
 *  about the request than about the provider, and a spend limit is the workspace's own, so
 *  those do not count against it. */
function countsAgainstProvider(error: Error) {
  return error instanceof ProviderError && !["content_policy", "bad_request", "malformed", "spend_limit"].includes(error.kind);
}

/** Exponential backoff with jitter, unless the provider said how long to wait. */
class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  constructor(private readonly inner: IBackoffFactory<IRetryBackoffContext<unknown>>) {}
  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    const innerNext = this.inner.next(context);
    const error = "error" in context.result ? context.result.error : undefined;
    const asked = error instanceof ProviderError ? error.retryAfterMs : undefined;
    return { duration: asked ?? innerNext.duration, next: (ctx) => new RetryAfterBackoff(innerNext).next(ctx) };
  }
}

const breakers = new Map<string, CircuitBreakerPolicy>();

export function breakerFor(key: string) {
  let breaker = breakers.get(key);
  if (!breaker) {
    const env = getEnv();
    breaker = circuitBreaker(handleWhen(countsAgainstProvider), {
      halfOpenAfter: env.PROVIDER_BREAKER_RESET_SEC * 1000,
      breaker: new ConsecutiveBreaker(env.PROVIDER_BREAKER_FAILURES),
    });
    breakers.set(key, breaker);
  }
  return breaker;
}

export type BreakerState = "closed" | "open" | "half-open" | "isolated";

export function breakerState(key: string): BreakerState {
  const state = breakers.get(key)?.state ?? CircuitState.Closed;
  return ({ [CircuitState.Closed]: "closed", [CircuitState.Open]: "open", [CircuitState.HalfOpen]: "half-open", [CircuitState.Isolated]: "isolated" } as const)[
    state
  ];
}

/** Forgets every breaker (tests, and a changed setting starts with a clean slate). */
export function resetBreakers(key?: string) {
  if (key) breakers.delete(key);
  else breakers.clear();
}

/**
 * Calls `fn` with retries inside the provider's breaker. Appends one record per attempt to
 * `log`. Throws the last ProviderError, or a config-free "circuit open" ProviderError.
 */
export async function callProvider<T>(
  provider: string,
  breakerKey: string,
  fn: (signal: AbortSignal) => Promise<T>,
  options: { signal?: AbortSignal; log: AttemptRecord[]; attempts?: number },
): Promise<T> {
  const env = getEnv();
  const maxWaitMs = env.PROVIDER_MAX_RETRY_WAIT_SEC * 1000;
  const retryPolicy = retry(
    handleWhen((error) => error instanceof ProviderError && error.retriable && (error.retryAfterMs ?? 0) <= maxWaitMs),
    {
      maxAttempts: (options.attempts ?? env.PROVIDER_ATTEMPTS) - 1,
      backoff: new RetryAfterBackoff(new ExponentialBackoff({ initialDelay: 250, maxDelay: 8000 })),
    },
  );
  const policy = wrap(retryPolicy, breakerFor(breakerKey));
  try {
    return await policy.execute(async ({ signal }) => {
      const started = performance.now();
      // Each attempt gets a signal of its own, dropped when it ends: the openai SDK adds an abort
      // listener to the signal of every request and never removes it, so the caller's signal (a
      // job's, or cockatiel's one never-aborted signal for every call without one) would keep a
      // listener, and its request's controller, for every request it ever made.
      const attempt = new AbortController();
      const abort = () => attempt.abort(signal.reason);
      if (signal.aborted) abort();
      else signal.addEventListener("abort", abort, { once: true });
      try {
        const value = await fn(attempt.signal);
        options.log.push({ provider, ok: true, ms: Math.round(performance.now() - started) });
        return value;
      } catch (error) {
        const e = error as Error;
        options.log.push({
          provider,
          ok: false,
          ms: Math.round(performance.now() - started),
          kind: error instanceof ProviderError ? error.kind : undefined,
          error: error instanceof ProviderError ? error.reason : e?.message,
          retryAfterMs: error instanceof ProviderError ? error.retryAfterMs : undefined,
        });
        throw error;
      } finally {
        signal.removeEventListener("abort", abort);
      }
    }, options.signal);
  } catch (error) {
    if (error instanceof BrokenCircuitError) {
      options.log.push({ provider, ok: false, ms: 0, kind: "circuit_open", error: "skipped: circuit open after repeated failures" });
      throw new ProviderError(provider, "transient", "skipped: the circuit is open after repeated failures");
    }
    throw error;
  }
}
