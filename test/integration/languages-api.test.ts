// The brief's language over the REST API and the tRPC endpoint, on the real database: a
// video is created in the language named (or detected from its topic) and answers with it
// everywhere; a topic in a language no voice speaks, an unknown language and a voice of
// another language are refused with the field and the language named, intact over both
// wires; and the OpenAPI document describes the field.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { createOwner } from "../helpers/seed.ts";
import { callerFactory } from "../helpers/trpc.ts";

setTestEnv({});
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb } = await import("../../server/db/client.ts");
const rest = await import("../../server/api/rest/videos.ts");
const { openApiDocument } = await import("../../server/api/rest/openapi.ts");
const { handleTrpcRequest } = await import("../../server/api/http.ts");
const { closeSender } = await import("../../server/workflow/client.ts");

const db = getDb();
const as = await callerFactory(db);

const base = { audience: "curious readers", tone: "informative", targetLengthSec: 30, aspectRatio: "16:9", visualStyle: "modern", music: "none" };
const SPANISH = "Cómo funcionan los paneles solares. Los fotones liberan electrones en el silicio y el inversor cambia la corriente para las casas.";
const GEORGIAN = "მზის პანელები მზის შუქს ელექტროენერგიად გარდაქმნიან ქალაქის სახლებისთვის.";
const SWAHILI = "Paneli za jua hubadilisha mwanga wa jua kuwa umeme kwa ajili ya nyumba za mji huu wote.";
const TRADITIONAL = "太陽能電池板把陽光變成電，為這個城市裡的家庭供電。我們說的話會對學習有幫助。";

let owner = { userId: "", workspaceId: "" };
let key = "";

/** A REST call with the workspace's API key. */
const restCall = (handler: (r: Request, route?: { params: Promise<{ id: string }> }) => Promise<Response>, url: string, body?: unknown, id?: string) =>
  handler(
    new Request(`http://aura.test${url}`, {
      method: body ? "POST" : "GET",
      headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    }),
    id ? { params: Promise.resolve({ id }) } : undefined,
  );

/** videos.create over the tRPC endpoint's own HTTP handling (the app's error formatter), signed in. */
async function trpcCreate(brief: unknown) {
  const response = await handleTrpcRequest(
    new Request("http://aura.test/api/trpc/videos.create", {
      method: "POST",
      headers: { "content-type": "application/json", cookie: `aura-workspace=${owner.workspaceId}` },
      body: JSON.stringify({ json: brief }),
    }),
    async () => ({
      db,
      session: { user: { id: owner.userId } },
      headers: new Headers({ cookie: `aura-workspace=${owner.workspaceId}` }),
      setWorkspace: async () => {},
    }),
  );
  return { status: response.status, body: (await response.json()) as { result?: { data: { json: { videoId: string } } }; error?: { json: TrpcError } } };
}
type TrpcError = { message: string; data: { code: string; fieldErrors: Record<string, string> | null } };

/** The three briefs refused, with what each refusal must name. */
const REFUSED = [
  { name: "a Georgian topic with no language", brief: { ...base, topic: GEORGIAN, voice: "en-us-female" }, field: "language", names: [/Georgian/, /\bka\b/] },
  { name: "a Swahili topic with no language", brief: { ...base, topic: SWAHILI, voice: "en-us-female" }, field: "language", names: [/Swahili/, /\bsw\b/] },
  {
    name: "language sw",
    brief: { ...base, language: "sw", topic: "Solar panels and how they work", voice: "en-us-female" },
    field: "language",
    names: [/\bsw\b/],
  },
  {
    name: "language es with an English voice",
    brief: { ...base, language: "es", topic: SPANISH, voice: "en-us-female" },
    field: "voice",
    names: [/Spanish/, /es-female, es-male/],
  },
] as const;

before(async () => {
  owner = await createOwner(db, "languages-api");
  key = (await as(owner.userId, owner.workspaceId).automation.createApiKey({ name: "full", scopes: ["videos:read", "videos:write"] })).key;
});

after(async () => {
  await closeSender();
  await db.$disconnect();
  await database.drop();
});

