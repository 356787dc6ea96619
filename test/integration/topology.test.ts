// Aura on several machines, on this one: two app instances (the production web server on
// two ports), two engine processes, two render workers whose scratch and cache directories
// are their own and that share nothing with each other or the app but the bucket, one
// PostgreSQL and one S3-compatible server (s3rver). Ten briefs go in through both apps' REST
// API; one worker is killed with SIGKILL in the middle of a render. All ten videos finish,
// each render completes exactly once, every video is served with Range from both apps, the
// bucket holds no object nobody owns, and a one-scene edit of a video one worker rendered is
// rendered by a fresh worker taking every unchanged segment from the bucket. One app streams
// live the progress of a job sent through the other; the workspace's limit of runs at once
// holds across both engines.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import superjson from "superjson";
import { startS3Server } from "../../packages/object-store/test/s3-server.ts";
import { harbourBriefInput } from "../helpers/briefs.ts";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { freePort, startRenderWorker } from "../helpers/render-worker.ts";

const root = path.resolve(import.meta.dirname, "../..");
const s3 = await startS3Server({ buckets: ["aura-topology"] });
// RENDER_CONCURRENCY 2: renders at once across the engines, one per worker.
const env = setTestEnv({ ...s3.env("aura-topology"), RENDER_WORKER_FAILOVER_SECONDS: "4", RENDER_CONCURRENCY: "2", AURA_QUIET_LOGS: "0" });
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;
const scratch = mkdtempSync(path.join(os.tmpdir(), "aura-topology-"));
// No process gets a storage directory it could share: each one's STORAGE_DIR is its own and unused.
const ownDir = (name: string) => path.join(scratch, name);

type Worker = Awaited<ReturnType<typeof startRenderWorker>>;
const startWorker = (name: string, port?: number) =>
  startRenderWorker({ storageDir: ownDir(`${name}-storage`), secret: env.RENDER_WORKER_SECRET, tmpDir: ownDir(`${name}-tmp`), ...(port ? { port } : {}) });
const workers: Worker[] = [await startWorker("worker-1"), await startWorker("worker-2")];
const workerUrls = workers.map((w) => w.url).join(",");

const children: ChildProcess[] = [];
function startProcess(script: string, extra: Record<string, string>, ready: RegExp) {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, script)], {
    cwd: root,
    env: { ...process.env, RENDER_WORKER_URL: workerUrls, STORAGE_DIR: ownDir(`app-storage-${children.length}`), ...extra },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let output = "";
  return new Promise<{ child: ChildProcess; output: () => string }>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if (ready.test(output)) resolve({ child, output: () => output });
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}: ${output.slice(-2000)}`)));
  });
}

const engines = await Promise.all([1, 2].map(() => startProcess("server/workflow/worker-main.ts", {}, /"msg":"engine started"/)));
const apps = await Promise.all(
  [1, 2].map(async () => {
    const port = await freePort();
    await startProcess("scripts/web-server.ts", { PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production" }, /listening on/);
    return `http://127.0.0.1:${port}`;
  }),
);

const { getDb } = await import("../../server/db/client.ts");
const { createApiKey } = await import("../../server/api-keys/service.ts");
const { createUserWithWorkspace } = await import("../../server/auth/accounts.ts");
const { editScene } = await import("../../server/videos/service.ts");
const { getStore } = await import("../../server/storage/store.ts");
const db = getDb();

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once("exit", r)) : null)));
  for (const w of workers) await w.stop();
  await db.$disconnect();
  await database.drop();
  await s3.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Signs in through Auth.js's credentials endpoint, as the sign-in form does; the cookies. */
async function signIn(app: string, email: string, password: string) {
  const csrf = await fetch(`${app}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = csrf.headers.getSetCookie().map((c) => c.split(";")[0]);
  const res = await fetch(`${app}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; ") },
    body: new URLSearchParams({ csrfToken, email, password }),
  });
  const session = res.headers.getSetCookie().map((c) => c.split(";")[0]!);
  assert.ok(
    session.some((c) => c.startsWith("authjs.session-token=")),
    `signed in at ${app}`,
  );
  return [...jar, ...session].join("; ");
}

/** The job's progress stream (tRPC over SSE) until it ends: each event's id and type. */
async function readEvents(app: string, cookie: string, jobId: string) {
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ jobId })));
  const res = await fetch(`${app}/api/trpc/jobs.events?input=${input}`, { headers: { cookie } });
  assert.match(res.headers.get("content-type") ?? "", /text\/event-stream/);
  const events: { id: string; type: string }[] = [];
  for (const frame of (await res.text()).split("\n\n")) {
    const data = /^data: ?(.*)$/m.exec(frame)?.[1];
    if (!/^id: /m.test(frame) || !data) continue;
    const message = superjson.deserialize(JSON.parse(data)) as { id: string; type: string };
    events.push({ id: message.id, type: message.type });
  }
  return events;
}
const logLines = (w: Worker, msg: string) =>
  w
    .output()
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as { msg: string; renderId?: string })
    .filter((l) => l.msg === msg);

