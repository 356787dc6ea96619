// Live progress for many watchers, on the real database: 300 watchers of one job (through the
// jobs.events procedure) each get every event once and in order while events are appended, and
// their streams end after the job's last event; a watcher joining mid-stream with lastEventId
// gets exactly what it missed, from the feed's buffer or, when the buffer no longer holds it,
// from the database; the database reads per appended event are the same for 1 watcher and for
// 300 (counted with Prisma's query events); a job's feed is dropped when its last watcher
// leaves; another workspace's job answers NOT_FOUND; a watcher connecting to a job that
// others already watch costs one statement, whose choice of workspace is the one every
// workspace procedure makes (getActiveMembership), and whose refusals are theirs.
import assert from "node:assert/strict";
import { after, test } from "node:test";
import { PrismaPg } from "@prisma/adapter-pg";
import { harbourBriefInput } from "../helpers/briefs.ts";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";
import { callerFactory, code } from "../helpers/trpc.ts";

setTestEnv({ RENDER_WORKER_URL: "http://127.0.0.1:9" });
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb, PrismaClient } = await import("../../server/db/client.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { appendJobEvent } = await import("../../server/workflow/events.ts");
const { createJobFeeds } = await import("../../server/workflow/job-feed.ts");
const { getActiveMembership } = await import("../../server/auth/workspace.ts");
const { appRouter } = await import("../../server/api/root.ts");

// The watchers read through a client whose every query is counted; events are appended
// through another, so that only the reading is counted.
const watching = new PrismaClient({ adapter: new PrismaPg({ connectionString: database.url, max: 10 }), log: [{ emit: "event", level: "query" }] });
let queries = 0;
watching.$on("query", () => void queries++);
const db = getDb();
const as = await callerFactory(watching);

after(async () => {
  await watching.$disconnect();
  await db.$disconnect();
  await database.drop();
});

const owner = await createOwner(db, "feed-owner");
const stranger = await createOwner(db, "feed-stranger");

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

type Watcher = { ids: string[]; done: Promise<void> };

/** Reads a subscription to its end, keeping each message's id. */
function consume(stream: AsyncIterable<unknown>): Watcher {
  const ids: string[] = [];
  const done = (async () => {
    for await (const item of stream) {
      // tracked(id, message) reaches a server-side caller as [id, message, marker].
      const [id, message] = item as [string, { id: string }];
      assert.equal(message.id, id);
      ids.push(id);
    }
  })();
  return { ids, done };
}

function watchThroughProcedure(jobId: string, lastEventId?: string): Watcher {
  const stream = as(owner.userId, owner.workspaceId).jobs.events({ jobId, lastEventId }) as Promise<AsyncIterable<unknown>>;
  return consume(
    (async function* () {
      yield* await stream;
    })(),
  );
}

test("300 watchers of one job get every event once and in order, and their streams end after the job's last event", { timeout: 180_000 }, async () => {
  const jobId = await newJob("three hundred");
  const watchers = Array.from({ length: 300 }, () => watchThroughProcedure(jobId));
  const first = await allEventIds(jobId);
  await waitUntil(() => watchers.every((w) => w.ids.length === first.length), "every watcher to get the first events");

  const before = queries;
  for (let i = 0; i < 20; i++) {
    await appendJobEvent(db, jobId, "stage.progress", { stage: "narration", progress: i / 20 });
    if (i % 5 === 0) await new Promise((r) => setTimeout(r, 20));
  }
  await appendJobEvent(db, jobId, "job.succeeded", {}, { status: "succeeded", finishedAt: new Date() });
  await Promise.all(watchers.map((w) => w.done));
  const reads = queries - before;

  const all = await allEventIds(jobId);
  assert.equal(all.length, first.length + 21);
  for (const w of watchers) assert.deepEqual(w.ids, all);
  // 21 events, woken by at most one notification each (some share a read) and the 2 s timer:
  // about one read per event for all 300 watchers together.
  assert.ok(reads <= 21 + 2, `${reads} reads for 21 events and 300 watchers`);

  // A finished job: a new watcher gets its whole history and the stream ends.
  const late = watchThroughProcedure(jobId);
  await late.done;
  assert.deepEqual(late.ids, all);
});

test("a watcher joining mid-stream with lastEventId gets exactly what it missed", { timeout: 60_000 }, async () => {
  const jobId = await newJob("joining");
  const early = watchThroughProcedure(jobId);
  for (let i = 0; i < 6; i++) await appendJobEvent(db, jobId, "stage.progress", { stage: "script", progress: i / 6 });
  const sofar = await allEventIds(jobId);
  await waitUntil(() => early.ids.length === sofar.length, "the early watcher");

  const from = sofar[3]!;
  const joining = watchThroughProcedure(jobId, from);
  for (let i = 0; i < 4; i++) await appendJobEvent(db, jobId, "stage.progress", { stage: "visuals", progress: i / 4 });
  await appendJobEvent(db, jobId, "job.failed", {}, { status: "failed", finishedAt: new Date() });
  await Promise.all([early.done, joining.done]);
  const all = await allEventIds(jobId);
  assert.deepEqual(early.ids, all);
  assert.deepEqual(joining.ids, all.slice(all.indexOf(from) + 1));
});

test("another workspace's job answers NOT_FOUND", async () => {
  const jobId = await newJob("private");
  const outsider = as(stranger.userId, stranger.workspaceId);
  assert.equal(await code(outsider.jobs.events({ jobId }) as Promise<unknown>), "NOT_FOUND");
});

test("a watcher's connect checks are one statement, choosing the workspace as every workspace procedure does", async () => {
  // A member of their personal workspace (joined last) and of two teams.
  const user = await db.user.create({ data: { email: "feed-member@example.test" } });
  const team = await createOwner(db, "feed-team");
  const other = await createOwner(db, "feed-other-team");
  await db.membership.create({ data: { userId: user.id, workspaceId: team.workspaceId, role: "viewer" } });
  await db.membership.create({ data: { userId: user.id, workspaceId: other.workspaceId, role: "editor" } });
  const personal = await db.workspace.create({
    data: { name: "mine", slug: "feed-member-personal", personal: true, memberships: { create: { userId: user.id, role: "owner" } } },
  });
  const jobIn = async (workspaceId: string, userId: string) =>
    (await createVideo({ db, workspaceId, userId }, briefSchema.parse(harbourBriefInput(`in ${workspaceId}`)))).job.id;
  const jobs = { team: await jobIn(team.workspaceId, team.userId), personal: await jobIn(personal.id, user.id), stranger: await newJob("not theirs") };
  for (const jobId of Object.values(jobs)) await appendJobEvent(db, jobId, "job.succeeded", {}, { status: "succeeded", finishedAt: new Date() });
  const watchAs = async (requested: string | undefined, jobId: string) => {
    try {
      const stream = (await as(user.id, requested).jobs.events({ jobId })) as AsyncIterable<unknown>;
      for await (const _ of stream);
      return "OK";
    } catch (error) {
      return (error as { code?: string }).code;
    }
  };
  // Every choice of workspace cookie against every job: served exactly when the workspace
  // getActiveMembership chooses holds the job, NOT_FOUND otherwise.
  for (const requested of [undefined, team.workspaceId, other.workspaceId, personal.id, stranger.workspaceId, "no-such-workspace"]) {
    const chosen = (await getActiveMembership(db, user.id, requested))!.workspaceId;
    for (const [name, jobId] of Object.entries(jobs)) {
      const job = await db.job.findUniqueOrThrow({ where: { id: jobId } });
      assert.equal(await watchAs(requested, jobId), job.workspaceId === chosen ? "OK" : "NOT_FOUND", `cookie ${requested}, the ${name} job`);
    }
  }
  assert.equal(await watchAs(undefined, "no-such-job"), "NOT_FOUND");

  // A second watcher of a watched job: one statement, and the feed's buffer.
  const live = await newJob("watched twice");
  const first = watchThroughProcedure(live);
  const history = await allEventIds(live);
  await waitUntil(() => first.ids.length === history.length, "the first watcher");
  const before = queries;
  const second = watchThroughProcedure(live);
  await waitUntil(() => second.ids.length === history.length, "the second watcher");
  assert.equal(queries - before, 1, "one statement for the second watcher's checks");
  await appendJobEvent(db, live, "job.succeeded", {}, { status: "succeeded", finishedAt: new Date() });
  await Promise.all([first.done, second.done]);

  // The refusals of a workspace procedure: no session, a disabled account, no workspace.
  const signedOut = (await callerFactory(watching))("nobody");
  const noSession = appRouterCaller(null);
  assert.equal(await code(noSession.jobs.events({ jobId: jobs.team }) as Promise<unknown>), "UNAUTHORIZED");
  assert.equal(await code(signedOut.jobs.events({ jobId: jobs.team }) as Promise<unknown>), "UNAUTHORIZED", "a user who no longer exists");
  const loner = await db.user.create({ data: { email: "feed-loner@example.test" } });
  assert.equal(await code(as(loner.id).jobs.events({ jobId: jobs.team }) as Promise<unknown>), "FORBIDDEN");
  await db.user.update({ where: { id: user.id }, data: { disabledAt: new Date() } });
  assert.equal(await watchAs(team.workspaceId, jobs.team), "UNAUTHORIZED");
});

/** A caller with the given session (null: signed out). */
function appRouterCaller(session: { user: { id: string } } | null) {
  return appRouter.createCaller({ db: watching, session, headers: new Headers(), setWorkspace: async () => {} });
}

/** The feed itself, with a small buffer and no timer, so that every read is one a notification caused. */
function feedOnly(bufferSize: number) {
  const feeds = createJobFeeds({ toMessage: (row) => String(row.id), pollMs: 3_600_000, bufferSize });
  const watch = (jobId: string, after = 0n) => {
    const controller = new AbortController();
    const stream = (async function* () {
      for await (const event of feeds.watch(watching, jobId, after, controller.signal)) yield [String(event.id), { id: event.message }];
    })();
    return { ...consume(stream), stop: () => controller.abort() };
  };
  return { feeds, watch };
}

/** Reads per appended event while `count` watchers follow a job, one event at a time. */
async function readsPerEvent(count: number) {
  const { feeds, watch } = feedOnly(1000);
  const jobId = await newJob(`count ${count}`);
  const watchers = Array.from({ length: count }, () => watch(jobId));
  let expected = (await allEventIds(jobId)).length;
  await waitUntil(() => watchers.every((w) => w.ids.length === expected), "the first events");
  // The notification of the job's first event (written before the feed existed) may still
  // be on its way: it would cause one read of its own.
  await new Promise((r) => setTimeout(r, 300));
  const before = queries;
  for (let i = 0; i < 10; i++) {
    await appendJobEvent(db, jobId, "stage.progress", { progress: i / 10 });
    expected++;
    await waitUntil(() => watchers.every((w) => w.ids.length === expected), `event ${i}`);
  }
  const reads = queries - before;
  for (const w of watchers) w.stop();
  await Promise.all(watchers.map((w) => w.done));
  assert.equal(feeds.activeFeeds(), 0, "the feed is dropped when its last watcher leaves");
  return reads / 10;
}

test("the database reads per appended event are the same for 1 watcher and for 300", { timeout: 120_000 }, async () => {
  const one = await readsPerEvent(1);
  const many = await readsPerEvent(300);
  assert.equal(one, 1, `${one} reads per event for 1 watcher`);
  assert.equal(many, one, `${many} reads per event for 300 watchers`);
});

test("watchers behind the buffer catch up from the database once, then follow the feed", { timeout: 60_000 }, async () => {
  const { feeds, watch } = feedOnly(5);
  const jobId = await newJob("small buffer");
  for (let i = 0; i < 12; i++) await appendJobEvent(db, jobId, "stage.progress", { progress: i / 12 });
  const following = watch(jobId);
  const sofar = await allEventIds(jobId);
  await waitUntil(() => following.ids.length === sofar.length, "the first watcher");

  // From the start, and from an id the buffer (the newest 5) no longer holds.
  const fromStart = watch(jobId);
  const fromOld = watch(jobId, BigInt(sofar[2]!));
  for (let i = 0; i < 8; i++) await appendJobEvent(db, jobId, "stage.progress", { progress: i / 8 });
  await appendJobEvent(db, jobId, "job.cancelled", {}, { status: "cancelled", finishedAt: new Date() });
  await Promise.all([following.done, fromStart.done, fromOld.done]);
  const all = await allEventIds(jobId);
  assert.deepEqual(following.ids, all);
  assert.deepEqual(fromStart.ids, all);
  assert.deepEqual(fromOld.ids, all.slice(3));
  assert.equal(feeds.activeFeeds(), 0);
});