describe("the brief's language over REST", () => {
  test("a video created in a named language answers with it in its status, the list and its stored brief", async () => {
    const created = await restCall(rest.createVideoRoute, "/api/v1/videos", { ...base, language: "es", topic: SPANISH, voice: "es-female" });
    assert.equal(created.status, 201);
    const video = await created.json();
    assert.equal(video.language, "es");
    assert.equal((await (await restCall(rest.getVideoRoute, `/api/v1/videos/${video.id}`, undefined, video.id)).json()).language, "es");
    const list = await (await restCall(rest.listVideosRoute, "/api/v1/videos")).json();
    assert.equal(list.videos.find((v: { id: string }) => v.id === video.id)?.language, "es");
    const stored = await db.video.findUniqueOrThrow({ where: { id: video.id } });
    assert.equal((stored.brief as { language: string }).language, "es");
    assert.equal(stored.title, "Cómo funcionan los paneles solares");
  });

  test("left out, the language is the topic's (detected), and a region tag is read as its language", async () => {
    const detected = await restCall(rest.createVideoRoute, "/api/v1/videos", { ...base, topic: SPANISH, voice: "es-male" });
    assert.equal(detected.status, 201);
    assert.equal((await detected.json()).language, "es");
    const taiwan = await restCall(rest.createVideoRoute, "/api/v1/videos", { ...base, language: "zh-TW", topic: TRADITIONAL, voice: "zh-Hant-female" });
    assert.equal(taiwan.status, 201);
    const video = await taiwan.json();
    assert.equal(video.language, "zh-Hant");
    assert.equal(video.title, "太陽能電池板把陽光變成電，為這個城市裡的家庭供電", "the title ends at the first 。");
  });

  test("an English brief with no language stays English, as before", async () => {
    const created = await restCall(rest.createVideoRoute, "/api/v1/videos", { ...base, topic: "Automated video", voice: "en-us-male" });
    assert.equal(created.status, 201);
    assert.equal((await created.json()).language, "en");
  });

  for (const { name, brief, field, names } of REFUSED) {
    test(`refused: ${name}, naming the field ${field} and the language`, async () => {
      const response = await restCall(rest.createVideoRoute, "/api/v1/videos", brief);
      assert.equal(response.status, 400);
      const body = (await response.json()) as { error: string; fields: Record<string, string> };
      assert.deepEqual(Object.keys(body.fields), [field]);
      for (const re of names) assert.match(body.fields[field]!, re);
      assert.ok(body.error.startsWith(`${field}: `), body.error);
    });
  }
});

describe("the brief's language over tRPC", () => {
  test("created in a language, the video's list item and detail carry it", async () => {
    const { status, body } = await trpcCreate({ ...base, language: "ja", topic: SPANISH, voice: "ja-male" });
    assert.equal(status, 200, JSON.stringify(body));
    const videoId = body.result!.data.json.videoId;
    const caller = as(owner.userId, owner.workspaceId);
    assert.equal((await caller.videos.get({ videoId })).language, "ja");
    assert.equal((await caller.videos.list()).find((v) => v.id === videoId)?.language, "ja");
  });

  for (const { name, brief, field, names } of REFUSED) {
    test(`refused: ${name}, as BAD_REQUEST with the field's message intact`, async () => {
      const { status, body } = await trpcCreate(brief);
      assert.equal(status, 400);
      const error = body.error!.json;
      assert.equal(error.data.code, "BAD_REQUEST");
      assert.deepEqual(Object.keys(error.data.fieldErrors ?? {}), [field]);
      for (const re of names) {
        assert.match(error.data.fieldErrors![field]!, re);
        assert.match(error.message, re);
      }
    });
  }
});

describe("the OpenAPI document", () => {
  test("describes the brief's language (optional, with its default) and the video's", () => {
    const { components } = openApiDocument() as unknown as {
      components: { schemas: Record<string, { properties: Record<string, { description?: string; enum?: string[] }>; required?: string[] }> };
    };
    const brief = components.schemas.Brief!;
    assert.ok(brief.properties.language, "Brief has language");
    assert.ok(!brief.required?.includes("language"), "and it is optional");
    assert.match(brief.properties.language.description ?? "", /BCP 47/);
    assert.match(brief.properties.language.description ?? "", /Left out: the language the topic is written in/);
    for (const id of ["Video", "VideoSummary"]) {
      const schema = components.schemas[id]!;
      assert.ok(schema.required?.includes("language"), `${id} always has language`);
      assert.ok(schema.properties.language?.enum?.includes("zh-Hant"));
      assert.ok(schema.properties.language?.description);
    }
  });
});
