// The app's render client against local servers that speak the render worker's API, with the
// worker's own behaviour: slots (503 + Retry-After when full), renders that advance as they
// are asked about, a restart that forgets them (404), a wrong secret (401), a failed render,
// and workers that go away. With several workers: a render goes where there is a free slot,
// a resumed step finds its render on whichever worker has it, and a render moves to another
// worker when its own stays unreachable.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, test } from "node:test";
import { renderOnWorker, type RenderWorkerError } from "../../../../../server/pipeline/render/worker-client.ts";

const result = {
  video: { key: "v.mp4", bytes: 1, sha256: "x", durationSec: 9, width: 2, height: 2, hasAudio: true },
  poster: { key: "p.jpg", bytes: 1, sha256: "y", width: 2, height: 2 },
  encoder: "libx264",
  elapsedSec: 3,
};

type Render = { id: string; polls: number; status: string; error?: string };

/** A render worker in miniature: `capacity` slots; a render succeeds after `pollsToFinish` polls. */
class FakeWorker {
  readonly renders = new Map<string, Render>();
  readonly calls: string[] = [];
  server: http.Server | null = null;
  port = 0;
  failWith: string | null = null;
  constructor(
    readonly capacity = 1,
    readonly pollsToFinish = 3,
    readonly secret = "s3cret",
  ) {}

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  get running() {
    return [...this.renders.values()].filter((r) => r.status === "running").length;
  }

  async start() {
    this.server = http.createServer((req, res) => {
      const line = `${req.method} ${req.url}`;
      this.calls.push(line);
      req.resume();
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
      if (req.headers.authorization !== `Bearer ${this.secret}`) return send(401, { error: "missing or wrong render worker secret" });
      if (req.method === "GET" && req.url === "/health") return send(200, { ok: true, running: this.running, capacity: this.capacity });
      if (req.method === "POST" && req.url === "/renders") {
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          const { id } = JSON.parse(body) as { id: string };
          const existing = this.renders.get(id);
          if (existing && existing.status !== "cancelled" && existing.status !== "failed") return send(202, existing);
          if (this.running >= this.capacity) return send(503, { error: "all render slots are busy" }, { "retry-after": "0" });
          const render = { id, polls: 0, status: "running" };
          this.renders.set(id, render);
          send(202, render);
        });
        return;
      }
      const id = /^\/renders\/(.+)$/.exec(req.url ?? "")?.[1];
      const render = id ? this.renders.get(id) : undefined;
      if (req.method === "DELETE" && render) {
        render.status = "cancelled";
        return send(200, render);
      }
      if (req.method === "GET" && id) {
        if (!render) return send(404, { error: `no render ${id}` });
        if (render.status === "running" && ++render.polls >= this.pollsToFinish) {
          if (this.failWith) Object.assign(render, { status: "failed", error: this.failWith });
          else render.status = "succeeded";
        }
        return send(200, {
          ...render,
          progress: { percent: Math.min(100, (render.polls / this.pollsToFinish) * 100) },
          ...(render.status === "succeeded" ? { result } : {}),
        });
      }
      send(404, { error: "not found" });
    });
    await new Promise<void>((r) => this.server!.listen(this.port, "127.0.0.1", r));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** Gone: the port answers nothing (refused), and what it ran is forgotten, as after a crash. */
  async stop() {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
    this.server = null;
    this.renders.clear();
  }
}

const started: FakeWorker[] = [];
const worker = async (...args: ConstructorParameters<typeof FakeWorker>) => {
  const w = await new FakeWorker(...args).start();
  started.push(w);
  return w;
};
after(async () => {
  for (const w of started) if (w.server) await w.stop();
});

const options = (...workers: FakeWorker[]) => ({ workers: async () => workers.map((w) => w.url), secret: "s3cret", pollMs: 5 });

