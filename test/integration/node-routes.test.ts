// The routes the app's own Node server serves before Next.js (server/api/node-routes.ts), over
// real HTTP with a real Auth.js session cookie: tRPC's own client (httpSubscriptionLink with
// an EventSource) follows a job through the fast progress stream, resumes from its last event
// id, and ends after the job's last event; the stream's bytes are the ones tRPC's own handler
// writes for the same request; 200 watchers get every event once; another workspace's job
// answers NOT_FOUND here, in tRPC's own words; a request without a session Auth.js accepts is
// left to Next.js; the library list over tRPC (alone and as a batch of one) and REST answers
// what the handlers answer, and a key revoked in this process is refused at once; a session read
// once is not kept past its token's expiry.
import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { after, mock, test } from "node:test";
import { createTRPCClient, httpSubscriptionLink } from "@trpc/client";
import { EventSource } from "eventsource";
import superjson from "superjson";
import { harbourBriefInput } from "../helpers/briefs.ts";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";
import { sessionCookie } from "../helpers/session.ts";

setTestEnv({ RENDER_WORKER_URL: "http://127.0.0.1:9" });
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb } = await import("../../server/db/client.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { appendJobEvent } = await import("../../server/workflow/events.ts");
const { createApiKey, revokeApiKey } = await import("../../server/api-keys/service.ts");
const { serveFromNode, sessionOf } = await import("../../server/api/node-routes.ts");
const { handleTrpcRequest } = await import("../../server/api/http.ts");
const { listVideosRoute } = await import("../../server/api/rest/videos.ts");
type AppRouter = typeof import("../../server/api/root.ts")["appRouter"];

const db = getDb();
const owner = await createOwner(db, "node-routes-owner");
const stranger = await createOwner(db, "node-routes-stranger");

// What the fast path leaves alone, Next.js would serve: here a 418 says it was left.
const left: string[] = [];
const server = http.createServer((req, res) => {
  void serveFromNode(req, res).then((served) => {
    if (served) return;
    left.push(req.url!);
    res.writeHead(418).end();
  });
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await db.$disconnect();
  await database.drop();
});

const ownerCookie = await sessionCookie(owner.userId);

async function newJob(tag: string) {
  const { job } = await createVideo({ db, ...owner }, briefSchema.parse(harbourBriefInput(tag)));
  return job.id;
}
const allEventIds = async (jobId: string) =>
  (await db.jobEvent.findMany({ where: { jobId }, orderBy: { id: "asc" }, select: { id: true } })).map((e) => String(e.id));
const waitUntil = async (done: () => boolean, what: string, ms = 60_000) => {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
};
const eventsUrl = (jobId: string, lastEventId?: string) =>
  `/api/trpc/jobs.events?input=${encodeURIComponent(JSON.stringify(superjson.serialize({ jobId, ...(lastEventId ? { lastEventId } : {}) })))}`;

/** tRPC's own client, as the browser builds it, sending the session cookie. */
function trpcClient(cookie: string) {
  return createTRPCClient<AppRouter>({
    links: [
      httpSubscriptionLink({
        url: `${origin}/api/trpc`,
        transformer: superjson,
        EventSource,
        eventSourceOptions: () => ({ fetch: (input, init) => fetch(input, { ...init, headers: { ...init?.headers, cookie } }) }),
      }),
    ],
  });
}

test("tRPC's own client follows a job through the fast stream, resumes from its last event id, and ends after the last event", {
  timeout: 60_000,
}, async () => {
  const jobId = await newJob("client");
  const client = trpcClient(ownerCookie);
  const follow = (lastEventId?: string) => {
    const got: { id: string; message: { id: string; type: string } }[] = [];
    const done = new Promise<void>((resolve, reject) => {
      client.jobs.events.subscribe(
        { jobId, lastEventId },
        { onData: (d) => void got.push({ id: d.id, message: d.data }), onComplete: resolve, onError: reject },
      );
    });
    return { got, done };
  };
  const first = follow();
  for (let i = 0; i < 5; i++) await appendJobEvent(db, jobId, "stage.progress", { stage: "script", progress: i / 5 });
  const sofar = await allEventIds(jobId);
  await waitUntil(() => first.got.length === sofar.length, "the first events");
  const resumed = follow(sofar[2]);
  await appendJobEvent(db, jobId, "job.succeeded", {}, { status: "succeeded", finishedAt: new Date() });
  await Promise.all([first.done, resumed.done]);
  const all = await allEventIds(jobId);
  assert.deepEqual(
    first.got.map((g) => g.id),
    all,
  );
  for (const g of first.got) assert.equal(g.message.id, g.id);
  assert.equal(first.got.at(-1)!.message.type, "job.succeeded");
  assert.deepEqual(
    resumed.got.map((g) => g.id),
    all.slice(3),
  );
  assert.deepEqual(left, [], "the fast path served every request");
});

test("the stream's bytes are those tRPC's own handler writes, and Last-Event-ID resumes as it does", { timeout: 60_000 }, async () => {
  const jobId = await newJob("bytes");
  for (let i = 0; i < 3; i++) await appendJobEvent(db, jobId, "stage.progress", { stage: "narration", progress: i / 3 });
  await appendJobEvent(db, jobId, "job.failed", {}, { status: "failed", finishedAt: new Date() });
  const ids = await allEventIds(jobId);
  const context = async () => ({ db, session: { user: { id: owner.userId } }, headers: new Headers(), setWorkspace: async () => {} });
  for (const headers of [{}, { "last-event-id": ids[1]! }] as Record<string, string>[]) {
    const fast = await fetch(`${origin}${eventsUrl(jobId)}`, { headers: { cookie: ownerCookie, ...headers } });
    const own = await handleTrpcRequest(new Request(`http://app${eventsUrl(jobId)}`, { headers }), context);
    assert.equal(fast.status, 200);
    assert.equal(fast.headers.get("content-type"), own.headers.get("content-type"));
    const text = await fast.text();
    assert.equal(text, await own.text());
    assert.match(text, /^event: connected\n/);
    assert.match(text, /event: return\ndata: \n\n\n$/);
  }
});

test("200 watchers over HTTP each get every event once and in order", { timeout: 120_000 }, async () => {
  const jobId = await newJob("two hundred");
  const agent = new http.Agent({ maxSockets: Number.POSITIVE_INFINITY });
  const watch = () => {
    const ids: string[] = [];
    const done = new Promise<void>((resolve, reject) => {
      http
        .get(`${origin}${eventsUrl(jobId)}`, { agent, headers: { cookie: ownerCookie } }, (res) => {
          let pending = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            pending += chunk;
            for (let end = pending.indexOf("\n\n"); end >= 0; end = pending.indexOf("\n\n")) {
              const id = /^id: (.+)$/m.exec(pending.slice(0, end))?.[1];
              if (id) ids.push(id);
              pending = pending.slice(end + 2);
            }
          });
          res.on("end", resolve);
        })
        .on("error", reject);
    });
    return { ids, done };
  };
  const watchers = Array.from({ length: 200 }, watch);
  const first = await allEventIds(jobId);
  await waitUntil(() => watchers.every((w) => w.ids.length === first.length), "every watcher to connect");
  for (let i = 0; i < 10; i++) await appendJobEvent(db, jobId, "stage.progress", { stage: "render", progress: i / 10 });
  await appendJobEvent(db, jobId, "job.succeeded", {}, { status: "succeeded", finishedAt: new Date() });
  await Promise.all(watchers.map((w) => w.done));
  agent.destroy();
  const all = await allEventIds(jobId);
  for (const w of watchers) assert.deepEqual(w.ids, all);
});

