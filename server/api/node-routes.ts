// The few requests that many clients make at once, served by the app's own Node server
// (scripts/web-server.ts) before Next.js sees them: the progress stream (tRPC `jobs.events`
// over SSE) and the library list (tRPC `videos.list`, REST `GET /api/v1/videos`). Through
// Next.js's route handlers each SSE frame of each watcher passes through several web streams
// and async contexts of its own, which at 1,000 watchers made every event seconds late
// (docs/performance.md). Here the same procedures and the same REST handler run, with the session
// read as Auth.js reads it (sessionOf), and the stream's frames go straight to the sockets: each event's frame is
// encoded once and the same bytes are written to every watcher. The wire format is tRPC's own
// (its sseStreamProducer: a `connected` event, `data:`/`id:` frames, a `return` event at the
// end), so tRPC's httpSubscriptionLink reads it as before. Anything these paths do not accept
// (no session, another workspace's job, bad input) is left to the Next.js routes, so that
// errors are answered exactly as before.
import { once } from "node:events";
import type { IncomingMessage, ServerResponse } from "node:http";
import { getToken } from "next-auth/jwt";
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
  if (url.pathname === TRPC_LIST_PATH) {
    const context = await contextOf(req);
    await writeResponse(res, await handleTrpcRequest(toRequest(req, url), async () => context));
    return true;
  }
  if (url.pathname === REST_LIST_PATH) {
    await writeResponse(res, await listVideosRoute(toRequest(req, url)));
    return true;
  }
  return false;
}

async function serveJobEvents(req: IncomingMessage, res: ServerResponse, url: URL) {
  const input = subscriptionInput(req, url);
  if (input === undefined) return false;
  const abort = new AbortController();
  res.once("close", () => abort.abort());
  let stream: AsyncIterable<unknown>;
  try {
    // The procedure itself: the session, the workspace, NOT_FOUND for another's job.
    const caller = appRouter.createCaller(await contextOf(req), { signal: abort.signal });
    stream = (await caller.jobs.events(input as never)) as AsyncIterable<unknown>;
  } catch {
    // Refused or failed before the stream began: Next.js's tRPC route answers as it always has.
    return false;
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
async function sessionOf(req: IncomingMessage, headers: Headers): Promise<Context["session"]> {
  const address = process.env.AUTH_URL ?? process.env.NEXTAUTH_URL;
  const secure = "encrypted" in req.socket && req.socket.encrypted;
  const protocol = address ? new URL(address).protocol : `${headers.get("x-forwarded-proto") ?? (secure ? "https" : "http")}:`;
  // Only the cookie: getToken would also take a session token sent as "Authorization: Bearer",
  // a way in that auth() on every other route does not offer.
  const cookieOnly = new Headers({ cookie: headers.get("cookie") ?? "" });
  const token = await getToken({ req: { headers: cookieOnly }, secret: getEnv().AUTH_SECRET, secureCookie: protocol === "https:" });
  return typeof token?.uid === "string" ? { user: { id: token.uid } } : null;
}

function headersOf(req: IncomingMessage) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  return headers;
}

function toRequest(req: IncomingMessage, url: URL) {
  return new Request(`http://${req.headers.host ?? "app"}${url.pathname}${url.search}`, { headers: headersOf(req) });
}

async function writeResponse(res: ServerResponse, response: Response) {
  const body = Buffer.from(await response.arrayBuffer());
  res.writeHead(response.status, [...response.headers].flat());
  res.end(body);
}