describe("render client", () => {
  test("submits, reports progress and returns the result; a worker restart that forgot the render gets it again", async () => {
    const w = await worker(1, 4);
    const progress: number[] = [];
    let forgot = false;
    const out = await renderOnWorker("r1", {} as never, "corr", {
      ...options(w),
      onProgress: (p) => {
        progress.push(p);
        if (!forgot && p >= 50) {
          forgot = true;
          w.renders.clear(); // a restart: the next poll answers 404
        }
      },
    });
    assert.deepEqual(out, result);
    assert.ok(progress.length >= 3 && progress.every((p, i) => i === 0 || p >= progress[i - 1]! || p === 25), progress.join(","));
    assert.equal(w.calls.filter((c) => c === "POST /renders").length, 2, "submitted again after the restart");
  });

  test("a wrong secret is a clear error that is not retried", async () => {
    const w = await worker(1, 3, "other-secret");
    await assert.rejects(
      renderOnWorker("r2", {} as never, "corr", options(w)),
      (e: RenderWorkerError) => e.retriable === false && /RENDER_WORKER_SECRET/.test(e.message) && e.provider === "render-worker",
    );
  });

  test("a failed render carries the worker's reason and is not retried", async () => {
    const w = await worker();
    w.failWith = "input a.png is not in storage";
    await assert.rejects(
      renderOnWorker("r3", {} as never, "corr", options(w)),
      (e: RenderWorkerError) => e.retriable === false && e.message === "render failed: input a.png is not in storage",
    );
  });

  test("cancelling aborts the wait and cancels the render on the worker; cancelled before it began, nothing is submitted", async () => {
    const w = await worker(1, 1000);
    const controller = new AbortController();
    const done = renderOnWorker("r4", {} as never, "corr", { ...options(w), pollMs: 20, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(done);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(w.renders.get("r4")?.status, "cancelled");
    const early = new AbortController();
    early.abort();
    const before = w.calls.length;
    await assert.rejects(renderOnWorker("r5", {} as never, "corr", { ...options(w), signal: early.signal }));
    assert.equal(w.calls.length, before, "no request at all");
  });

  test("a pool: each render goes to a worker with a free slot; a full pool waits, saying so, and places it when a slot frees", async () => {
    const [a, b] = [await worker(1, 30), await worker(1, 30)];
    const waiting: string[] = [];
    const first = renderOnWorker("p1", {} as never, "corr", options(a, b));
    while (a.running + b.running < 1) await new Promise((r) => setTimeout(r, 2));
    const second = renderOnWorker("p2", {} as never, "corr", options(a, b));
    while (a.running + b.running < 2) await new Promise((r) => setTimeout(r, 2));
    assert.deepEqual([a.running, b.running], [1, 1], "the second went to the worker with the free slot");
    const third = renderOnWorker("p3", {} as never, "corr", { ...options(a, b), onWaiting: (m) => waiting.push(m) });
    await Promise.all([first, second, third]);
    assert.ok(a.renders.size >= 1 && b.renders.size >= 1, "both workers rendered");
    assert.equal(a.renders.size + b.renders.size, 3, "each render ran on exactly one worker");
    assert.ok(
      waiting.some((m) => m.startsWith("waiting for a render worker (every render worker is busy")),
      waiting.join("\n"),
    );
  });

  test("a resumed step finds its render on whichever worker runs it, and does not start a second one", async () => {
    const [a, b] = [await worker(2, 5), await worker(2, 5)];
    b.renders.set("resumed", { id: "resumed", polls: 2, status: "running" });
    await renderOnWorker("resumed", {} as never, "corr", options(a, b));
    assert.equal(a.calls.filter((c) => c.startsWith("POST")).length, 0);
    assert.equal(b.calls.filter((c) => c.startsWith("POST")).length, 0, "found running, not submitted again");
  });

  test("a worker that dies mid-render: after the failover wait the render moves to another worker and finishes there", async () => {
    const [a, b] = [await worker(1, 1000), await worker(1, 5)];
    const placed: string[] = [];
    const done = renderOnWorker("moving", {} as never, "corr", {
      workers: async () => [a.url, b.url],
      secret: "s3cret",
      pollMs: 10,
      failoverMs: 300,
      onPlaced: (url) => placed.push(url),
    });
    while (!a.renders.has("moving") && !b.renders.has("moving")) await new Promise((r) => setTimeout(r, 5));
    // Whichever worker got it is killed.
    const first = a.renders.has("moving") ? a : b;
    const other = first === a ? b : a;
    await first.stop();
    await done;
    assert.deepEqual(placed, [first.url, other.url]);
    assert.equal(other.renders.get("moving")?.status, "succeeded");
  });

  test("with no worker reachable, the render waits (saying so) and fails after the wait, naming the reason", async () => {
    const w = await worker();
    const url = w.url;
    await w.stop();
    const waiting: string[] = [];
    await assert.rejects(
      renderOnWorker("gone", {} as never, "corr", {
        workers: async () => [url],
        secret: "s3cret",
        pollMs: 5,
        unreachableWaitMs: 1200,
        onWaiting: (m) => waiting.push(m),
      }),
      (e: RenderWorkerError) => !e.retriable && /the limit is 1 s/.test(e.message) && e.message.includes(url),
    );
    assert.ok(waiting.length >= 1 && waiting[0]!.startsWith(`waiting for a render worker (none of ${url} can be reached`), waiting.join("\n"));
  });

  test("a render its worker gave up for lack of polls (its lease) is placed again, not failed", async () => {
    const w = await worker(1, 4);
    let abandoned = false;
    const out = await renderOnWorker("lease", {} as never, "corr", {
      ...options(w),
      onProgress: () => {
        if (abandoned) return;
        abandoned = true;
        Object.assign(w.renders.get("lease")!, { status: "cancelled", error: "abandoned: no one asked about it for 60 s" });
      },
    });
    assert.deepEqual(out, result);
    assert.equal(w.calls.filter((c) => c === "POST /renders").length, 2);
  });

  test("a busy pool is no outage: the render waits past the unreachable limit and is placed when a slot frees", async () => {
    const w = await worker(1, 3);
    w.renders.set("other", { id: "other", polls: 0, status: "running" });
    setTimeout(() => {
      w.renders.get("other")!.status = "succeeded";
    }, 1500);
    const waiting: string[] = [];
    const out = await renderOnWorker("patient", {} as never, "corr", { ...options(w), unreachableWaitMs: 300, onWaiting: (m) => waiting.push(m) });
    assert.deepEqual(out, result);
    assert.ok(waiting.includes("waiting for a render worker (every render worker is busy)"), waiting.join("\n"));
  });

  test("a worker that refuses the secret is skipped when another takes the render", async () => {
    const [wrong, right] = [await worker(1, 3, "another-secret"), await worker(1, 3)];
    assert.deepEqual(await renderOnWorker("skip", {} as never, "corr", options(wrong, right)), result);
    assert.equal(right.renders.get("skip")?.status, "succeeded");
  });

  test("cancelled while the render is being placed: it is cancelled on the worker that took it", async () => {
    const w = await worker(1, 1000);
    const controller = new AbortController();
    const slowWorkers = async () => {
      setTimeout(() => controller.abort(), 0);
      return [w.url];
    };
    await assert.rejects(renderOnWorker("late-cancel", {} as never, "corr", { workers: slowWorkers, secret: "s3cret", pollMs: 5, signal: controller.signal }));
    await new Promise((r) => setTimeout(r, 100));
    const render = w.renders.get("late-cancel");
    assert.ok(!render || render.status === "cancelled", `left ${render?.status}`);
  });
});