test("another workspace's job answers NOT_FOUND on the fast path, in tRPC's own words", async () => {
  const jobId = await newJob("private");
  left.length = 0;
  const strangerCookie = await sessionCookie(stranger.userId);
  const refused = await new Promise<unknown>((resolve) => {
    trpcClient(strangerCookie).jobs.events.subscribe({ jobId }, { onData: () => resolve("data"), onError: resolve });
  });
  assert.equal((refused as { data?: { code?: string } }).data?.code, "NOT_FOUND");
  const fast = await fetch(`${origin}${eventsUrl(jobId)}`, { headers: { cookie: strangerCookie } });
  const own = await handleTrpcRequest(new Request(`http://app${eventsUrl(jobId)}`), async () => ({
    db,
    session: { user: { id: stranger.userId } },
    headers: new Headers(),
    setWorkspace: async () => {},
  }));
  assert.equal(fast.headers.get("content-type"), own.headers.get("content-type"));
  const text = await fast.text();
  assert.equal(text, await own.text());
  assert.match(text, /event: serialized-error\ndata: .*"code":"NOT_FOUND"/);
  assert.deepEqual(left, [], "answered here, not left to Next.js");
});

test("no session, a session Auth.js would refuse or unreadable input are left to Next.js's route", async () => {
  left.length = 0;
  const own = await newJob("own");
  assert.equal((await fetch(`${origin}${eventsUrl(own)}`)).status, 418);
  assert.equal((await fetch(`${origin}/api/trpc/jobs.events?input=%7Bnot-json`, { headers: { cookie: ownerCookie } })).status, 418);
  assert.equal((await fetch(`${origin}/api/trpc/videos.create`, { method: "POST", headers: { cookie: ownerCookie } })).status, 418);
  // Sessions Auth.js would refuse: another secret, expired, or the plain cookie name where
  // the app's address is https; the __Secure- cookie there is a session.
  const otherSecret = await sessionCookie(owner.userId, { secret: "another-secret-another-secret-0123456789" });
  const expired = await sessionCookie(owner.userId, { maxAge: -60 });
  for (const cookie of [otherSecret, expired]) assert.equal((await fetch(`${origin}${eventsUrl(own)}`, { headers: { cookie } })).status, 418);
  const overHttps = { "x-forwarded-proto": "https" };
  assert.equal((await fetch(`${origin}${eventsUrl(own)}`, { headers: { cookie: ownerCookie, ...overHttps } })).status, 418);
  // A session token as a Bearer header is no session here, as auth() takes none either.
  const bearer = ownerCookie.slice(ownerCookie.indexOf("=") + 1);
  assert.equal((await fetch(`${origin}${eventsUrl(own)}`, { headers: { authorization: `Bearer ${bearer}` } })).status, 418);
  assert.equal(left.length, 7);
  const secureCookie = await sessionCookie(owner.userId, { name: "__Secure-authjs.session-token" });
  const stream = await fetch(`${origin}${eventsUrl(own)}`, { headers: { cookie: secureCookie, ...overHttps } });
  assert.equal(stream.status, 200);
  await stream.body?.cancel();
  assert.equal(left.length, 7);
});

