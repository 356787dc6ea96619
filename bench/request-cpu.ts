// bench/request-cpu (`node --import tsx bench/request-cpu.ts`): the app's CPU time per request on the routes
// bench/load drives at scale (the progress stream's connect, the library list over REST and
// tRPC), without the production build. The routes of server/api/node-routes.ts run in this
// process behind a plain HTTP server; the client runs in a child process, so this process's
// CPU time (process.cpuUsage: user + system) over a phase, divided by what it served, is what
// the app spends per request, HTTP parsing and the database driver included (PostgreSQL's own
// work is not). Then the parts, called here one after another: the session read, the API key
// check, the list query. CPU time moves little with the machine's other load, unlike wall
// time: these are the figures to compare before and after a change.
// BENCH_PG_PORT (54372), BENCH_REQUESTS (2000), BENCH_WATCHERS (500), BENCH_CALLS (500),
// BENCH_LIBRARY (50 videos) change the defaults; BENCH_PHASES (rest,trpc,watchers,parts) picks
// phases, for a CPU profile of one (node --cpu-prof).
import { fork } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Pool } from "undici";
import superjson from "superjson";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const WATCHERS = Number(process.env.BENCH_WATCHERS ?? 500);
const CALLS = Number(process.env.BENCH_CALLS ?? 500);
const LIBRARY = Number(process.env.BENCH_LIBRARY ?? 50);
const CONCURRENCY = 20;
const PHASES = new Set((process.env.BENCH_PHASES ?? "rest,trpc,watchers,parts").split(","));

type Target = { path: string; headers: Record<string, string> };
type ClientTask = { kind: "requests"; origin: string; target: Target; count: number } | { kind: "watchers"; origin: string; target: Target; count: number };

if (process.env.BENCH_CLIENT === "1") {
  // The client: runs one task per message and answers when it is done.
  process.on("message", (task: ClientTask) => void runClientTask(task).then((result) => process.send!(result)));
} else {
  await main();
}

async function runClientTask(task: ClientTask) {
  if (task.kind === "requests") {
    const pool = new Pool(task.origin, { connections: CONCURRENCY });
    let left = task.count;
    let failed = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (left-- > 0) {
          const res = await pool.request({ method: "GET", path: task.target.path, headers: task.target.headers });
          await res.body.text();
          if (res.statusCode !== 200) failed++;
        }
      }),
    );
    await pool.close();
    return { failed };
  }
  // Watchers: each opens the stream and waits for its first event frame, then all close.
  const agent = new http.Agent({ maxSockets: Number.POSITIVE_INFINITY });
  const requests: http.ClientRequest[] = [];
  let failed = 0;
  await Promise.all(
    Array.from(
      { length: task.count },
      () =>
        new Promise<void>((resolve) => {
          const req = http.get(`${task.origin}${task.target.path}`, { agent, headers: task.target.headers }, (res) => {
            if (res.statusCode !== 200) failed++;
            res.on("data", (chunk: Buffer) => {
              if (chunk.includes("\nid: ")) resolve();
            });
            res.on("end", resolve);
          });
          req.on("error", () => {
            failed++;
            resolve();
          });
          requests.push(req);
        }),
    ),
  );
  for (const req of requests) req.destroy();
  agent.destroy();
  return { failed };
}

