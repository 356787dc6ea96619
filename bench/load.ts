// bench/load (`npm run bench:load`): live progress and reads under load, measured from outside
// over real HTTP against an app instance this script starts itself (the production build,
// served by scripts/web-server.ts, on an embedded PostgreSQL of its own). It seeds a user with
// a password, an API key and a library of videos directly in the database, then measures:
// 1. watchers of one job's progress stream (tRPC over SSE with the session cookie), 200 and
//    then 1,000 at once: how long each takes to connect (request sent to the job's first event
//    received), how many events they missed or got twice, and how late the events appended
//    while they watch arrive (from just before the append to the frame read); then 1,000
//    again through the same procedure called in this process (no Next.js, no HTTP), which
//    shows how much of the time is the procedure and its feed;
// 2. the library list at 200 concurrent connections, over REST (/api/v1/videos with the API
//    key) and over tRPC (videos.list with the cookie): requests a second, p50 and p99 latency;
//    then where one list request's time goes (the same list in this process, without HTTP).
// Beside each phase's times, the app process's CPU time (from /proc) per watcher connecting,
// per frame delivered and per list request: counts that the machine's other load changes
// little, where the times move with it.
// The client and the app share this machine's cores: the figures include the client's work.
// Needs `npm run build` first. BENCH_PG_PORT, BENCH_WATCHERS (200,1000), BENCH_EVENTS (20),
// BENCH_LIST_SECONDS (10), BENCH_LIBRARY (50 videos) change the defaults; BENCH_APP_PROFILE=<dir>
// writes a CPU profile of the app (node --cpu-prof) there when the bench ends; AURA_NODE_ROUTES=0
// measures the app with the stream and the list served by Next.js's routes instead of its own
// Node server (scripts/web-server.ts); AURA_WEB_PROCESSES=n runs the app as n processes on its
// one port (the CPU columns then add up all of them).
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Agent, Pool, request } from "undici";
import superjson from "superjson";
import { harbourBriefInput } from "../test/helpers/briefs.ts";
import { setTestEnv } from "../test/helpers/env.ts";
import { createTestDatabase } from "../test/helpers/postgres.ts";
import { freePort } from "../test/helpers/render-worker.ts";

const root = path.resolve(import.meta.dirname, "..");
const WATCHERS = (process.env.BENCH_WATCHERS ?? "200,1000").split(",").map(Number);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20);
const LIST_SECONDS = Number(process.env.BENCH_LIST_SECONDS ?? 10);
const LIBRARY = Number(process.env.BENCH_LIBRARY ?? 50);
const LIST_CONNECTIONS = 200;
const NEEDED_FILES = 4096;
const APP_PROCESSES = Number(process.env.AURA_WEB_PROCESSES ?? 1);
const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"]).toString().trim());

// Each watcher holds a socket in this process and one in the app: a common default of 1,024
// open files is too few. Node cannot raise its own limit, so the bench runs itself again
// under a shell that raises the soft limit to the hard one (the app inherits it).
const openFiles = Number(execFileSync("sh", ["-c", "ulimit -n"]).toString().trim());
if (openFiles < NEEDED_FILES && !process.env.BENCH_LOAD_RAISED) {
  console.log(`open-file limit ${openFiles}: raising it to the hard limit and running again`);
  const child = spawn("sh", ["-c", 'ulimit -n "$(ulimit -Hn)" && exec "$@"', "sh", process.execPath, ...process.execArgv, ...process.argv.slice(1)], {
    stdio: "inherit",
    env: { ...process.env, BENCH_LOAD_RAISED: "1" },
  });
  child.on("exit", (code) => process.exit(code ?? 1));
} else {
  await main();
}

