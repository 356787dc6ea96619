// The render worker's HTTP API. Every route but /healthz needs `Authorization: Bearer <secret>`.
//   GET    /healthz           liveness, no secret (for container health checks)
//   GET    /health            status, load and the encoders that truly work
//   POST   /renders           { id, correlationId?, spec } → 202 with the render's state
//   GET    /renders/:id       the render's state and progress
//   DELETE /renders/:id       cancel: FFmpeg is killed and its temp files removed
import { timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import http from "node:http";
import { renderRequestSchema } from "@aura/render-contract";
import { bestEncoder, detectCuda, detectEncoders } from "./encoders.ts";
import { BusyError, type RenderManager } from "./renders/registry.ts";

const MAX_BODY = 4 * 1024 * 1024;

/** The worker's version, from its package.json, for the admin's System page. */
const WORKER_VERSION = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

function send(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

function authorized(req: http.IncomingMessage, secret: string) {
  const header = req.headers.authorization ?? "";
  const given = Buffer.from(header.startsWith("Bearer ") ? header.slice(7) : "");
  const expected = Buffer.from(secret);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw Object.assign(new Error("request body too large"), { status: 413 });
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw Object.assign(new Error("request body is not valid JSON"), { status: 400 });
  }
}

export function createServer(options: { secret: string; renders: RenderManager; maxConcurrent: number }) {
  const { secret, renders } = options;
  return http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", "http://worker");
      if (req.method === "GET" && url.pathname === "/healthz") return send(res, 200, { ok: true });
      if (!authorized(req, secret)) return send(res, 401, { error: "missing or wrong render worker secret" });

      if (req.method === "GET" && url.pathname === "/health") {
        const encoders = await detectEncoders();
        return send(res, 200, {
          ok: true,
          version: WORKER_VERSION,
          running: renders.running,
          capacity: options.maxConcurrent,
          encoders: encoders.filter((e) => e.works).map((e) => e.name),
          /** The encoder a render starts with. */
          preferred: await bestEncoder(),
          tried: encoders,
          /** CUDA frames and scale_cuda, by trial: NVENC then reads frames from GPU memory. */
          cuda: await detectCuda(),
        });
      }
      if (req.method === "POST" && url.pathname === "/renders") {
        const parsed = renderRequestSchema.safeParse(await readJson(req));
        if (!parsed.success) {
          const issue = parsed.error.issues[0]!;
          return send(res, 400, { error: `invalid render spec: ${issue.path.join(".") || "(root)"}: ${issue.message}`, issues: parsed.error.issues });
        }
        try {
          const state = renders.submit(parsed.data.id, parsed.data.spec, parsed.data.correlationId);
          return send(res, 202, state);
        } catch (error) {
          if (error instanceof BusyError) return send(res, 503, { error: error.message }, { "retry-after": "5" });
          throw error;
        }
      }
      const match = /^\/renders\/([A-Za-z0-9_-]{1,100})$/.exec(url.pathname);
      if (match) {
        const id = match[1]!;
        if (req.method === "GET") {
          const state = renders.get(id);
          return state ? send(res, 200, state) : send(res, 404, { error: `no render ${id}` });
        }
        if (req.method === "DELETE") {
          const state = await renders.cancel(id);
          return state ? send(res, 200, state) : send(res, 404, { error: `no render ${id}` });
        }
      }
      return send(res, 404, { error: "not found" });
    } catch (error) {
      const status = (error as { status?: number }).status ?? 500;
      send(res, status, { error: status === 500 ? "internal error" : (error as Error).message });
    }
  });
}