test("a signed-in account disabled since is refused on the fast path, though its cookie still decrypts", async () => {
  const jobId = await newJob("disabled watcher");
  const member = await db.user.create({ data: { email: "node-routes-disabled@example.test" } });
  await db.membership.create({ data: { userId: member.id, workspaceId: owner.workspaceId, role: "viewer" } });
  const cookie = await sessionCookie(member.id);
  const watch = () =>
    new Promise<unknown>((resolve) => {
      const subscription = trpcClient(cookie).jobs.events.subscribe(
        { jobId },
        {
          onData: () => {
            subscription.unsubscribe();
            resolve("data");
          },
          onError: resolve,
        },
      );
    });
  assert.equal(await watch(), "data", "a member watches the job");
  await db.user.update({ where: { id: member.id }, data: { disabledAt: new Date() } });
  assert.equal(((await watch()) as { data?: { code?: string } }).data?.code, "UNAUTHORIZED");
});

test("the library list over tRPC and REST answers what the handlers answer", async () => {
  await newJob("listed");
  const { key } = await createApiKey({ db, ...owner }, { name: "list", scopes: ["videos:read"] });
  const trpcPath = `/api/trpc/videos.list?input=${encodeURIComponent(JSON.stringify(superjson.serialize({ sort: "title" })))}`;
  const fastTrpc = await fetch(`${origin}${trpcPath}`, { headers: { cookie: ownerCookie } });
  const ownTrpc = await handleTrpcRequest(new Request(`http://app${trpcPath}`), async () => ({
    db,
    session: { user: { id: owner.userId } },
    headers: new Headers(),
    setWorkspace: async () => {},
  }));
  assert.equal(fastTrpc.status, 200);
  const listed = (await fastTrpc.json()) as { result: { data: { json: { title: string }[] } } };
  assert.deepEqual(listed, await ownTrpc.json());
  assert.ok(listed.result.data.json.length >= 4);

  const rest = { headers: { authorization: `Bearer ${key}` } };
  const fastRest = await fetch(`${origin}/api/v1/videos?status=queued`, rest);
  const ownRest = await listVideosRoute(new Request("http://app/api/v1/videos?status=queued", rest));
  assert.equal(fastRest.status, 200);
  assert.deepEqual(await fastRest.json(), await ownRest.json());
  assert.equal((await fetch(`${origin}/api/v1/videos`)).status, 401, "without a key, the REST handler's own answer");
  assert.equal((await fetch(`${origin}/api/trpc/videos.list`)).status, 401, "without a session, tRPC's own answer");

  // As a batch of one (how tRPC's batch link asks), the same answer as tRPC's handler, headers too.
  const batchPath = `/api/trpc/videos.list?batch=1&input=${encodeURIComponent(JSON.stringify({ 0: superjson.serialize({ sort: "title" }) }))}`;
  const fastBatch = await fetch(`${origin}${batchPath}`, { headers: { cookie: ownerCookie } });
  const ownBatch = await handleTrpcRequest(new Request(`http://app${batchPath}`), async () => ({
    db,
    session: { user: { id: owner.userId } },
    headers: new Headers(),
    setWorkspace: async () => {},
  }));
  assert.equal(fastBatch.status, 200);
  for (const name of ["content-type", "vary"]) assert.equal(fastBatch.headers.get(name), ownBatch.headers.get(name), name);
  assert.equal(await fastBatch.text(), await ownBatch.text());
  // A batch whose input is not an object of numbered calls: tRPC's own 400, as before.
  for (const input of [[superjson.serialize({})], "x"]) {
    const odd = await fetch(`${origin}/api/trpc/videos.list?batch=1&input=${encodeURIComponent(JSON.stringify(input))}`, { headers: { cookie: ownerCookie } });
    assert.equal(odd.status, 400, JSON.stringify(input));
  }
  // Input the procedure refuses: tRPC's own 400, naming the field.
  const badSort = `/api/trpc/videos.list?input=${encodeURIComponent(JSON.stringify(superjson.serialize({ sort: "nonsense" })))}`;
  const refused = await fetch(`${origin}${badSort}`, { headers: { cookie: ownerCookie } });
  assert.equal(refused.status, 400);
  assert.match(((await refused.json()) as { error: { json: { message: string } } }).error.json.message, /sort/i);
});

test("a key revoked in this process is refused at once on the fast path", async () => {
  const { id, key } = await createApiKey({ db, ...owner }, { name: "soon revoked", scopes: ["videos:read"] });
  const list = () => fetch(`${origin}/api/v1/videos`, { headers: { authorization: `Bearer ${key}` } });
  assert.equal((await list()).status, 200);
  await revokeApiKey({ db, ...owner }, id);
  const refused = await list();
  assert.equal(refused.status, 401);
  assert.match(refused.headers.get("www-authenticate") ?? "", /^Bearer/);
});

test("a session read once is not kept past its token's expiry", async () => {
  const cookie = await sessionCookie(owner.userId, { maxAge: 60 });
  const read = () => sessionOf({ socket: {} } as http.IncomingMessage, new Headers({ cookie }));
  assert.deepEqual(await read(), { user: { id: owner.userId } });
  assert.deepEqual(await read(), { user: { id: owner.userId } }, "read again (from the cache)");
  // Two minutes on: past the token's expiry and Auth.js's 15 s of tolerance.
  mock.timers.enable({ apis: ["Date"], now: Date.now() + 120_000 });
  try {
    assert.equal(await read(), null);
  } finally {
    mock.timers.reset();
  }
});
