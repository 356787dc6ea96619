// Talks to the render worker over HTTP: submit, poll progress, cancel. A render id derived
// from the job makes a retried submit find the render already running instead of starting
// a second one; a worker that restarted (404) gets the spec again. A worker that cannot be
// reached (a container restart, a host reboot) is a transient fault: the client waits for it
// up to `unreachableWaitMs`, saying so through `onWaiting`, and fails only after that.
import { setTimeout as wait } from "node:timers/promises";
import type { RenderResult, RenderSpecInput, RenderState } from "@aura/render-contract";

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
  baseUrl: string;
  secret: string;
  signal?: AbortSignal;
  onProgress?: (percent: number) => void;
  /** Called while the worker cannot be reached, with what the job page shows. */
  onWaiting?: (message: string) => void;
  /** How long an unreachable worker is waited for before the render fails (default 5 minutes). */
  unreachableWaitMs?: number;
  pollMs?: number;
  fetchImpl?: typeof fetch;
};

/** Waits, or stops at once with the signal's own reason when the job is cancelled. */
const sleep = (ms: number, signal?: AbortSignal) =>
  wait(ms, undefined, { signal }).catch(() => {
    throw signal?.reason ?? new Error("aborted");
  });

async function call(options: Options, method: string, path: string, body?: unknown) {
  const f = options.fetchImpl ?? fetch;
  let res: Response;
  try {
    res = await f(new URL(path, options.baseUrl), {
      method,
      headers: { authorization: `Bearer ${options.secret}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new WorkerUnreachableError(options.baseUrl, reasonOf(error));
  }
  const json = (await res.json().catch(() => ({}))) as RenderState & { error?: string };
  return { status: res.status, json, retryAfter: Number(res.headers.get("retry-after") ?? 5) };
}

/** fetch's "fetch failed" hides the socket error in its cause: ECONNREFUSED says more. */
function reasonOf(error: unknown) {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/**
 * Calls the worker, waiting while it cannot be reached: retries every 0.5–5 s until
 * `unreachableWaitMs` has passed since the first failed try, then fails for good.
 */
async function callWaiting(options: Options, method: string, path: string, body?: unknown) {
  const waitMs = options.unreachableWaitMs ?? 300_000;
  let since: number | undefined;
  for (let tries = 0; ; tries++) {
    try {
      return await call(options, method, path, body);
    } catch (error) {
      if (!(error instanceof WorkerUnreachableError)) throw error;
      since ??= Date.now();
      const waited = Date.now() - since;
      if (waited >= waitMs) {
        throw new RenderWorkerError(
          `no render worker answered for ${Math.round(waited / 1000)} s (the limit is ${Math.round(waitMs / 1000)} s): ${options.baseUrl} is unreachable (${error.reason})`,
          false,
        );
      }
      options.onWaiting?.(`waiting for a render worker (${error.reason} at ${options.baseUrl}, ${Math.round(waited / 1000)} s so far)`);
      await sleep(Math.min(5000, 500 * 2 ** tries, waitMs - waited), options.signal);
    }
  }
}

export async function renderOnWorker(renderId: string, spec: RenderSpecInput, correlationId: string, options: Options): Promise<RenderResult> {
  const submit = async () => {
    for (;;) {
      const res = await callWaiting(options, "POST", "/renders", { id: renderId, correlationId, spec });
      if (res.status === 202) return;
      if (res.status === 503) {
        await sleep(res.retryAfter * 1000, options.signal);
        continue;
      }
      if (res.status === 401) throw new RenderWorkerError("the render worker refused the shared secret (RENDER_WORKER_SECRET differs)", false);
      throw new RenderWorkerError(`render worker answered ${res.status}: ${res.json.error ?? "no reason given"}`, res.status >= 500);
    }
  };
  // Cancelled before it began (between the step's start and here): submit nothing.
  if (options.signal?.aborted) throw options.signal.reason ?? new Error("aborted");
  const cancel = () => void call(options, "DELETE", `/renders/${renderId}`).catch(() => {});
  options.signal?.addEventListener("abort", cancel, { once: true });
  try {
    await submit();
    for (;;) {
      await sleep(options.pollMs ?? 500, options.signal);
      const res = await callWaiting(options, "GET", `/renders/${renderId}`);
      if (res.status === 404) {
        await submit(); // the worker restarted and forgot the render
        continue;
      }
      if (res.status !== 200) throw new RenderWorkerError(`render worker answered ${res.status}: ${res.json.error ?? ""}`, true);
      const state = res.json;
      if (state.status === "succeeded" && state.result) return state.result;
      if (state.status === "failed") throw new RenderWorkerError(`render failed: ${state.error}`, false);
      if (state.status === "cancelled") throw new RenderWorkerError("render was cancelled on the worker", false);
      options.onProgress?.(state.progress.percent);
    }
  } finally {
    options.signal?.removeEventListener("abort", cancel);
  }
}
