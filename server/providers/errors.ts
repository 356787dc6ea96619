// Provider failures, classified once so that every caller decides the same way whether to
// retry, wait, fall back or tell the user to fix a setting. Messages name the provider and
// never carry a key or a raw response body of any length.
import type { CallContext, ProviderConfig } from "./types.ts";
import { deadlineSignal } from "../lib/deadline.ts";

export const PROVIDER_ERROR_KINDS = [
  /** The key is missing, wrong or lacks permission: retrying cannot help. */
  "auth",
  /** Too many requests: retry after the time the provider asks for. */
  "rate_limit",
  /** The account is out of credit or quota: retrying cannot help. */
  "quota",
  /** 5xx or a dropped connection: worth another try. */
  "transient",
  "timeout",
  /** The provider refused the content. */
  "content_policy",
  /** The answer was not what its API promises (bad JSON, wrong shape, not an image). */
  "malformed",
  /** The model, voice or endpoint does not exist. */
  "not_found",
  /** The request was refused as invalid. */
  "bad_request",
  /** Aura's own setting is unusable (no key, a blocked address, a missing binary). */
  "config",
  /** The workspace's monthly spend limit would be passed: the provider was not asked. */
  "spend_limit",
] as const;

export type ProviderErrorKind = (typeof PROVIDER_ERROR_KINDS)[number];

const RETRIABLE: ReadonlySet<ProviderErrorKind> = new Set(["rate_limit", "transient", "timeout", "malformed"]);

export class ProviderError extends Error {
  override name = "ProviderError";
  readonly retriable: boolean;
  constructor(
    readonly provider: string,
    readonly kind: ProviderErrorKind,
    readonly reason: string,
    readonly options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(`${provider}: ${reason}`, { cause: options.cause });
    this.retriable = RETRIABLE.has(kind);
  }
  get status() {
    return this.options.status;
  }
  get retryAfterMs() {
    return this.options.retryAfterMs;
  }
}

/** Retry-After as seconds or an HTTP date; OpenAI also sends retry-after-ms. */
export function parseRetryAfter(headers: { get(name: string): string | null }, now = Date.now()): number | undefined {
  const ms = Number(headers.get("retry-after-ms"));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const value = headers.get("retry-after");
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A short, single-line excerpt of an error body: enough to diagnose, never a page of HTML. */
function excerpt(text: string) {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** The message an API put in its error body, in the shapes OpenAI, Ollama, ElevenLabs,
 *  SD WebUI, Pexels and Pixabay use. Only such a message is passed on: a body of another shape (an HTML
 *  page, a proxy's answer, whatever a misdirected address returned) is never quoted to users,
 *  only described by its size, so that no foreign answer reaches an error or health text. */
export function errorMessageOf(body: string) {
  // Pixabay answers errors in one line of text: `[ERROR 400] "q" exceeds the maximum length…`.
  const pixabay = /^\[ERROR \d{3}\] ([^\n]{1,300})$/.exec(body.trim());
  if (pixabay) return excerpt(pixabay[1]!);
  try {
    const json = JSON.parse(body) as Record<string, unknown>;
    const candidates = [
      (json.error as { message?: unknown } | undefined)?.message,
      json.error,
      (json.detail as { message?: unknown } | undefined)?.message,
      json.detail,
      json.message,
      json.errors,
    ];
    for (const c of candidates) if (typeof c === "string" && c) return excerpt(c);
  } catch {
    // not JSON: described below, not quoted
  }
  return body.trim() ? `no error message in the API's format (a ${Buffer.byteLength(body)}-byte answer, not shown)` : "no details";
}

/** Classifies a non-2xx HTTP answer. `code` is the API's own error code when it has one. */
export function classifyHttp(provider: string, status: number, message: string, options: { code?: string; retryAfterMs?: number } = {}) {
  const code = options.code ?? "";
  const text = `${code} ${message}`.toLowerCase();
  const base = { status, retryAfterMs: options.retryAfterMs };
  if (status === 401 || status === 403) return new ProviderError(provider, "auth", `the API key was refused (HTTP ${status}): ${message}`, base);
  if (status === 429 && /insufficient_quota|quota|billing|credits/.test(text))
    return new ProviderError(provider, "quota", `quota or credit exhausted (HTTP 429): ${message}`, base);
  if (status === 429)
    return new ProviderError(
      provider,
      "rate_limit",
      `rate limited (HTTP 429)${options.retryAfterMs !== undefined ? `, retry after ${Math.ceil(options.retryAfterMs / 1000)} s` : ""}: ${message}`,
      base,
    );
  if (/content_policy|moderation|safety|content_filter/.test(text))
    return new ProviderError(provider, "content_policy", `the content was refused by the provider's policy (HTTP ${status}): ${message}`, base);
  if (status === 404) return new ProviderError(provider, "not_found", `not found (HTTP 404): ${message}`, base);
  if (status === 408 || status === 504) return new ProviderError(provider, "timeout", `timed out (HTTP ${status}): ${message}`, base);
  if (status >= 500) return new ProviderError(provider, "transient", `server error (HTTP ${status}): ${message}`, base);
  return new ProviderError(provider, "bad_request", `request refused (HTTP ${status}): ${message}`, base);
}

/** Any thrown value as a ProviderError of `provider`: network failures are transient, aborts by
 *  our own timeout are timeouts. A caller's own abort is passed through untouched. */
export function toProviderError(provider: string, error: unknown, signal?: AbortSignal): unknown {
  if (error instanceof ProviderError) return error;
  if (signal?.aborted) return error;
  const err = error as Error & { code?: string; cause?: { code?: string; message?: string } };
  const name = err?.name ?? "";
  if (name === "TimeoutError" || name === "APIConnectionTimeoutError" || err?.code === "UND_ERR_HEADERS_TIMEOUT" || err?.code === "UND_ERR_BODY_TIMEOUT") {
    return new ProviderError(provider, "timeout", "no answer in time", { cause: error });
  }
  const code = err?.cause?.code ?? err?.code;
  // The connect-time address check (http.ts) refused the address the name resolved to: a
  // setting to fix, said in its own words, not a network fault to retry.
  if (code === "EADDRBLOCKED") return new ProviderError(provider, "config", `refused when connecting: ${err.cause?.message ?? err.message}`, { cause: error });
  const detail = code ? `${code}` : excerpt(err?.cause?.message ?? err?.message ?? String(error));
  return new ProviderError(provider, "transient", `could not connect: ${detail}`, { cause: error });
}

/** Local processes get the call's timeout as a signal; their failures become ProviderErrors. */
export async function withProcessTimeout<T>(provider: string, ctx: CallContext, fn: (signal: AbortSignal) => Promise<T>) {
  const signal = deadlineSignal(ctx.timeoutMs, ctx.signal);
  try {
    return await fn(signal);
  } catch (error) {
    throw toProviderError(provider, error, ctx.signal);
  }
}

/** A setting that names no provider of its capability (an old or hand-edited row). */
export const unknownProviderError = (config: ProviderConfig) =>
  new ProviderError(config.provider, "config", `no ${config.capability} provider is called "${config.provider}"`);
