// The app's render client against a local server that speaks the render worker's API,
// including its failures: busy (503 + Retry-After), a restart that forgot the render (404),
// a wrong secret (401) and a failed render.
import assert from "node:assert/strict";
import http from "node:http";
import { after, before, describe, test } from "node:test";
import { renderOnWorker, type RenderWorkerError } from "../../../../../server/pipeline/render/worker-client.ts";

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
let script: Reply[] = [];
const calls: string[] = [];
let baseUrl = "";
const server = http.createServer((req, res) => {
  calls.push(`${req.method} ${req.url} ${req.headers.authorization}`);
  req.resume();
  const reply = script.shift() ?? { status: 500, body: { error: "unexpected call" } };
  res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
  res.end(JSON.stringify(reply.body ?? {}));
});

/** An address where nothing listens: a port that was free a moment ago. */
let deadUrl = "";
before(async () => {
  const probe = http.createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", r));
  deadUrl = `http://127.0.0.1:${(probe.address() as { port: number }).port}`;
  await new Promise((r) => probe.close(r));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
after(() => server.close());

const result = {
  video: { key: "v.mp4", bytes: 1, sha256: "x", durationSec: 9, width: 2, height: 2, hasAudio: true },
  poster: { key: "p.jpg", bytes: 1, sha256: "y", width: 2, height: 2 },
  encoder: "libx264",
  elapsedSec: 3,
};
const running = (percent: number) => ({ status: 200, body: { id: "r", status: "running", progress: { percent } } });
const options = () => ({ baseUrl, secret: "s3cret", pollMs: 5 });

describe("render client", () => {
  test("waits out a busy worker, resubmits after a worker restart, reports progress, returns the result", async () => {
    calls.length = 0;
    script = [
      { status: 503, body: { error: "busy" }, headers: { "retry-after": "0" } },
      { status: 202, body: {} },
      running(40),
      { status: 404, body: { error: "no render" } },
      { status: 202, body: {} },
      running(80),
      { status: 200, body: { id: "r", status: "succeeded", progress: { percent: 100 }, result } },
    ];
    const progress: number[] = [];
    const out = await renderOnWorker("r", {} as never, "corr", { ...options(), onProgress: (p) => progress.push(p) });
    assert.deepEqual(out, result);
    assert.deepEqual(progress, [40, 80]);
    assert.deepEqual(
      calls.map((c) => c.split(" ").slice(0, 2).join(" ")),
      ["POST /renders", "POST /renders", "GET /renders/r", "GET /renders/r", "POST /renders", "GET /renders/r", "GET /renders/r"],
    );
    assert.ok(calls.every((c) => c.endsWith("Bearer s3cret")));
  });

  test("a wrong secret is a clear error that is not retried", async () => {
    script = [{ status: 401, body: { error: "missing or wrong render worker secret" } }];
    await assert.rejects(
      renderOnWorker("r", {} as never, "corr", options()),
      (e: RenderWorkerError) => e.retriable === false && /RENDER_WORKER_SECRET/.test(e.message) && e.provider === "render-worker",
    );
  });

  test("a failed render carries the worker's reason and is not retried", async () => {
    script = [{ status: 202 }, { status: 200, body: { id: "r", status: "failed", error: "input a.png is not in storage", progress: { percent: 0 } } }];
    await assert.rejects(
      renderOnWorker("r", {} as never, "corr", options()),
      (e: RenderWorkerError) => e.retriable === false && e.message === "render failed: input a.png is not in storage",
    );
  });

  test("cancelling aborts the wait and cancels the render on the worker", async () => {
    calls.length = 0;
    script = [{ status: 202 }, running(10), running(20), running(30), { status: 200, body: { status: "cancelled" } }];
    const controller = new AbortController();
    const done = renderOnWorker("r", {} as never, "corr", { ...options(), pollMs: 50, signal: controller.signal });
    setTimeout(() => controller.abort(), 80);
    await assert.rejects(done);
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(calls.some((c) => c.startsWith("DELETE /renders/r")));
  });

  test("a job cancelled before the render began submits nothing and is not left rendering", async () => {
    calls.length = 0;
    script = [];
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(renderOnWorker("r", {} as never, "corr", { ...options(), signal: controller.signal }));
    assert.deepEqual(calls, [], "no render was started");
  });

  test("an abort that lands while a request is in flight still stops the polling", async () => {
    calls.length = 0;
    // The abort fires during the submit request: the next wait must not start.
    script = [{ status: 202 }, running(10), running(20), running(30), running(40), running(50), running(60), running(70), running(80)];
    const controller = new AbortController();
    const slowFetch: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (String(input).endsWith("/renders") && init?.method === "POST") controller.abort();
      return res;
    };
    await assert.rejects(renderOnWorker("r", {} as never, "corr", { ...options(), pollMs: 20, signal: controller.signal, fetchImpl: slowFetch }));
    await new Promise((r) => setTimeout(r, 50));
    assert.ok(calls.filter((c) => c.startsWith("GET")).length <= 1, calls.join("\n"));
  });

  test("a worker unreachable past the wait fails for good, naming its address, the reason and the wait", async () => {
    const waiting: string[] = [];
    await assert.rejects(
      renderOnWorker("r", {} as never, "corr", { ...options(), baseUrl: deadUrl, unreachableWaitMs: 1200, onWaiting: (m) => waiting.push(m) }),
      (e: RenderWorkerError) => !e.retriable && e.message.includes(deadUrl) && e.message.includes("ECONNREFUSED") && /the limit is 1 s/.test(e.message),
    );
    assert.ok(waiting.length >= 2, "the wait was reported while it lasted");
    assert.match(waiting[0]!, /^waiting for a render worker \(ECONNREFUSED/);
  });

  test("a worker that goes away mid-render and comes back is waited for: the render finishes", async () => {
    // Between two polls, the worker's address answers nothing for 1.5 s.
    calls.length = 0;
    script = [{ status: 202 }, running(30), running(60), { status: 200, body: { id: "r", status: "succeeded", progress: { percent: 100 }, result } }];
    const waiting: string[] = [];
    let downFor = 0;
    const flakyFetch: typeof fetch = async (input, init) => {
      // After the first progress report, the worker is unreachable for 1.5 s.
      if (calls.length === 2 && downFor === 0) downFor = Date.now() + 1500;
      if (downFor > Date.now()) return fetch(`${deadUrl}${new URL(String(input)).pathname}`, init);
      return fetch(input, init);
    };
    const out = await renderOnWorker("r", {} as never, "corr", {
      ...options(),
      fetchImpl: flakyFetch,
      unreachableWaitMs: 10_000,
      onWaiting: (m) => waiting.push(m),
    });
    assert.deepEqual(out, result);
    assert.ok(waiting.length >= 1 && waiting.every((m) => m.startsWith("waiting for a render worker")), waiting.join("\n"));
  });
});
