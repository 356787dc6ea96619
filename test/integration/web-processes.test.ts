// The web server as several processes on one port (AURA_WEB_PROCESSES, scripts/web-server.ts),
// with the production build, as the topology test runs it: 40 watchers of one job's progress
// stream, spread over both processes, each get every event once and their streams end; the
// library list answers from both; SIGTERM to the first process stops every copy; a copy killed
// on its own takes the others down, so that the launcher restarts the whole server.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { after, test } from "node:test";
import superjson from "superjson";
import { harbourBriefInput } from "../helpers/briefs.ts";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { freePort } from "../helpers/render-worker.ts";
import { createOwner } from "../helpers/seed.ts";
import { sessionCookie } from "../helpers/session.ts";

const root = path.resolve(import.meta.dirname, "../..");
setTestEnv({ RENDER_WORKER_URL: "http://127.0.0.1:9" });
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb } = await import("../../server/db/client.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { appendJobEvent } = await import("../../server/workflow/events.ts");
const db = getDb();
const owner = await createOwner(db, "web-processes-owner");
const cookie = await sessionCookie(owner.userId);

const started: ChildProcess[] = [];
after(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  await db.$disconnect();
  await database.drop();
});

/** The web server with `count` processes, once each has said it listens. */
async function startServer(count: number) {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/web-server.ts")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1", NODE_ENV: "production", AURA_WEB_PROCESSES: String(count) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk;
      if ((output.match(/listening on/g) ?? []).length === count) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`the web server exited with ${code}: ${output.slice(-2000)}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, origin: `http://127.0.0.1:${port}`, exited, output: () => output };
}

/** A GET on a connection of its own (so that the connections spread over the processes): its
 *  status and its whole body. */
function get(url: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    http
      .get(url, { agent: false, headers }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode!, body }));
      })
      .on("error", reject);
  });
}

/** The process ids whose parent is `pid` (from /proc). */
function childrenOf(pid: number) {
  return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("two processes on one port: every watcher gets every event once, the list answers, SIGTERM stops both", { timeout: 180_000 }, async () => {
  const server = await startServer(2);
  const copies = childrenOf(server.child.pid!);
  assert.equal(copies.length, 2, "two copies of the server");
  const { job } = await createVideo({ db, ...owner }, briefSchema.parse(harbourBriefInput("watched by two processes")));
  const input = encodeURIComponent(JSON.stringify(superjson.serialize({ jobId: job.id })));
  const watchers = Array.from({ length: 40 }, async () => {
    const res = await get(`${server.origin}/api/trpc/jobs.events?input=${input}`, { cookie });
    assert.equal(res.status, 200);
    return [...res.body.matchAll(/^id: (.+)$/gm)].map((m) => m[1]);
  });
  // Connected (each has the job's first event) before the rest is appended.
  await new Promise((r) => setTimeout(r, 2000));
  for (let i = 0; i < 10; i++) await appendJobEvent(db, job.id, "stage.progress", { stage: "render", progress: i / 10 });
  await appendJobEvent(db, job.id, "job.succeeded", {}, { status: "succeeded", finishedAt: new Date() });
  const all = (await db.jobEvent.findMany({ where: { jobId: job.id }, orderBy: { id: "asc" }, select: { id: true } })).map((e) => String(e.id));
  for (const ids of await Promise.all(watchers)) assert.deepEqual(ids, all);

  const cpu = (pid: number) => readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ").slice(11, 13).map(Number);
  const before = copies.map((pid) => cpu(pid));
  const list = `/api/trpc/videos.list?input=${encodeURIComponent(JSON.stringify(superjson.serialize({})))}`;
  for (let i = 0; i < 40; i++) {
    const res = await get(`${server.origin}${list}`, { cookie });
    assert.equal(res.status, 200);
    assert.ok((JSON.parse(res.body) as { result: { data: { json: unknown[] } } }).result.data.json.length >= 1);
  }
  const worked = copies.filter((pid, i) => cpu(pid).some((ticks, j) => ticks > before[i]![j]!));
  assert.equal(worked.length, 2, "both processes served the list");

  server.child.kill("SIGTERM");
  assert.equal(await server.exited, 0);
  for (const pid of copies) assert.ok(!alive(pid), `copy ${pid} stopped`);
});

test("a copy that dies takes the others down, and the server exits with a failure", { timeout: 120_000 }, async () => {
  const server = await startServer(2);
  const [victim, other] = childrenOf(server.child.pid!);
  process.kill(victim!, "SIGKILL");
  assert.equal(await server.exited, 1);
  assert.match(server.output(), /exited \(SIGKILL\): stopping the others/);
  assert.ok(!alive(other!), "the other copy stopped");
});

test("AURA_WEB_PROCESSES that is not a whole number of processes is refused at start, by name", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "scripts/web-server.ts")], {
    cwd: root,
    env: { ...process.env, PORT: String(await freePort()), AURA_WEB_PROCESSES: "two" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr!.on("data", (chunk: Buffer) => {
    output += chunk;
  });
  const code = await new Promise((resolve) => child.once("exit", resolve));
  assert.equal(code, 1);
  assert.match(output, /AURA_WEB_PROCESSES must be a whole number/);
});
