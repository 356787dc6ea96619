// Aura's web app: Next.js (the production build, or development mode with AURA_DEV=1) served
// from an HTTP server of our own instead of `next start`, so that each request's X-Forwarded-For
// ends with the address of the connection it came on. `next start` keeps a client's header as
// sent and gives the route handlers no other way to learn the socket's address
// (server/lib/client-address.ts says what was found). scripts/launch.ts starts this.
// AURA_WEB_PROCESSES=n (default 1) runs n copies of this server on the one port through Node's
// cluster module, each with its own Next.js, database pool and job-feed LISTEN connection, as n
// app instances behind a load balancer would be: one process's CPU is the ceiling of the
// progress stream and the library list (docs/performance.md).
import cluster from "node:cluster";
import http from "node:http";
import type { Socket } from "node:net";
import path from "node:path";
import { appendPeerAddress } from "../server/lib/client-address.ts";

const root = path.resolve(import.meta.dirname, "..");
const dev = process.env.AURA_DEV === "1";
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOST ?? "0.0.0.0";
// As the `next` command does, before Next.js and React load.
Object.assign(process.env, { NODE_ENV: process.env.NODE_ENV || (dev ? "development" : "production") });

const processes = Number(process.env.AURA_WEB_PROCESSES ?? 1);
if (!Number.isInteger(processes) || processes < 1) {
  console.error(`AURA_WEB_PROCESSES must be a whole number of processes, 1 or more; it is "${process.env.AURA_WEB_PROCESSES}"`);
  process.exit(1);
}
if (dev && processes > 1) {
  console.error("AURA_WEB_PROCESSES above 1 is for the production build: development mode compiles into one .next folder");
  process.exit(1);
}
if (cluster.isPrimary && processes > 1) superviseCopies(processes);
else await serve();

/** The cluster's first process: starts the copies, which take the connections, and stops with
 *  them. A copy that exits on its own takes the others down, so that the launcher restarts the
 *  whole web server as it restarts a single one. */
function superviseCopies(count: number) {
  let stopping = false;
  const stopAll = (code: number) => {
    if (stopping) return;
    stopping = true;
    const copies = Object.values(cluster.workers ?? {}).filter((copy) => copy && !copy.isDead());
    for (const copy of copies) copy!.process.kill("SIGTERM");
    let left = copies.length;
    if (!left) process.exit(code);
    cluster.on("exit", () => {
      if (--left === 0) process.exit(code);
    });
    // A copy that hangs while closing must not keep the server down: the launcher restarts it
    // only once this process has exited.
    setTimeout(() => {
      for (const copy of copies) if (!copy!.isDead()) copy!.process.kill("SIGKILL");
      process.exit(code);
    }, 8000).unref();
  };
  cluster.on("exit", (copy, code, signal) => {
    if (stopping) return;
    console.error(`[web] process ${copy.process.pid} exited (${code ?? signal}): stopping the others`);
    stopAll(1);
  });
  for (let i = 0; i < count; i++) cluster.fork();
  console.log(`[web] ${count} processes share port ${port}`);
  process.on("SIGTERM", () => stopAll(0));
  process.on("SIGINT", () => stopAll(0));
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) stopAll(0);
  }, 2000).unref();
}

async function serve() {
  const { default: next } = await import("next");
  const app = next({ dev, dir: root, hostname, port });
  await app.prepare();
  const handle = app.getRequestHandler();

  // The progress stream and the library list, served here before Next.js (server/api/node-routes.ts
  // says why); in development Next.js serves them, so that edits to their code take effect.
  // AURA_NODE_ROUTES=0 leaves them to Next.js too (bench/load.ts compares the two that way).
  const serveFromNode = dev || process.env.AURA_NODE_ROUTES === "0" ? undefined : (await import("../server/api/node-routes.ts")).serveFromNode;

  const server = http.createServer((req, res) => {
    appendPeerAddress(req);
    (async () => (await serveFromNode?.(req, res)) || (await handle(req, res)))().catch((error: unknown) => {
      console.error(`Failed to handle ${req.method} ${req.url}`, error);
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  server.listen(port, hostname, () => console.log(`[web] Next.js ${dev ? "(development) " : ""}listening on ${hostname}:${port}`));

  // Every connection, so that shutdown can end those still open when the grace period is over.
  const connections = new Set<Socket>();
  server.on("connection", (socket) => {
    connections.add(socket);
    socket.once("close", () => connections.delete(socket));
  });

  let stopping = false;
  async function stop() {
    if (stopping) return;
    stopping = true;
    // Requests under way get a few seconds to finish (the launcher kills after 10); then what is
    // still open is cut: a progress stream, a websocket, or an upgrade Next.js left hanging.
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    const cut = setTimeout(() => {
      for (const socket of connections) socket.destroy();
    }, 5000);
    await closed;
    clearTimeout(cut);
    await app.close();
    process.exit(0);
  }
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
  // Started by the launcher: when it is gone without a word (killed, or its container stopped),
  // this process is handed to another parent, and stops too instead of serving on alone.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void stop();
  }, 2000).unref();
}