async function main() {
  if (!existsSync(path.join(root, ".next/BUILD_ID"))) {
    console.error("bench:load serves the production build: run `npm run build` first.");
    process.exit(1);
  }
  const conditions = `cores ${os.cpus().length}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ")}, open files ${Number(execFileSync("sh", ["-c", "ulimit -n"]).toString().trim())}, node ${process.version}, app processes ${APP_PROCESSES}`;

  setTestEnv({ RENDER_WORKER_URL: "http://127.0.0.1:9" });
  const database = await createTestDatabase({ dataDir: path.join(root, ".data/bench-load"), port: Number(process.env.BENCH_PG_PORT ?? 54369) });
  process.env.DATABASE_URL = database.url;
  const { getDb } = await import("../server/db/client.ts");
  const { createUserWithWorkspace } = await import("../server/auth/accounts.ts");
  const { createApiKey } = await import("../server/api-keys/service.ts");
  const { createVideo } = await import("../server/videos/service.ts");
  const { listVideos } = await import("../server/videos/queries.ts");
  const { authenticateApiKey } = await import("../server/api-keys/service.ts");
  const { briefSchema } = await import("../server/videos/brief.ts");
  const { appendJobEvent } = await import("../server/workflow/events.ts");
  const db = getDb();

  const email = "load@example.test";
  const password = "load-bench-password";
  const { user, workspace } = await createUserWithWorkspace({ db }, { name: "Load", email, password });
  const actor = { db, workspaceId: workspace.id, userId: user.id };
  const { key } = await createApiKey(actor, { name: "load", scopes: ["videos:read"] });
  for (let i = 0; i < LIBRARY; i++) await createVideo(actor, briefSchema.parse(harbourBriefInput(`library ${i + 1}`)));
  const newJob = async (tag: string) => (await createVideo(actor, briefSchema.parse(harbourBriefInput(tag)))).job.id;

  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const app = await startApp(port);
  const cookie = await signIn(origin, email, password);

  // One request of each kind first: Next.js loads a route's code on its first request.
  const warm = await newJob("warm-up");
  const first = await watch(overHttp(origin, cookie, new Agent())(warm));
  await waitFor(() => first.ids.length > 0 || first.failed !== null, 60_000);
  if (!first.ids.length) throw new Error(`the progress stream answered nothing: ${first.failed}`);
  first.close();
  await first.done;
  const restList = { path: "/api/v1/videos", headers: { authorization: `Bearer ${key}` } };
  const trpcList = { path: `/api/trpc/videos.list?input=${encodeURIComponent(JSON.stringify(superjson.serialize({})))}`, headers: { cookie } };
  for (const target of [restList, trpcList]) {
    const res = await request(`${origin}${target.path}`, { headers: target.headers });
    const body = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${target.path}: ${res.statusCode} ${body.slice(0, 300)}`);
  }

  // The same procedure called in this process, without Next.js and HTTP: how much of the
  // watchers' time is the procedure and the feed, and how much the way there.
  const { handleTrpcRequest } = await import("../server/api/http.ts");
  const session = { user: { id: user.id } };
  const inProcessStream =
    (jobId: string): OpenStream =>
    async (signal) => {
      const req = new Request(`http://bench/api/trpc/jobs.events?input=${eventsInput(jobId)}`, { signal });
      const res = await handleTrpcRequest(req, async () => ({ db, session, headers: new Headers(), setWorkspace: async () => {} }));
      return { status: res.status, body: res.body as unknown as AsyncIterable<Uint8Array> };
    };

  const watcherRows: string[][] = [];
  for (const [count, inProcess] of [...WATCHERS.map((n) => [n, false] as const), [Math.max(...WATCHERS), true] as const]) {
    const round = await watchersRound(count, inProcess);
    watcherRows.push([
      inProcess ? `${count}, in process` : String(count),
      `${round.connected}/${count}`,
      seconds(round.connectMax),
      seconds(round.connectP99),
      String(round.missed),
      String(round.duplicates),
      millis(round.delayP50),
      millis(round.delayP99),
      inProcess ? "" : round.cpuPerWatcher.toFixed(2),
      inProcess ? "" : round.cpuPerFrame.toFixed(3),
    ]);
  }

  const listRows: string[][] = [];
  for (const [name, target] of [
    ["REST /api/v1/videos", restList],
    ["tRPC videos.list", trpcList],
  ] as const) {
    const cpu = appCpuMs(app.pid!);
    const r = await loadList(origin, target);
    const perRequest = (appCpuMs(app.pid!) - cpu) / r.requests;
    listRows.push([
      name,
      String(LIST_CONNECTIONS),
      r.rps.toFixed(0),
      millis(r.p50),
      millis(r.p99),
      String(r.errors),
      perRequest.toFixed(2),
      (1000 / perRequest).toFixed(0),
    ]);
  }

  // Where one list request's time goes: one at a time over HTTP, and its parts in this process
  // without HTTP, one at a time and 200 at once (the API key check writes the key's lastUsedAt,
  // one row that every request with that key updates).
  const serial = async (fn: () => Promise<unknown>, n = 50) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      await fn();
      times.push(performance.now() - t);
    }
    return percentile(times, 0.5);
  };
  const concurrent = async (fn: () => Promise<unknown>, n = 1000) => {
    let left = n;
    const t = performance.now();
    await Promise.all(
      Array.from({ length: LIST_CONNECTIONS }, async () => {
        while (left-- > 0) await fn();
      }),
    );
    return n / ((performance.now() - t) / 1000);
  };
  const over = (target: { path: string; headers: Record<string, string> }) => async () =>
    (await request(`${origin}${target.path}`, { headers: target.headers })).body.text();
  const checkKey = () => authenticateApiKey({ db }, key);
  const list = () => listVideos(actor, {});
  const keyRow = await db.apiKey.findFirstOrThrow({ where: { workspaceId: workspace.id } });
  const touchKey = () => db.apiKey.update({ where: { id: keyRow.id }, data: { lastUsedAt: new Date() } });
  const profile: [string, string, string][] = [
    ["REST list over HTTP", millis(await serial(over(restList))), ""],
    ["tRPC list over HTTP", millis(await serial(over(trpcList))), ""],
    ["API key check (authenticateApiKey)", millis(await serial(checkKey)), (await concurrent(checkKey)).toFixed(0)],
    ["  of which the lastUsedAt write", millis(await serial(touchKey)), (await concurrent(touchKey)).toFixed(0)],
    [`listVideos (${LIBRARY + WATCHERS.length + 1} videos)`, millis(await serial(list)), (await concurrent(list)).toFixed(0)],
  ];

  console.log(`\nbench:load — ${conditions}`);
  console.log(
    `one app instance (production build, ${APP_PROCESSES} process${APP_PROCESSES > 1 ? "es" : ""}), its own PostgreSQL; ${EVENTS} events appended 100 ms apart, then the job's last event\n`,
  );
  console.log(
    table(
      [
        "watchers",
        "connected",
        "connect max",
        "connect p99",
        "events missed",
        "twice",
        "delay p50",
        "delay p99",
        "app CPU ms per watcher connecting",
        "per frame",
      ],
      watcherRows,
    ),
  );
  console.log(`\nthe library list for ${LIST_SECONDS} s at ${LIST_CONNECTIONS} connections (${LIBRARY + WATCHERS.length + 1} videos, no job running)\n`);
  console.log(table(["list", "connections", "requests/s", "p50", "p99", "errors", "app CPU ms per request", "requests/s per core"], listRows));
  console.log(
    "(app CPU: the app process's user + system time over the phase, read from /proc, divided by what it served; a figure the other load on the machine changes little, unlike the times)",
  );
  console.log("\nwhere a list request's time goes: one at a time over HTTP, and its parts in the bench's own process\n");
  console.log(table(["what", "median, one at a time", `per second, ${LIST_CONNECTIONS} at once`], profile));

  const peaks = appProcesses(app.pid!).map((id) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${id}/status`, "utf8"))?.[1] ?? 0) / 1024);
  console.log(
    `\napp peak memory (VmHWM): ${peaks.map((mb) => `${mb.toFixed(0)} MB`).join(" + ")}${peaks.length > 1 ? ` = ${peaks.reduce((a, b) => a + b, 0).toFixed(0)} MB` : ""}`,
  );
  await stopApp(app);
  await db.$disconnect();
  await database.drop();
  process.exit(0);

  async function watchersRound(count: number, inProcess = false) {
    const jobId = await newJob(`watched by ${count}`);
    const agent = new Agent({ connections: null, keepAliveTimeout: 1000 });
    const open = inProcess ? inProcessStream(jobId) : overHttp(origin, cookie, agent)(jobId);
    const cpuBefore = appCpuMs(app.pid!);
    const watchers = await Promise.all(Array.from({ length: count }, () => watch(open)));
    const history = (await db.jobEvent.findMany({ where: { jobId }, select: { id: true } })).length;
    await waitFor(() => watchers.every((w) => w.failed || w.ids.length >= history), 60_000);
    const cpuConnected = appCpuMs(app.pid!);
    const sentAt = new Map<string, number>();
    for (let i = 0; i < EVENTS; i++) {
      const t = Date.now();
      const event = await appendJobEvent(db, jobId, "stage.progress", { stage: "render", progress: i / EVENTS });
      sentAt.set(String(event.id), t);
      await new Promise((r) => setTimeout(r, 100));
    }
    const t = Date.now();
    const last = await appendJobEvent(db, jobId, "job.succeeded", {}, { status: "succeeded", finishedAt: new Date() });
    sentAt.set(String(last.id), t);
    // Until every stream has ended, or none has received a frame for 15 s (what is still
    // missing then counts as missed).
    let ended = false;
    void Promise.all(watchers.map((w) => w.done)).then(() => {
      ended = true;
    });
    for (let frames = -1; !ended; ) {
      const now = watchers.reduce((n, w) => n + w.ids.length, 0);
      if (now === frames) break;
      frames = now;
      await waitFor(() => ended, 15_000);
    }
    const cpuEnded = appCpuMs(app.pid!);
    for (const w of watchers) w.close();
    await agent.close().catch(() => {});

    const all = (await db.jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" }, select: { id: true } })).map((e) => String(e.id));
    const connects = watchers.filter((w) => w.connectMs !== null).map((w) => w.connectMs!);
    const delays: number[] = [];
    let missed = 0;
    let duplicates = 0;
    for (const w of watchers) {
      const seen = new Set(w.ids);
      duplicates += w.ids.length - seen.size;
      missed += all.filter((id) => !seen.has(id)).length;
      for (const [id, at] of w.receivedAt) if (sentAt.has(id)) delays.push(at - sentAt.get(id)!);
    }
    const failures = watchers.filter((w) => w.failed).map((w) => w.failed);
    if (failures.length) console.log(`${count} watchers: ${failures.length} failed, e.g. ${failures[0]}`);
    return {
      connected: connects.length,
      connectMax: connects.length ? Math.max(...connects) : Number.NaN,
      connectP99: percentile(connects, 0.99),
      missed,
      duplicates,
      delayP50: percentile(delays, 0.5),
      delayP99: percentile(delays, 0.99),
      cpuPerWatcher: (cpuConnected - cpuBefore) / count,
      cpuPerFrame: (cpuEnded - cpuConnected) / Math.max(1, watchers.reduce((n, w) => n + w.ids.length, 0) - history * count),
    };
  }
}

type Watcher = {
  ids: string[];
  receivedAt: Map<string, number>;
  connectMs: number | null;
  failed: string | null;
  done: Promise<void>;
  close: () => void;
};

/** Opens one progress stream: its status and its body. */
type OpenStream = (signal: AbortSignal) => Promise<{ status: number; body: AsyncIterable<Uint8Array> }>;

function eventsInput(jobId: string) {
  return encodeURIComponent(JSON.stringify(superjson.serialize({ jobId })));
}

/** The stream over HTTP, with the session cookie. */
function overHttp(origin: string, cookie: string, dispatcher: Agent) {
  return (jobId: string): OpenStream =>
    async (signal) => {
      const res = await request(`${origin}/api/trpc/jobs.events?input=${eventsInput(jobId)}`, {
        headers: { cookie, accept: "text/event-stream" },
        dispatcher,
        signal,
      });
      return { status: res.statusCode, body: res.body };
    };
}

/** One watcher of the job's progress stream: reads SSE frames until the stream ends. */
async function watch(open: OpenStream): Promise<Watcher> {
  const controller = new AbortController();
  const w: Watcher = { ids: [], receivedAt: new Map(), connectMs: null, failed: null, done: Promise.resolve(), close: () => controller.abort() };
  const started = performance.now();
  w.done = (async () => {
    try {
      const res = await open(controller.signal);
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      const decoder = new TextDecoder();
      let pending = "";
      for await (const chunk of res.body) {
        pending += decoder.decode(chunk, { stream: true });
        let end = pending.indexOf("\n\n");
        while (end >= 0) {
          const frame = pending.slice(0, end);
          pending = pending.slice(end + 2);
          end = pending.indexOf("\n\n");
          const id = /^id: ?(.*)$/m.exec(frame)?.[1];
          if (!id || !/^data: /m.test(frame)) continue;
          if (w.connectMs === null) w.connectMs = performance.now() - started;
          w.ids.push(id);
          if (!w.receivedAt.has(id)) w.receivedAt.set(id, Date.now());
        }
      }
    } catch (error) {
      if (!controller.signal.aborted) w.failed = (error as Error).message;
    }
  })();
  return w;
}

/** Requests the list from LIST_CONNECTIONS connections at once, each as soon as its last answered. */
async function loadList(origin: string, target: { path: string; headers: Record<string, string> }) {
  const pool = new Pool(origin, { connections: LIST_CONNECTIONS });
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + LIST_SECONDS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: LIST_CONNECTIONS }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          const res = await pool.request({ method: "GET", path: target.path, headers: target.headers });
          await res.body.text();
          if (res.statusCode === 200) latencies.push(performance.now() - t);
          else errors++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return { requests: latencies.length, rps: latencies.length / elapsed, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), errors };
}

async function startApp(port: number) {
  const profile = process.env.BENCH_APP_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(process.env.BENCH_APP_PROFILE)}`] : [];
  const child = spawn(process.execPath, [...profile, "--import", "tsx", path.join(root, "scripts/web-server.ts")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if ((output.match(/listening on/g) ?? []).length === APP_PROCESSES) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the app exited with ${code}: ${output.slice(-2000)}`)));
  });
  return child;
}

function stopApp(child: ChildProcess) {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** Signs in through Auth.js's credentials endpoint, as the sign-in form does; the cookies. */
async function signIn(origin: string, email: string, password: string) {
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]!);
  const res = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(";")[0]!);
  if (!session.some((c) => c.startsWith("authjs.session-token="))) throw new Error(`sign-in failed: ${res.status}`);
  return [...jar, ...session].join("; ");
}

async function waitFor(done: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

function percentile(values: number[], p: number) {
  if (!values.length) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}

/** The app's process and, when it runs as several, the copies it started. */
function appProcesses(pid: number) {
  return [pid, ...readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number)];
}

/** CPU time (user + system) the app has used so far, in milliseconds, from /proc: all its processes. */
function appCpuMs(pid: number) {
  const ticks = (id: number) => {
    const fields = readFileSync(`/proc/${id}/stat`, "utf8").split(") ")[1]!.split(" ");
    // utime and stime, fields 14 and 15 of the line (11 and 12 after the command), in clock ticks.
    return Number(fields[11]) + Number(fields[12]);
  };
  return (appProcesses(pid).reduce((sum, id) => sum + ticks(id), 0) * 1000) / CLOCK_TICKS;
}

function millis(ms: number) {
  return `${Math.round(ms)} ms`;
}

function seconds(ms: number) {
  return `${(ms / 1000).toFixed(2)} s`;
}

function table(head: string[], rows: string[][]) {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
