// Talks to the render workers over HTTP: finds a worker with a free slot, submits, polls
// progress, cancels. A render id derived from the job makes a retried submit find the render
// already running instead of starting a second one: before placing a render, every worker is
// asked whether it already runs it (a resumed step finds its render wherever it is).
//
// A worker that cannot be reached (a container restart, a host reboot) is a transient fault:
// the client keeps asking it, and after `failoverMs` without an answer gives the render to
// another worker. A worker cancels a render nobody has asked about for its lease
// (RENDER_LEASE_SECONDS, shorter than the failover wait), so one render never runs on two
// workers at once. With no worker reachable, the client waits up to `unreachableWaitMs`,
// saying so through `onWaiting`, and fails only after that.
import { setTimeout as wait } from "node:timers/promises";
import { ABANDONED_RENDER, type RenderResult, type RenderSpecInput, type RenderState } from "@aura/render-contract";

export class RenderWorkerError extends Error {
  readonly provider = "render-worker";
  constructor(
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

/** The worker could not be reached at all (refused, reset, timed out, no such host). */
class WorkerUnreachableError extends RenderWorkerError {
  constructor(
    readonly baseUrl: string,
    readonly reason: string,
  ) {
    super(`render worker at ${baseUrl} is unreachable: ${reason}`, true);
  }
}

type Options = {
  /** The workers' base URLs, asked again whenever a render is placed (a list, or a DNS name's addresses). */
  workers: () => Promise<string[]>;
  secret: string;
  signal?: AbortSignal;
  /** How far the render is, and the time left the worker estimates from its speed so far. */
  onProgress?: (percent: number, etaSec: number | null) => void;
  /** Called while no worker can take or run the render, with what the job page shows. */
  onWaiting?: (message: string) => void;
  /** Called with the worker a render was placed on. */
  onPlaced?: (baseUrl: string) => void;
  /** How long the render waits while no worker can be reached before it fails (default 5 minutes). */
  unreachableWaitMs?: number;
  /** How long the worker running a render may not answer before the render moves (default 75 s). */
  failoverMs?: number;
  pollMs?: number;
  fetchImpl?: typeof fetch;
};

const SECRET_REFUSED = new RenderWorkerError("the render worker refused the shared secret (RENDER_WORKER_SECRET differs)", false);

/** Waits, or stops at once with the signal's own reason when the job is cancelled. */
const sleep = (ms: number, signal?: AbortSignal) =>
  wait(ms, undefined, { signal }).catch(() => {
    throw signal?.reason ?? new Error("aborted");
  });

async function call(options: Options, baseUrl: string, method: string, path: string, body?: unknown, timeoutMs = 30_000) {
  const f = options.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await f(new URL(path, baseUrl), {
      method,
      headers: { authorization: `Bearer ${options.secret}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new WorkerUnreachableError(baseUrl, reasonOf(error));
  }
  const json = (await res.json().catch(() => ({}))) as RenderState & { error?: string; running?: number; capacity?: number };
  return { status: res.status, json, retryAfter: Number(res.headers.get("retry-after") ?? 5) };
}

/** fetch's "fetch failed" hides the socket error in its cause: ECONNREFUSED says more. */
function reasonOf(error: unknown) {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** Settles every promise; the ones that failed are left out. */
async function settled<T>(promises: Promise<T>[]) {
  return (await Promise.allSettled(promises)).flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
}

export async function renderOnWorker(renderId: string, spec: RenderSpecInput, correlationId: string, options: Options): Promise<RenderResult> {
  const waitMs = options.unreachableWaitMs ?? 300_000;
  const failoverMs = options.failoverMs ?? 75_000;
  let worker: string | null = null;
  let waitingSince: number | null = null;
  let lastContact = Date.now();
  const waiting = async (reason: string) => {
    waitingSince ??= Date.now();
    const waited = Date.now() - waitingSince;
    if (waited >= waitMs) {
      throw new RenderWorkerError(
        `no render worker answered for ${Math.round(waited / 1000)} s (the limit is ${Math.round(waitMs / 1000)} s): ${reason}`,
        false,
      );
    }
    options.onWaiting?.(`waiting for a render worker (${reason}, ${Math.round(waited / 1000)} s so far)`);
    await sleep(Math.min(5000, waitMs - waited, 1000 + waited / 10), options.signal);
  };

  /** The worker that already has this render (a resumed step), and how many did not answer:
   *  one of those may be running it. */
  const locate = async (urls: string[]) => {
    const found = await settled(urls.map(async (url) => ({ url, res: await call(options, url, "GET", `/renders/${renderId}`, undefined, 5000) })));
    const live = found.filter((f) => f.res.status === 200 && !["failed", "cancelled"].includes(f.res.json.status));
    return { existing: live.find((f) => f.res.json.status === "succeeded") ?? live[0] ?? null, silent: urls.length - found.length };
  };

  /**
   * Submits to the reachable worker with the most free slots. A worker that refuses the secret
   * or the spec is skipped; the render fails only when none took it and one said why. A submit
   * that got no answer may have started the render there: nothing more is tried until `locate`
   * finds it or the failover wait has passed (`uncertain`).
   */
  const place = async (urls: string[], avoid: string | null) => {
    const health = await settled(urls.map(async (url) => ({ url, res: await call(options, url, "GET", "/health", undefined, 5000) })));
    const candidates = health
      .filter((h) => h.res.status === 200)
      .map((h) => ({ url: h.url, free: (h.res.json.capacity ?? 1) - (h.res.json.running ?? 0) }))
      .sort((a, b) => Number(a.url === avoid) - Number(b.url === avoid) || b.free - a.free);
    let refusal: RenderWorkerError | null = health.some((h) => h.res.status === 401) ? SECRET_REFUSED : null;
    let retryAfter: number | null = null;
    for (const { url } of candidates) {
      let res: Awaited<ReturnType<typeof call>>;
      try {
        res = await call(options, url, "POST", "/renders", { id: renderId, correlationId, spec });
      } catch {
        return { url: null, retryAfter: null, refusal: null, uncertain: true };
      }
      if (res.status === 202) return { url, retryAfter: null, refusal: null, uncertain: false };
      if (res.status === 503) retryAfter = Math.min(retryAfter ?? Infinity, res.retryAfter);
      else if (res.status === 401) refusal = SECRET_REFUSED;
      else refusal = new RenderWorkerError(`render worker answered ${res.status}: ${res.json.error ?? "no reason given"}`, res.status >= 500);
    }
    return { url: null, retryAfter, refusal, uncertain: false };
  };

  // Cancelled before it began (between the step's start and here): submit nothing.
  if (options.signal?.aborted) throw options.signal.reason ?? new Error("aborted");
  const cancel = () => {
    if (worker) void call(options, worker, "DELETE", `/renders/${renderId}`).catch(() => {});
  };
  /** Since when a worker that may run the render has not answered (while none is known). */
  let unsureSince: number | null = null;
  options.signal?.addEventListener("abort", cancel, { once: true });
  try {
    for (;;) {
      if (!worker) {
        const urls = await options.workers();
        const { existing, silent } = await locate(urls);
        if (existing) worker = existing.url;
        else {
          // A worker that did not answer may be running it: wait for it, up to the failover wait.
          if (silent > 0 && silent < urls.length) {
            unsureSince ??= Date.now();
            if (Date.now() - unsureSince < failoverMs) {
              await waiting(`${silent} of ${urls.length} render workers did not answer`);
              continue;
            }
          }
          const placed = await place(urls, null);
          if (placed.uncertain) {
            unsureSince ??= Date.now();
            await waiting("a render worker took the render without answering");
            continue;
          }
          if (!placed.url) {
            if (placed.retryAfter !== null) {
              // Every worker answered that it is full: that is no outage, so it does not count
              // against the wait for unreachable workers.
              waitingSince = null;
              options.onWaiting?.("waiting for a render worker (every render worker is busy)");
              await sleep(Math.max(1000, placed.retryAfter * 1000), options.signal);
              continue;
            }
            if (placed.refusal) throw placed.refusal;
            await waiting(`none of ${urls.join(", ")} can be reached`);
            continue;
          }
          worker = placed.url;
        }
        options.onPlaced?.(worker);
        waitingSince = null;
        unsureSince = null;
        lastContact = Date.now();
        // Cancelled while it was being placed: the listener saw no worker yet.
        if (options.signal?.aborted) cancel();
      }
      await sleep(options.pollMs ?? 500, options.signal);
      let res: Awaited<ReturnType<typeof call>>;
      try {
        res = await call(options, worker, "GET", `/renders/${renderId}`);
      } catch (error) {
        if (!(error instanceof WorkerUnreachableError)) throw error;
        // The worker running the render is gone: after the failover wait (longer than the
        // worker's own lease), the render moves; until then, and with nowhere to go, it waits.
        if (Date.now() - lastContact >= failoverMs) {
          const urls = (await options.workers()).filter((u) => u !== worker);
          const placed: { url: string | null } = urls.length ? await place(urls, worker) : { url: null };
          if (placed.url) {
            worker = placed.url;
            options.onPlaced?.(placed.url);
            lastContact = Date.now();
            waitingSince = null;
            continue;
          }
        }
        await waiting(`${error.reason} at ${error.baseUrl}`);
        continue;
      }
      lastContact = Date.now();
      waitingSince = null;
      if (res.status === 404) {
        worker = null; // the worker restarted and forgot the render: place it again
        continue;
      }
      if ([502, 503, 504].includes(res.status)) {
        // A proxy in front of a worker that is restarting: as if unreachable.
        await waiting(`HTTP ${res.status} from ${worker}`);
        continue;
      }
      if (res.status === 401) throw SECRET_REFUSED;
      if (res.status !== 200 || typeof res.json.status !== "string")
        throw new RenderWorkerError(`render worker answered ${res.status}: ${res.json.error ?? "an unreadable state"}`, true);
      const state = res.json;
      if (state.status === "succeeded" && state.result) return state.result;
      if (state.status === "failed") throw new RenderWorkerError(`render failed: ${state.error}`, false);
      if (state.status === "cancelled" && state.error?.startsWith(ABANDONED_RENDER)) {
        worker = null; // its lease ran out while no one could ask about it: place it again
        continue;
      }
      if (state.status === "cancelled") throw new RenderWorkerError("render was cancelled on the worker", false);
      if (typeof state.progress?.percent === "number") options.onProgress?.(state.progress.percent, state.progress.etaSec ?? null);
    }
  } finally {
    options.signal?.removeEventListener("abort", cancel);
    // Cancelled after the render moved, or while it was being placed: the worker it is on now.
    if (options.signal?.aborted) cancel();
  }
}
