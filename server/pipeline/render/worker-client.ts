// Talks to the render worker over HTTP: submit, poll progress, cancel. A render id derived
// from the job makes a retried submit find the render already running instead of starting
// a second one; a worker that restarted (404) gets the spec again.
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

type Options = {
  baseUrl: string;
  secret: string;
  signal?: AbortSignal;
  onProgress?: (percent: number) => void;
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
    throw new RenderWorkerError(`render worker at ${options.baseUrl} is unreachable: ${(error as Error).message}`, true);
  }
  const json = (await res.json().catch(() => ({}))) as RenderState & { error?: string };
  return { status: res.status, json, retryAfter: Number(res.headers.get("retry-after") ?? 5) };
}

export async function renderOnWorker(renderId: string, spec: RenderSpecInput, correlationId: string, options: Options): Promise<RenderResult> {
  const submit = async () => {
    for (;;) {
      const res = await call(options, "POST", "/renders", { id: renderId, correlationId, spec });
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
      const res = await call(options, "GET", `/renders/${renderId}`);
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