async function main() {
  const { setTestEnv } = await import("../test/helpers/env.ts");
  const { createTestDatabase } = await import("../test/helpers/postgres.ts");
  const { harbourBriefInput } = await import("../test/helpers/briefs.ts");
  setTestEnv({ RENDER_WORKER_URL: "http://127.0.0.1:9" });
  const root = path.resolve(import.meta.dirname, "..");
  const database = await createTestDatabase({ dataDir: path.join(root, ".data/bench-request-cpu"), port: Number(process.env.BENCH_PG_PORT ?? 54372) });
  process.env.DATABASE_URL = database.url;
  const { getDb } = await import("../server/db/client.ts");
  const { createUserWithWorkspace } = await import("../server/auth/accounts.ts");
  const { createApiKey, authenticateApiKey } = await import("../server/api-keys/service.ts");
  const { createVideo } = await import("../server/videos/service.ts");
  const { listVideos } = await import("../server/videos/queries.ts");
  const { briefSchema } = await import("../server/videos/brief.ts");
  const { serveFromNode, sessionOf } = await import("../server/api/node-routes.ts");
  const { sessionCookie } = await import("../test/helpers/session.ts");
  const db = getDb();

  const { user, workspace } = await createUserWithWorkspace({ db }, { name: "CPU", email: "cpu@example.test", password: "request-cpu-password" });
  const actor = { db, workspaceId: workspace.id, userId: user.id };
  const { key } = await createApiKey(actor, { name: "cpu", scopes: ["videos:read"] });
  let jobId = "";
  for (let i = 0; i < LIBRARY; i++) jobId = (await createVideo(actor, briefSchema.parse(harbourBriefInput(`library ${i + 1}`)))).job.id;
  const cookie = await sessionCookie(user.id);

  const server = http.createServer((req, res) => {
    void serveFromNode(req, res).then((served) => {
      if (!served) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = fork(import.meta.filename, [], { env: { ...process.env, BENCH_CLIENT: "1" }, execArgv: ["--import", "tsx"] });
  const run = (task: ClientTask) =>
    new Promise<{ failed: number }>((resolve) => {
      client.once("message", (result) => resolve(result as { failed: number }));
      client.send(task);
    });
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  };
  /** This process's CPU ms per unit over `fn`, after one unwatched warm-up run. */
  const perUnit = async (units: number, fn: () => Promise<unknown>) => {
    const before = cpuMs();
    await fn();
    return (cpuMs() - before) / units;
  };

  const restList: Target = { path: "/api/v1/videos", headers: { authorization: `Bearer ${key}` } };
  const trpcList: Target = { path: `/api/trpc/videos.list?input=${encodeURIComponent(JSON.stringify(superjson.serialize({})))}`, headers: { cookie } };
  const events: Target = {
    path: `/api/trpc/jobs.events?input=${encodeURIComponent(JSON.stringify(superjson.serialize({ jobId })))}`,
    headers: { cookie, accept: "text/event-stream" },
  };
  const rows: [string, string, string][] = [];
  for (const [phase, label, target, kind, count] of [
    ["rest", "REST list over HTTP", restList, "requests", REQUESTS],
    ["trpc", "tRPC list over HTTP", trpcList, "requests", REQUESTS],
    ["watchers", "watcher connecting (to its first event)", events, "watchers", WATCHERS],
  ] as const) {
    if (!PHASES.has(phase)) continue;
    await run({ kind, origin, target, count: Math.ceil(count / 5) });
    let failed = 0;
    const ms = await perUnit(count, async () => {
      failed = (await run({ kind, origin, target, count })).failed;
    });
    if (failed) throw new Error(`${label}: ${failed} of ${count} failed`);
    rows.push([label, String(count), ms.toFixed(3)]);
  }
  // The parts, in this process, one after another (each warmed up first).
  const headers = new Headers({ cookie });
  const fakeReq = { socket: {} } as http.IncomingMessage;
  for (const [label, fn] of [
    ["session read (sessionOf)", () => sessionOf(fakeReq, headers)],
    ["API key check (authenticateApiKey)", () => authenticateApiKey({ db }, key)],
    [`listVideos (${LIBRARY} videos)`, () => listVideos(actor, {})],
  ] as const) {
    if (!PHASES.has("parts")) break;
    for (let i = 0; i < 50; i++) await fn();
    const ms = await perUnit(CALLS, async () => {
      for (let i = 0; i < CALLS; i++) await fn();
    });
    rows.push([label, String(CALLS), ms.toFixed(3)]);
  }

  console.log(
    `\nbench:request-cpu — cores ${os.cpus().length}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}, node ${process.version}`,
  );
  console.log(`this process's CPU time (user + system) per request; the client in a child process, ${CONCURRENCY} requests at a time\n`);
  const widths = [44, 8, 10];
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(line(["what", "count", "CPU ms each"]));
  for (const row of rows) console.log(line(row));

  client.kill();
  server.closeAllConnections();
  server.close();
  await db.$disconnect();
  await database.drop();
  process.exit(0);
}
