// The few requests that many clients make at once, served by the app's own Node server
// (scripts/web-server.ts) before Next.js sees them: the progress stream (tRPC `jobs.events`
// over SSE) and the library list (tRPC `videos.list`, REST `GET /api/v1/videos`). Through
// Next.js's route handlers each SSE frame of each watcher passes through several web streams
// and async contexts of its own, which at 1,000 watchers made every event seconds late
// (docs/performance.md). Here the same procedures and the same REST handler run, with the
// session read as Auth.js reads it (sessionOf), and the stream's frames go straight to the
// sockets: each event's frame is encoded once and the same bytes are written to every watcher.
// The wire format is tRPC's own (its sseStreamProducer: a `connected` event, `data:`/`id:`
// frames, a `return` event at the end), so tRPC's httpSubscriptionLink reads it as before. A
// procedure's refusal (another workspace's job: NOT_FOUND) is answered by tRPC's own handler
// in this process; a request without a session, or with input this path does not read, is left
// to the Next.js routes, so that those are answered exactly as before.
import { createHash } from "node:crypto";
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { decode, getToken, type JWT } from "next-auth/jwt";
import superjson from "superjson";
import { getDb } from "../db/client.ts";
import { getEnv } from "../env.ts";
import { log } from "../lib/log.ts";
import { handleTrpcRequest } from "./http.ts";
import { listVideosRoute } from "./rest/videos.ts";
import { appRouter } from "./root.ts";
import type { Context } from "./trpc.ts";

const JOB_EVENTS_PATH = "/api/trpc/jobs.events";
const TRPC_LIST_PATH = "/api/trpc/videos.list";
const REST_LIST_PATH = "/api/v1/videos";

// tRPC's SSE headers and its first and last events, byte for byte.
const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache, no-transform", "x-accel-buffering": "no", connection: "keep-alive" };
const CONNECTED_FRAME = Buffer.from("event: connected\ndata: {}\n\n\n");
const RETURN_FRAME = Buffer.from("event: return\ndata: \n\n\n");

/** Each event's frame, encoded once: the feed hands the same message object to every watcher. */
const frames = new WeakMap<object, Buffer>();
function frameOf(id: string, message: object) {
  let frame = frames.get(message);
  if (!frame) {
    frame = Buffer.from(`data: ${JSON.stringify(superjson.serialize(message))}\nid: ${id}\n\n\n`);
    frames.set(message, frame);
  }
  return frame;
}

/** Serves the request when it is one of these routes and answers true; false leaves it to Next.js. */
export async function serveFromNode(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== "GET" || !req.url) return false;
  const url = new URL(req.url, "http://app");
  if (url.pathname === JOB_EVENTS_PATH) return serveJobEvents(req, res, url);
  if (url.pathname === TRPC_LIST_PATH) return serveVideoList(req, res, url);
  if (url.pathname === REST_LIST_PATH) {
    await writeResponse(res, await listVideosRoute(toRequest(req, url)));
    return true;
  }
  return false;
}

async function serveJobEvents(req: IncomingMessage, res: ServerResponse, url: URL) {
  const input = subscriptionInput(req, url);
  if (input === undefined) return false;
  const context = await contextOf(req);
  // No session here: Next.js's route, where auth() reads the cookie, answers.
  if (!context.session) return false;
  const abort = new AbortController();
  res.once("close", () => abort.abort());
  let stream: AsyncIterable<unknown>;
  try {
    // The procedure itself: the account, the workspace, NOT_FOUND for another's job.
    const caller = appRouter.createCaller(context, { signal: abort.signal });
    stream = (await caller.jobs.events(input as never)) as AsyncIterable<unknown>;
  } catch {
    // Refused or failed before the stream began: tRPC's own handler answers (its error as an
    // SSE event, as Next.js's route would write it).
    await pipeResponse(res, await handleTrpcRequest(toRequest(req, url, abort.signal), async () => context), abort.signal);
    return true;
  }
  res.writeHead(200, SSE_HEADERS);
  res.write(CONNECTED_FRAME);
  try {
    for await (const item of stream) {
      // tracked(id, message) arrives as [id, message, marker].
      const [id, message] = item as [string, object];
      if (!res.write(frameOf(id, message))) await once(res, "drain", { signal: abort.signal });
    }
    res.end(RETURN_FRAME);
  } catch (error) {
    // A client gone is the ordinary end; after another failure the connection is closed and
    // the client reconnects with its lastEventId, losing nothing.
    if (!abort.signal.aborted) log.warn("job events stream failed", { error: (error as Error).message });
    res.destroy();
  }
  return true;
}

/** tRPC's `videos.list` as its fetch handler answers a GET, alone or as a batch of one, without
 *  the handler's web Request and Response: the procedure itself (its middleware, input and
 *  output schemas) through a caller, its result written as tRPC writes it. An error, or input
 *  this does not read, goes to tRPC's own handler, which answers as it always has. */
async function serveVideoList(req: IncomingMessage, res: ServerResponse, url: URL) {
  const context = await contextOf(req);
  const batch = url.searchParams.get("batch") === "1";
  // A client that takes streamed batches (JSON lines) is answered by tRPC.
  const accept = req.headers["trpc-accept"] ?? req.headers.accept ?? "";
  let readable = !accept.includes("application/jsonl");
  let input: unknown;
  try {
    const raw = url.searchParams.get("input");
    const json = raw === null ? undefined : JSON.parse(raw);
    // A batch's input is an object of numbered calls (tRPC refuses any other with a 400).
    if (batch && json !== undefined && (typeof json !== "object" || json === null || Array.isArray(json))) readable = false;
    const item = batch ? json?.["0"] : json;
    input = item === undefined ? undefined : superjson.deserialize(item);
  } catch {
    readable = false;
  }
  if (readable)
    try {
      const list = await appRouter.createCaller(context).videos.list(input as never);
      const result = { result: { data: superjson.serialize(list) } };
      res.writeHead(200, { vary: "trpc-accept, accept", "content-type": "application/json" });
      res.end(JSON.stringify(batch ? [result] : result));
      return true;
    } catch {
      // Answered below by tRPC itself.
    }
  await writeResponse(res, await handleTrpcRequest(toRequest(req, url), async () => context));
  return true;
}

