// Aura's web app: Next.js (the production build, or development mode with AURA_DEV=1) served
// from an HTTP server of our own instead of `next start`, so that each request's X-Forwarded-For
// ends with the address of the connection it came on. `next start` keeps a client's header as
// sent and gives the route handlers no other way to learn the socket's address
// (server/lib/client-address.ts says what was found). scripts/launch.ts starts this.
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