test("ten briefs through two apps, two engines and two workers; a worker killed mid-render; an edit on a fresh worker", { timeout: 600_000 }, async () => {
  const { user, workspace: ws } = await createUserWithWorkspace({ db }, { name: "T", email: "topology@example.test", password: "topology-password" });
  const { key } = await createApiKey({ db, workspaceId: ws.id, userId: user.id }, { name: "topology", scopes: ["videos:read", "videos:write"] });
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };

  const ids: string[] = [];
  for (let i = 0; i < 10; i++) {
    const res = await fetch(`${apps[i % 2]}/api/v1/videos`, {
      method: "POST",
      headers,
      body: JSON.stringify(harbourBriefInput(`number ${i + 1}`)),
    });
    const body = await res.text();
    assert.equal(res.status, 201, body);
    ids.push((JSON.parse(body) as { id: string }).id);
  }

  // The last brief went in through the second app: the first app streams its progress live
  // (the events are written by the engine processes and reach every app by NOTIFY).
  const lastJob = await db.job.findFirstOrThrow({ where: { videoId: ids[9] } });
  const streamed = readEvents(apps[0]!, await signIn(apps[0]!, "topology@example.test", "topology-password"), lastJob.id);

  // The first worker is killed in the middle of its first render.
  for (let i = 0; logLines(workers[0]!, "render started").length === 0; i++) {
    assert.ok(i < 6000, "the first worker never started a render");
    await sleep(20);
  }
  await new Promise<void>((resolve) => {
    workers[0]!.child.once("exit", () => resolve());
    workers[0]!.child.kill("SIGKILL");
  });

  let mostRunning = 0;
  for (let i = 0; ; i++) {
    const jobs = await db.job.findMany({ where: { videoId: { in: ids } }, select: { status: true, errorMessage: true } });
    // Jobs with a step at work (the parent's "render" step only waits for the render's own run).
    const working = await db.jobStep.findMany({
      where: { job: { videoId: { in: ids } }, status: "running", stepId: { not: "render" } },
      distinct: ["jobId"],
      select: { jobId: true },
    });
    mostRunning = Math.max(mostRunning, working.length);
    const failed = jobs.find((j) => ["failed", "cancelled"].includes(j.status));
    assert.ok(!failed, failed?.errorMessage ?? "");
    if (jobs.length === 10 && jobs.every((j) => j.status === "succeeded")) break;
    assert.ok(i < 2400, `not finished: ${jobs.map((j) => j.status).join(", ")}`);
    await sleep(200);
  }

  const events = await streamed;
  assert.equal(events.at(-1)?.type, "job.succeeded", events.map((e) => e.type).join(" "));
  assert.ok(
    events.some((e) => e.type === "stage.progress"),
    "progress arrived while the job ran",
  );
  assert.ok(
    events.every((e, i) => i === 0 || BigInt(e.id) > BigInt(events[i - 1]!.id)),
    "in order, none repeated",
  );

  // The workspace's limit of jobs at once (WORKSPACE_CONCURRENCY, 2) held across both engines.
  assert.ok(mostRunning >= 1 && mostRunning <= 2, `${mostRunning} of the workspace's jobs ran at once`);

  // Each render completed exactly once, and counted once.
  const succeeded = workers.flatMap((w) => logLines(w, "render succeeded").map((l) => l.renderId));
  assert.equal(succeeded.length, 10, succeeded.join("\n"));
  assert.equal(new Set(succeeded).size, 10);
  assert.equal(await db.renderUsage.count({ where: { workspaceId: ws.id } }), 10);
  assert.ok(logLines(workers[1]!, "render succeeded").length >= 1, "the surviving worker rendered");

  // Every video from both apps, with Range, byte for byte what the bucket holds.
  const store = await getStore();
  const videos = await db.video.findMany({ where: { id: { in: ids } }, include: { outputAsset: true } });
  for (const video of videos) {
    const whole = await store.getBuffer(video.outputAsset!.storageKey);
    for (const app of apps) {
      const res = await fetch(`${app}/api/v1/videos/${video.id}/download`, { headers: { ...headers, range: "bytes=1000-4999" } });
      assert.equal(res.status, 206, `${app} ${video.id}`);
      assert.ok(Buffer.from(await res.arrayBuffer()).equals(whole.subarray(1000, 5000)));
    }
  }

  // No object in the bucket that nobody owns: each is an asset of a video, or a cached segment with its record.
  const keys = await store.list("workspaces");
  const owned = new Set((await db.asset.findMany({ select: { storageKey: true } })).map((a) => a.storageKey));
  assert.deepEqual(
    keys.filter((k) => !owned.has(k)),
    [],
  );
  const segments = await store.list("cache/segments");
  const mp4 = segments.filter((k) => k.endsWith(".mp4"));
  assert.ok(mp4.length > 0 && mp4.every((k) => segments.includes(`${k}.json`)), "every shared segment has its commit record");
  // And nothing went through a directory: the processes' own storage directories were never made.
  for (const name of ["worker-1-storage", "worker-2-storage", "app-storage-0", "app-storage-1", "app-storage-2", "app-storage-3"])
    assert.equal(existsSync(ownDir(name)), false, name);

  // A one-scene edit of a video the surviving worker rendered, rendered by a fresh worker
  // with an empty cache: every unchanged segment comes from the bucket.
  const port = Number(new URL(workers[0]!.url).port);
  const fresh = await startWorker("worker-3", port);
  workers.push(fresh);
  await workers[1]!.stop();
  const video = videos.find((v) => v.id === ids[9])!;
  const job = await db.job.findFirstOrThrow({ where: { videoId: video.id } });
  const before = (await db.jobStep.findFirstOrThrow({ where: { jobId: job.id, stepId: "encode" } })).output as { segments: { total: number } };
  const middle = (video.script as { scenes: { id: string; visualPrompt: string }[] }).scenes[1]!;
  await editScene(
    { db, workspaceId: ws.id },
    { videoId: video.id, sceneId: middle.id, narration: "Tugboats guide the biggest ships to their berths.", visualPrompt: middle.visualPrompt },
  );
  for (let i = 0; ; i++) {
    const current = await db.job.findUniqueOrThrow({ where: { id: job.id } });
    const encode = await db.jobStep.findFirst({ where: { jobId: job.id, stepId: "encode", status: "succeeded" } });
    if (current.status === "succeeded" && encode && logLines(fresh, "render succeeded").length === 1) {
      const segments = (encode.output as { segments: { total: number; cached: number } }).segments;
      assert.equal(segments.total, before.segments.total);
      assert.equal(segments.cached, segments.total - 3, "only the edited scene's body and its two transitions were rendered");
      break;
    }
    assert.ok(!["failed", "cancelled"].includes(current.status), current.errorMessage ?? "");
    assert.ok(i < 1500, "the edit did not finish");
    await sleep(200);
  }
  assert.deepEqual(readdirSync(ownDir("worker-3-tmp")), [], "the fresh worker's scratch space is empty again");

  // Scheduled work runs once per tick across both engines: the workers' probe, every minute.
  // Each engine's clock may send a tick's job; pg-boss keeps one per minute (its send-it
  // record's singleton slot), and each job runs on one engine. A run's log line carries its
  // job's id. (Its time is no measure of the tick: a run sent late in one minute can end in
  // the next, as on CI.)
  const probeRuns = () =>
    engines.flatMap((e) =>
      e
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{") && JSON.parse(l).msg === "aura-render-workers done")
        .map((l) => String(JSON.parse(l).runId)),
    );
  for (let i = 0; probeRuns().length === 0; i++) {
    assert.ok(i < 600, "the workers' probe never ran");
    await sleep(200);
  }
  const runs = probeRuns();
  assert.equal(new Set(runs).size, runs.length, `each probe job ran once: ${JSON.stringify(runs)}`);
  const rows = (sql: string) => db.$queryRawUnsafe<{ id: string; slot: Date | null }[]>(sql);
  const probeJobs = await rows(
    `SELECT id::text, NULL AS slot FROM pgboss.job WHERE name = 'aura-render-workers'
     UNION ALL SELECT id::text, NULL FROM pgboss.archive WHERE name = 'aura-render-workers'`,
  );
  const ticks = await rows(
    `SELECT id::text, singleton_on AS slot FROM pgboss.job WHERE name = '__pgboss__send-it' AND data->>'name' = 'aura-render-workers'
     UNION ALL SELECT id::text, singleton_on FROM pgboss.archive WHERE name = '__pgboss__send-it' AND data->>'name' = 'aura-render-workers'`,
  );
  const jobIds = new Set(probeJobs.map((j) => j.id));
  assert.ok(
    runs.every((id) => jobIds.has(id)),
    `every logged run is a job of the probe's queue: ${JSON.stringify(runs)} in ${JSON.stringify([...jobIds])}`,
  );
  const slots = ticks.map((t) => t.slot?.toISOString());
  assert.equal(new Set(slots).size, slots.length, `one tick a minute: ${JSON.stringify(slots)}`);
  assert.ok(probeJobs.length <= ticks.length, `no more probe jobs (${probeJobs.length}) than ticks (${ticks.length})`);
  assert.ok((await db.renderWorker.count()) >= 2, "it recorded the workers");
});