/** The subscription's input as tRPC reads it from a GET: `input` (JSON, then the transformer),
 *  with the client's last event id added; undefined when it cannot be read (tRPC then answers). */
function subscriptionInput(req: IncomingMessage, url: URL) {
  let input: unknown;
  try {
    const raw = url.searchParams.get("input");
    input = raw === null ? undefined : superjson.deserialize(JSON.parse(raw));
  } catch {
    return undefined;
  }
  const header = req.headers["last-event-id"];
  const lastEventId = (typeof header === "string" ? header : null) ?? url.searchParams.get("lastEventId") ?? url.searchParams.get("Last-Event-Id");
  if (!lastEventId) return input;
  if (input !== null && typeof input === "object" && !Array.isArray(input)) return { ...input, lastEventId };
  return input ?? { lastEventId };
}

/** The tRPC context the route builds, from the request's own headers. These are GET routes,
 *  which never choose a workspace. */
async function contextOf(req: IncomingMessage): Promise<Context> {
  const headers = headersOf(req);
  return {
    db: getDb(),
    session: await sessionOf(req, headers),
    headers,
    setWorkspace: async () => {
      throw new Error("a workspace is chosen by a mutation, which this path does not serve");
    },
  };
}

/** The session Auth.js's auth() finds (auth/config.ts: JWT sessions, the user id in the token's
 *  uid), read with Auth.js's own getToken: the session cookie, named with __Secure- when the
 *  app's address is https as Auth.js decides it (AUTH_URL, else the forwarded protocol, which
 *  Next.js sets from the connection), decrypted with the app's secret and unexpired. auth()
 *  also re-encrypts the token for a refreshed cookie, which a route's auth() never sends:
 *  measured here, 2.5 ms of CPU a request against 0.9 ms. A token getToken refuses is no
 *  session, and the request goes to Next.js, where auth() refuses it too. */
export async function sessionOf(req: IncomingMessage, headers: Headers): Promise<Context["session"]> {
  const address = process.env.AUTH_URL ?? process.env.NEXTAUTH_URL;
  const secure = "encrypted" in req.socket && req.socket.encrypted;
  const protocol = address ? new URL(address).protocol : `${headers.get("x-forwarded-proto") ?? (secure ? "https" : "http")}:`;
  // Only the cookie: getToken would also take a session token sent as "Authorization: Bearer",
  // a way in that auth() on every other route does not offer.
  const cookieOnly = new Headers({ cookie: headers.get("cookie") ?? "" });
  const token = await getToken({
    req: { headers: cookieOnly },
    secret: getEnv().AUTH_SECRET,
    secureCookie: protocol === "https:",
    decode: decodeOnce,
  });
  return typeof token?.uid === "string" ? { user: { id: token.uid } } : null;
}

/** Tokens decrypted lately: the hash of the cookie's name and value → the token and until when
 *  it may be used. A session cookie is sent with every request, and each decrypt (a key
 *  derivation, then the decryption) cost 0.6 ms of CPU. Reusing the result changes nothing a
 *  request can do: the same bytes decrypt to the same token with the same secret, and an entry
 *  is used only up to the token's own expiry. These sessions are JWTs, kept by nobody on the
 *  server: signing out deletes the cookie, and a copy of it would decrypt anyway until it
 *  expires, cached or not. */
const decodedTokens = new Map<string, { token: JWT; until: number }>();
const DECODED_TOKENS_MAX = 10_000;
const DECODED_TOKEN_TTL_MS = 60_000;

async function decodeOnce(params: Parameters<typeof decode>[0]) {
  if (!params.token) return null;
  const key = createHash("sha256").update(params.salt).update("\0").update(params.token).digest("base64url");
  const now = Date.now();
  const cached = decodedTokens.get(key);
  if (cached && now < cached.until) return cached.token;
  decodedTokens.delete(key);
  const token = await decode(params);
  if (!token) return null;
  const until = Math.min(now + DECODED_TOKEN_TTL_MS, typeof token.exp === "number" ? token.exp * 1000 : now);
  if (until > now) {
    // The oldest entry makes room: a Map iterates in insertion order.
    if (decodedTokens.size >= DECODED_TOKENS_MAX) decodedTokens.delete(decodedTokens.keys().next().value!);
    decodedTokens.set(key, { token, until });
  }
  return token;
}

function headersOf(req: IncomingMessage) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  return headers;
}

function toRequest(req: IncomingMessage, url: URL, signal?: AbortSignal) {
  return new Request(`http://${req.headers.host ?? "app"}${url.pathname}${url.search}`, { headers: headersOf(req), signal });
}

async function writeResponse(res: ServerResponse, response: Response) {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, [...response.headers].flat());
  res.end(body);
}

/** A response written as its body comes (an SSE stream's), until it ends or the client leaves. */
async function pipeResponse(res: ServerResponse, response: Response, signal: AbortSignal) {
  res.writeHead(response.status, [...response.headers].flat());
  try {
    if (response.body)
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) if (!res.write(chunk)) await once(res, "drain", { signal });
    res.end();
  } catch {
    res.destroy();
  }
}
