// Starts Aura on one machine: PostgreSQL (embedded unless DATABASE_URL is set), migrations,
// the site admin, then three processes: the render worker, the workflow engine (unless
// Inngest is configured) and Next.js.
// A process that dies is restarted; jobs resume from their last finished step.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.resolve(root, process.env.AURA_DATA_DIR ?? ".data");
mkdirSync(dataDir, { recursive: true });
const say = (msg: string) => console.log(`[aura] ${msg}`);

function persistentSecret(name: string) {
  const file = path.join(dataDir, "secrets.json");
  const secrets = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  if (!secrets[name]) {
    secrets[name] = randomBytes(32).toString("base64url");
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets[name]!;
}

const dev = process.env.AURA_DEV === "1";
const port = Number(process.env.PORT ?? 3000);
const workerPort = Number(process.env.RENDER_WORKER_PORT ?? 4100);
const startWorker = !process.env.RENDER_WORKER_URL;

let stopDatabase = async () => {};
if (!process.env.DATABASE_URL) {
  const { startEmbeddedPostgres } = await import("../server/db/embedded-postgres.ts");
  const started = performance.now();
  const db = await startEmbeddedPostgres({ dataDir, port: Number(process.env.EMBEDDED_PG_PORT ?? 54329), database: "aura" });
  process.env.DATABASE_URL = db.url;
  stopDatabase = db.stop;
  say(`embedded PostgreSQL ready in ${Math.round(performance.now() - started)} ms (data in ${path.relative(root, dataDir) || "."}/postgres)`);
}
process.env.AUTH_SECRET ??= persistentSecret("AUTH_SECRET");
process.env.RENDER_WORKER_SECRET ??= persistentSecret("RENDER_WORKER_SECRET");
process.env.RENDER_WORKER_URL ??= `http://127.0.0.1:${workerPort}`;
process.env.AURA_DATA_DIR = dataDir;
process.env.STORAGE_DIR ??= path.join(dataDir, "storage");
process.env.AUTH_URL ??= `http://localhost:${port}`;

const { getEnv } = await import("../server/env.ts");
let useInngest = false;
try {
  useInngest = getEnv().engine === "inngest";
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}

const { applyMigrations } = await import("../server/db/migrate.ts");
const applied = await applyMigrations({
  url: process.env.DATABASE_URL!,
  migrationsDir: path.join(root, "prisma/migrations"),
  schemaPath: path.join(root, "prisma/schema.prisma"),
});
say(applied.length ? `applied migrations: ${applied.join(", ")}` : "database schema is up to date");

const { getDb } = await import("../server/db/client.ts");
const { ensureSiteAdmin } = await import("../server/auth/accounts.ts");
if (process.env.AURA_ADMIN_EMAIL) {
  await ensureSiteAdmin(getDb(), process.env.AURA_ADMIN_EMAIL, process.env.AURA_ADMIN_PASSWORD);
  say(`site admin: ${process.env.AURA_ADMIN_EMAIL}`);
}
await getDb().$disconnect();

const tsx = [process.execPath, "--import", "tsx"];
const services: { name: string; command: string[]; env?: Record<string, string> }[] = [
  ...(startWorker
    ? [
        {
          name: "render-worker",
          command: [...tsx, path.join(root, "render-worker/src/main.ts")],
          env: { RENDER_WORKER_PORT: String(workerPort), RENDER_CACHE_DIR: process.env.RENDER_CACHE_DIR ?? path.join(dataDir, "render-cache") },
        },
      ]
    : []),
  // With Inngest configured, Inngest runs the workflow through /api/inngest instead.
  ...(useInngest ? [] : [{ name: "engine", command: [...tsx, path.join(root, "server/workflow/worker-main.ts")] }]),
  // Next.js behind a server of Aura's own, which records each connection's address (scripts/web-server.ts).
  {
    name: "web",
    command: [...tsx, path.join(root, "scripts/web-server.ts")],
    env: { NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), HOST: process.env.HOST ?? "0.0.0.0" },
  },
];

if (!dev && !existsSync(path.join(root, ".next/BUILD_ID"))) {
  console.error("The web app is not built yet: run `npm run build` first (scripts/start.sh does both).");
  process.exit(1);
}

const children = new Map<string, ChildProcess>();
let stopping = false;

function run(service: (typeof services)[number], restarts = 0) {
  const child = spawn(service.command[0]!, service.command.slice(1), { cwd: root, env: { ...process.env, ...service.env }, stdio: "inherit" });
  children.set(service.name, child);
  child.on("exit", (code, signal) => {
    if (stopping) return;
    const delay = Math.min(30_000, 1000 * 2 ** restarts);
    say(`${service.name} exited (${code ?? signal}); restarting in ${delay / 1000} s`);
    setTimeout(() => run(service, restarts + 1), delay);
  });
}
for (const service of services) run(service);

async function waitForApp() {
  for (let i = 0; i < 600; i++) {
    try {
      const res = await fetch(`http://127.0.0.1:${port}/sign-in`);
      if (res.ok) return true;
    } catch {}
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}
if (await waitForApp()) say(`Aura is running at http://localhost:${port}`);

async function shutdown() {
  if (stopping) return;
  stopping = true;
  say("stopping");
  await Promise.all(
    [...children.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 10_000).unref();
        }),
    ),
  );
  await stopDatabase();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
