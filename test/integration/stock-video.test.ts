// The stock video providers (Pexels and Pixabay) against local servers that speak both APIs,
// and a local media host that serves real MP4 clips made with FFmpeg here, or fails the way
// downloads fail: a connection dropped midway, an HTML page, a corrupt file, a body too large
// (declared or not). Then the settings: each is tested on save and sits in the visuals chain.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { startFakePexelsVideos, startFakePixabay, type FakeProvider, type StockVideo } from "../helpers/fake-providers.ts";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { resilient } from "../helpers/resilient.ts";
import { createOwner } from "../helpers/seed.ts";
import type { ProviderConfig } from "../../server/providers/types.ts";
import type { ClipWanted, FoundClip } from "../../server/providers/videos/types.ts";

const MAX_BYTES = 256 * 1024;
const root = mkdtempSync(path.join(os.tmpdir(), "aura-stock-"));
const clipsDir = path.join(root, "clips");
mkdirSync(clipsDir);

/** Real clips: three sizes of one landscape shot (3 s, the middle one with sound), a short
 *  landscape one (1 s) and a portrait one. */
function makeClip(name: string, size: string, seconds: number, colour: string, withSound = false) {
  const sound = withSound ? ["-f", "lavfi", "-i", `sine=d=${seconds}`, "-c:a", "aac", "-shortest"] : [];
  execFileSync("ffmpeg", [
    "-v",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `color=c=${colour}:s=${size}:r=25:d=${seconds}`,
    ...sound,
    "-c:v",
    "libx264",
    "-pix_fmt",
    "yuv420p",
    path.join(clipsDir, name),
  ]);
}
makeClip("beach-480.mp4", "480x270", 3, "blue");
makeClip("beach-320.mp4", "320x180", 3, "blue", true);
makeClip("beach-256.mp4", "256x144", 3, "blue");
makeClip("waves-320.mp4", "320x180", 3, "teal");
makeClip("gull-320.mp4", "320x180", 1, "white");
makeClip("tower-180.mp4", "180x320", 2, "gray");
const clipBytes = (name: string) => readFileSync(path.join(clipsDir, name));
// A corrupt clip whose header reads well (its index comes first) over a body of zeros: only
// decoding a frame finds out.
execFileSync("ffmpeg", [
  ...["-v", "error", "-y", "-f", "lavfi", "-i", "testsrc2=s=320x180:r=25:d=3"],
  ...["-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", path.join(root, "whole.mp4")],
]);
const corrupt = readFileSync(path.join(root, "whole.mp4"));
corrupt.fill(0, Math.floor(corrupt.length * 0.3));

/** The media host: clips as a CDN serves them, and the ways a download goes wrong. */
type MediaHost = { url: string; hits: string[]; endlessClosed: () => boolean; close(): Promise<void> };
async function startMediaHost(): Promise<MediaHost> {
  const hits: string[] = [];
  const sockets = new Set<Socket>();
  let endlessClosed = false;
  const server = http.createServer((req, res) => {
    const route = new URL(req.url ?? "/", "http://x").pathname;
    hits.push(route);
    const clip = /^\/clips\/([\w-]+\.mp4)$/.exec(route)?.[1];
    if (clip && existsSync(path.join(clipsDir, clip))) {
      const bytes = clipBytes(clip);
      res.writeHead(200, { "content-type": "video/mp4", "content-length": bytes.length });
      return res.end(bytes);
    }
    switch (route) {
      case "/bad/octet.mp4": {
        const bytes = clipBytes("waves-320.mp4");
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": bytes.length });
        return res.end(bytes);
      }
      case "/bad/cut.mp4": {
        // Says the whole length, sends half, and drops the connection.
        const bytes = clipBytes("waves-320.mp4");
        res.writeHead(200, { "content-type": "video/mp4", "content-length": bytes.length });
        return res.write(bytes.subarray(0, bytes.length >> 1), () => res.socket?.destroy());
      }
      case "/bad/page.mp4":
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        return res.end("<html><body>Please sign in to download</body></html>");
      case "/bad/corrupt.mp4": {
        res.writeHead(200, { "content-type": "video/mp4", "content-length": corrupt.length });
        return res.end(corrupt);
      }
      case "/bad/declared-big.mp4":
        // Declares 10 MB and then sends slowly: reading it would take until the time limit.
        res.writeHead(200, { "content-type": "video/mp4", "content-length": 10 * 1024 * 1024 });
        return res.write(Buffer.alloc(1024));
      case "/bad/endless.mp4": {
        // No length, and bytes until the client stops reading.
        res.writeHead(200, { "content-type": "video/mp4" });
        const chunk = Buffer.alloc(64 * 1024, 1);
        let sent = 0;
        const pump = () => {
          while (!res.destroyed && sent < 64 * 1024 * 1024) {
            sent += chunk.length;
            if (!res.write(chunk)) return res.once("drain", pump);
          }
          res.end();
        };
        res.on("close", () => {
          endlessClosed = sent < 64 * 1024 * 1024;
        });
        return pump();
      }
      default:
        res.writeHead(404, { "content-type": "text/plain" });
        return res.end("no such file");
    }
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    endlessClosed: () => endlessClosed,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

// Two media hosts: the allowed one, and another that no download may reach.
const [cdn, elsewhere] = await Promise.all([startMediaHost(), startMediaHost()]);
const cdnHost = new URL(cdn.url).host;
setTestEnv({
  PROVIDER_PRIVATE_HOSTS: "127.0.0.1:*",
  PROVIDER_TIMEOUT_SEC: "5",
  PROVIDER_ATTEMPTS: "3",
  PROVIDER_MAX_RETRY_WAIT_SEC: "2",
  PROVIDER_BREAKER_FAILURES: "100",
  PEXELS_VIDEO_HOSTS: `videos.pexels.com,${cdnHost}`,
  PIXABAY_VIDEO_HOSTS: `cdn.pixabay.com,${cdnHost}`,
  STOCK_VIDEO_MAX_MB: String(MAX_BYTES / 1024 / 1024),
});
const database = await createTestDatabase();
process.env.DATABASE_URL = database.url;

const { getDb } = await import("../../server/db/client.ts");
const { findPexelsVideo } = await import("../../server/providers/videos/pexels.ts");
const { findPixabayVideo } = await import("../../server/providers/videos/pixabay.ts");
const { ProviderError } = await import("../../server/providers/errors.ts");
const { saveProviderSetting, testProviderSetting, InvalidSettingError } = await import("../../server/providers/settings.ts");
const { buildChain } = await import("../../server/providers/chain.ts");
const { configurable } = await import("../../server/providers/catalog.ts");
type ProviderErrorT = InstanceType<typeof ProviderError>;

const db = getDb();
let catalogue: StockVideo[] = [];
let pexels: FakeProvider;
let pixabay: FakeProvider;

before(async () => {
  [pexels, pixabay] = await Promise.all([startFakePexelsVideos({ videos: () => catalogue }), startFakePixabay({ videos: () => catalogue })]);
});
after(async () => {
  await Promise.all([pexels, pixabay, cdn, elsewhere].map((s) => s.close()));
  await db.$disconnect();
  await database.drop();
  rmSync(root, { recursive: true, force: true });
});

const file = (name: string, width: number, height: number, host = cdn.url) => ({ link: `${host}/${name}`, width, height });
/** The beach shot in three sizes, listed out of order as the APIs do. */
const beach = (id = 11): StockVideo => ({
  id,
  duration: 3,
  user: "Jane Doe",
  title: "a woman walking on the beach",
  files: [file("clips/beach-480.mp4", 480, 270), file("clips/beach-256.mp4", 256, 144), file("clips/beach-320.mp4", 320, 180)],
});
const waves = (id = 12, link = "clips/waves-320.mp4"): StockVideo => ({
  id,
  duration: 3,
  user: "Sam Sea",
  title: "ocean waves",
  files: [file(link, 320, 180)],
});
const gull = (id = 13): StockVideo => ({ id, duration: 1, user: "Ada Air", title: "a gull", files: [file("clips/gull-320.mp4", 320, 180)] });
const tower = (id = 14): StockVideo => ({ id, duration: 2, user: "Tom Tall", title: "a tall tower", files: [file("clips/tower-180.mp4", 180, 320)] });

type Find = (config: ProviderConfig, wanted: ClipWanted, ctx: { signal: AbortSignal; timeoutMs: number }) => Promise<FoundClip>;
const providers: { name: string; id: string; find: Find; config: () => ProviderConfig; fake: () => FakeProvider; route: string }[] = [
  {
    name: "Pexels",
    id: "pexels-video",
    find: findPexelsVideo,
    config: () => ({ capability: "visuals", provider: "pexels-video", model: null, voice: null, baseUrl: pexels.url, apiKey: "pexels-test-key" }),
    fake: () => pexels,
    route: "/videos/search",
  },
  {
    name: "Pixabay",
    id: "pixabay-video",
    find: findPixabayVideo,
    config: () => ({ capability: "visuals", provider: "pixabay-video", model: null, voice: null, baseUrl: pixabay.url, apiKey: "pixabay-test-key" }),
    fake: () => pixabay,
    route: "/api/videos/",
  },
];
const [pexelsCase, pixabayCase] = providers as [(typeof providers)[0], (typeof providers)[0]];

/** The shots of one video: they share its claims, and each gets its own download folder. */
function videoShots() {
  const claimed = new Set<string>();
  const released: string[] = [];
  const shot = (over: Partial<ClipWanted> = {}): ClipWanted => ({
    query: "beach walk",
    orientation: "landscape",
    width: 320,
    height: 180,
    minDurationSec: 2,
    dir: mkdtempSync(path.join(root, "shot-")),
    async claim(id) {
      if (claimed.has(id)) return false;
      claimed.add(id);
      return true;
    },
    async release(id) {
      claimed.delete(id);
      released.push(id);
    },
    ...over,
  });
  return { shot, claimed, released };
}
const ctx = (timeoutMs = 5000) => ({ signal: new AbortController().signal, timeoutMs });
const rejectsWith = (kind: string, reason: RegExp) => (e: ProviderErrorT) => {
  assert.ok(e instanceof ProviderError, String(e));
  assert.equal(e.kind, kind, e.message);
  assert.match(e.message, reason);
  return true;
};

describe("choosing and downloading a clip", () => {
  test("Pexels: the clip in the video's orientation that lasts the shot, in the smallest file at least the output's size", async () => {
    catalogue = [gull(), tower(), beach()];
    const { shot } = videoShots();
    const wanted = shot();
    const before = cdn.hits.length;
    const clip = await findPexelsVideo(pexelsCase.config(), wanted, ctx());
    assert.equal(clip.sourceId, "pexels-video:11", "the 1 s gull is too short for a 2 s shot while a longer clip exists");
    assert.deepEqual(cdn.hits.slice(before), ["/clips/beach-320.mp4"], "only the 320×180 file was downloaded: not 480×270, not 256×144");
    assert.equal(path.dirname(clip.file), wanted.dir);
    assert.deepEqual([clip.mime, clip.ext, clip.width, clip.height, clip.codec, clip.hasAudio, clip.fps], ["video/mp4", "mp4", 320, 180, "h264", true, 25]);
    assert.ok(Math.abs(clip.durationSec - 3) < 0.1, String(clip.durationSec));
    assert.equal(clip.bytes, statSync(clip.file).size);
    assert.equal(clip.bytes, clipBytes("beach-320.mp4").length);
    assert.equal(clip.credit, "Video by Jane Doe on Pexels");
    assert.equal(clip.sourceUrl, "https://www.pexels.com/video/a-woman-walking-on-the-beach-11/");
    assert.deepEqual(clip.words, ["a", "woman", "walking", "on", "the", "beach"]);
    const search = pexels.hitsOn("/videos/search").at(-1)!;
    assert.equal(search.headers.authorization, "pexels-test-key");
    assert.deepEqual(
      ["query", "orientation", "size", "per_page"].map((k) => search.query.get(k)),
      ["beach walk", "landscape", "small", "15"],
    );

    // A larger output than any file: the largest file below it.
    const big = await findPexelsVideo(pexelsCase.config(), videoShots().shot({ width: 1280, height: 720 }), ctx());
    assert.deepEqual([big.width, big.height], [480, 270]);
    assert.equal(pexels.hitsOn("/videos/search").at(-1)!.query.get("size"), "small");
    // Pexels' size filter follows the output: Full HD asks for medium.
    await findPexelsVideo(pexelsCase.config(), videoShots().shot({ width: 1920, height: 1080 }), ctx());
    assert.equal(pexels.hitsOn("/videos/search").at(-1)!.query.get("size"), "medium");
  });

  test("Pixabay: the same choice from its large/medium/small/tiny files; it has no orientation filter, so Aura leaves out the wrong one", async () => {
    catalogue = [tower(), gull(), beach()];
    const { shot } = videoShots();
    const before = cdn.hits.length;
    const clip = await findPixabayVideo(pixabayCase.config(), shot(), ctx());
    assert.equal(clip.sourceId, "pixabay-video:11");
    assert.deepEqual(cdn.hits.slice(before), ["/clips/beach-320.mp4"]);
    assert.deepEqual([clip.width, clip.height, clip.mime], [320, 180, "video/mp4"]);
    assert.equal(clip.credit, "Video by Jane Doe on Pixabay");
    assert.equal(clip.sourceUrl, "https://pixabay.com/videos/a-woman-walking-on-the-beach-11/");
    assert.deepEqual(clip.words, ["a", "woman", "walking", "on", "the", "beach"]);
    const search = pixabay.hitsOn("/api/videos/").at(-1)!;
    assert.deepEqual(
      ["key", "q", "per_page", "safesearch"].map((k) => search.query.get(k)),
      ["pixabay-test-key", "beach walk", "20", "true"],
    );

    // The portrait shot of a portrait video; a long query is cut to Pixabay's 100 characters.
    const portrait = await findPixabayVideo(
      pixabayCase.config(),
      shot({ orientation: "portrait", width: 180, height: 320, minDurationSec: 1, query: "tower ".repeat(40) }),
      ctx(),
    );
    assert.deepEqual([portrait.sourceId, portrait.width, portrait.height], ["pixabay-video:14", 180, 320]);
    assert.equal(pixabay.hitsOn("/api/videos/").at(-1)!.query.get("q")!.length, 100);
  });

  for (const p of providers) {
    test(`${p.name}: no clip shows twice in one video; a clip shorter than the shot only when nothing else is left`, async () => {
      catalogue = [gull(31), beach(32), waves(33)];
      const { shot, claimed } = videoShots();
      const picks: string[] = [];
      for (let i = 0; i < 3; i++) picks.push((await p.find(p.config(), shot(), ctx())).sourceId);
      assert.deepEqual(picks, [`${p.id}:32`, `${p.id}:33`, `${p.id}:31`]);
      assert.deepEqual([...claimed].sort(), [...picks].sort());
      await assert.rejects(p.find(p.config(), shot(), ctx()), rejectsWith("not_found", /every video found for "beach walk" is already used in this video/));
      // Another video starts with no claims.
      assert.equal((await p.find(p.config(), videoShots().shot(), ctx())).sourceId, `${p.id}:32`);
    });
  }
});

describe("failures", () => {
  test("Pexels: 429 with Retry-After is waited for, then the search succeeds", async () => {
    catalogue = [beach()];
    pexels.queue("/videos/search", { status: 429, headers: { "retry-after": "1" }, body: { error: "Rate limit exceeded" } });
    const started = Date.now();
    const { value, log } = await resilient("pexels-video", (signal) => findPexelsVideo(pexelsCase.config(), videoShots().shot(), { signal, timeoutMs: 5000 }));
    assert.equal(value?.sourceId, "pexels-video:11");
    assert.ok(Date.now() - started >= 1000, "waited the second Pexels asked for");
    assert.deepEqual(
      log.map((a) => [a.kind ?? "ok", a.retryAfterMs]),
      [
        ["rate_limit", 1000],
        ["ok", undefined],
      ],
    );
  });

  test("Pixabay: 429 says when its limit ends in X-RateLimit-Reset; that is waited for, then the search succeeds", async () => {
    catalogue = [beach()];
    pixabay.queue("/api/videos/", {
      status: 429,
      headers: { "content-type": "text/html", "x-ratelimit-limit": "100", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1" },
      body: Buffer.from("[ERROR 429] Too many requests."),
    });
    const started = Date.now();
    const { value, log } = await resilient("pixabay-video", (signal) =>
      findPixabayVideo(pixabayCase.config(), videoShots().shot(), { signal, timeoutMs: 5000 }),
    );
    assert.equal(value?.sourceId, "pixabay-video:11");
    assert.ok(Date.now() - started >= 1000);
    assert.equal(log[0]!.kind, "rate_limit");
    assert.match(log[0]!.error!, /rate limited \(HTTP 429\), retry after 1 s: Too many requests\./);
  });

  for (const p of providers) {
    test(`${p.name}: a 5xx is retried; a malformed answer is classified; no result is not_found`, async () => {
      catalogue = [beach()];
      p.fake().queue(p.route, { status: 503, body: { error: "Service Unavailable" } });
      const { value, log } = await resilient(p.id, (signal) => p.find(p.config(), videoShots().shot(), { signal, timeoutMs: 5000 }));
      assert.ok(value);
      assert.deepEqual(
        log.map((a) => a.kind ?? "ok"),
        ["transient", "ok"],
      );
      p.fake().queue(p.route, { status: 500, body: { error: "boom" } }, { status: 500 }, { status: 500 });
      const down = await resilient(p.id, (signal) => p.find(p.config(), videoShots().shot(), { signal, timeoutMs: 5000 }));
      assert.equal(down.log.length, 3);
      rejectsWith("transient", /server error \(HTTP 500\)/)(down.error!);

      p.fake().queue(p.route, { raw: '{"videos": [tru' });
      await assert.rejects(p.find(p.config(), videoShots().shot(), ctx()), rejectsWith("malformed", /not JSON/));
      p.fake().queue(p.route, { status: 200, body: { photos: [] } });
      await assert.rejects(p.find(p.config(), videoShots().shot(), ctx()), rejectsWith("malformed", /the search answer has no (videos|hits) list/));
      p.fake().queue(p.route, { status: 200, body: { videos: [{ id: "x" }], hits: [{ id: "x" }] } });
      await assert.rejects(p.find(p.config(), videoShots().shot(), ctx()), rejectsWith("malformed", /has the fields (Pexels|Pixabay) documents/));

      catalogue = [];
      await assert.rejects(
        p.find(p.config(), videoShots().shot({ query: "unicorn parade" }), ctx()),
        rejectsWith("not_found", /no video found for "unicorn parade"/),
      );
      catalogue = [tower()];
      await assert.rejects(
        p.find(p.config(), videoShots().shot(), ctx()),
        rejectsWith("not_found", /no (landscape video with a usable file|video) found for "beach walk"/),
      );
    });

    test(`${p.name}: downloads that stop midway, come as HTML, or are corrupt are refused and their claim given back`, async () => {
      const cases: [string, string, RegExp][] = [
        ["bad/cut.mp4", "transient", /the download of the clip \S+ stopped after \d+ of \d+ bytes/],
        ["bad/page.mp4", "malformed", /the clip \S+ was sent as text\/html, not as a video/],
        ["bad/corrupt.mp4", "malformed", /the clip \S+:41 cannot be used: its pictures cannot be decoded/],
        ["bad/missing.mp4", "not_found", /the clip \S+:41: not found \(HTTP 404\)/],
      ];
      for (const [link, kind, reason] of cases) {
        catalogue = [waves(41, link)];
        const { shot, claimed, released } = videoShots();
        const wanted = shot();
        await assert.rejects(p.find(p.config(), wanted, ctx()), rejectsWith(kind, reason), link);
        assert.deepEqual(released, [`${p.id}:41`], `${link}: the claim is given back`);
        assert.equal(claimed.size, 0);
        assert.deepEqual(readdirSync(wanted.dir), [], `${link}: nothing is left in the folder`);
      }
      // application/octet-stream is accepted: the probe decides what the file is.
      catalogue = [waves(42, "bad/octet.mp4")];
      const octet = await p.find(p.config(), videoShots().shot(), ctx());
      assert.deepEqual([octet.mime, octet.codec], ["video/mp4", "h264"]);
    });

    test(`${p.name}: a clip over STOCK_VIDEO_MAX_MB is refused, declared or not`, async () => {
      catalogue = [waves(51, "bad/declared-big.mp4")];
      const started = Date.now();
      const declared = videoShots();
      await assert.rejects(
        p.find(p.config(), declared.shot(), ctx(10_000)),
        rejectsWith("malformed", /the clip \S+:51 is 10485760 bytes, more than the 262144 allowed \(STOCK_VIDEO_MAX_MB\)/),
      );
      assert.ok(Date.now() - started < 5000, "refused on its declared length, without reading the body (which would last until the 10 s limit)");
      assert.deepEqual(declared.released, [`${p.id}:51`]);

      catalogue = [waves(52, "bad/endless.mp4")];
      const undeclared = videoShots();
      const wanted = undeclared.shot();
      await assert.rejects(p.find(p.config(), wanted, ctx()), rejectsWith("malformed", /the clip \S+:52 is more than the 262144 bytes allowed/));
      assert.deepEqual(undeclared.released, [`${p.id}:52`]);
      assert.deepEqual(readdirSync(wanted.dir), []);
      for (let i = 0; i < 50 && !cdn.endlessClosed(); i++) await new Promise((r) => setTimeout(r, 20));
      assert.ok(cdn.endlessClosed(), "the download stopped reading: the host could not send all it had");
    });

    test(`${p.name}: a link to a host that is not allowed is never fetched`, async () => {
      const foreign = { ...waves(61), files: [file("clips/waves-320.mp4", 320, 180, elsewhere.url)] };
      catalogue = [foreign];
      const { shot, claimed } = videoShots();
      await assert.rejects(
        p.find(p.config(), shot(), ctx()),
        rejectsWith(
          "malformed",
          new RegExp(
            `link to ${new URL(elsewhere.url).host}, not to an allowed media host \\(${p.id === "pexels-video" ? "PEXELS" : "PIXABAY"}_VIDEO_HOSTS\\)`,
          ),
        ),
      );
      assert.equal(claimed.size, 0, "nothing was claimed");
      // With an allowed clip further down, that one is taken.
      catalogue = [foreign, waves(62)];
      assert.equal((await p.find(p.config(), shot(), ctx())).sourceId, `${p.id}:62`);
      assert.equal(elsewhere.hits.length, 0, "the other host got no request");
    });
  }

  test("Pixabay: a refused key is an auth error in Pixabay's own words", async () => {
    await assert.rejects(
      findPixabayVideo({ ...pixabayCase.config(), apiKey: "wrong" }, videoShots().shot(), ctx()),
      rejectsWith("auth", /pixabay-video: the API key was refused \(HTTP 400\): Invalid or missing API key \(\[key\]\)\./),
    );
    await assert.rejects(
      findPexelsVideo({ ...pexelsCase.config(), apiKey: "wrong" }, videoShots().shot(), ctx()),
      rejectsWith("auth", /pexels-video: the API key was refused \(HTTP 401\)/),
    );
  });
});

describe("settings", () => {
  test("both are visuals providers a workspace can add: tested on save, then in the chain before the built-in cards", async () => {
    assert.deepEqual(
      configurable("visuals")
        .filter((p) => p.id === "pexels-video" || p.id === "pixabay-video")
        .map((p) => [p.id, p.label, p.tier, p.needsKey]),
      [
        ["pexels-video", "Pexels stock videos", "online", true],
        ["pixabay-video", "Pixabay stock videos", "online", true],
      ],
    );
    const { workspaceId } = await createOwner(db, "stock");
    await assert.rejects(
      saveProviderSetting({ db, workspaceId }, { capability: "visuals", provider: "pixabay-video", baseUrl: pixabay.url, apiKey: "wrong" }),
      (e: Error) => e instanceof InvalidSettingError && /Not saved\. pixabay-video: the API key was refused/.test(e.message),
    );
    catalogue = [beach()];
    const pexelsSaved = await saveProviderSetting(
      { db, workspaceId },
      { capability: "visuals", provider: "pexels-video", baseUrl: pexels.url, apiKey: "pexels-test-key", priority: 1 },
    );
    assert.deepEqual([pexelsSaved.probe?.ok, pexelsSaved.probe?.ok && pexelsSaved.probe.detail], [true, 'video search works (1 results for "nature")']);
    assert.equal(pexels.hitsOn("/videos/search").at(-1)!.query.get("per_page"), "1");
    await saveProviderSetting(
      { db, workspaceId },
      { capability: "visuals", provider: "pixabay-video", baseUrl: pixabay.url, apiKey: "pixabay-test-key", priority: 2 },
    );
    assert.equal(pixabay.hitsOn("/api/videos/").at(-1)!.query.get("per_page"), "3", "Pixabay's smallest page");
    const tested = await testProviderSetting({ db, workspaceId }, "visuals", "pixabay-video");
    assert.equal(tested.ok, true);
    const chain = await buildChain(db, workspaceId, "visuals");
    assert.deepEqual(
      chain.links.map((l) => l.config.provider),
      ["pexels-video", "pixabay-video", "offline-card"],
    );
    assert.equal(chain.links[1]!.config.apiKey, "pixabay-test-key");
  });
});

describe("choosing among search results", () => {
  test("a shot's query lists each stock provider's clips with their stills; the one chosen is the one fetched, or the shot falls back saying why", async () => {
    const { createVideo } = await import("../../server/videos/service.ts");
    const { shotCandidates } = await import("../../server/videos/shot-candidates.ts");
    const { pickedVisual } = await import("../../server/pipeline/visuals/picked.ts");
    const { briefSchema } = await import("../../server/videos/brief.ts");
    const { writeOfflineScript } = await import("../../server/pipeline/script/offline-writer.ts");
    const owner = await createOwner(db, "stock-choice");
    const ctx = { db, ...owner };
    catalogue = [beach(), waves(), tower()];
    await saveProviderSetting(ctx, { capability: "visuals", provider: "pexels-video", baseUrl: pexels.url, apiKey: "pexels-test-key", priority: 1 });
    await saveProviderSetting(ctx, { capability: "visuals", provider: "pixabay-video", baseUrl: pixabay.url, apiKey: "pixabay-test-key", priority: 2 });
    const brief = briefSchema.parse({
      topic: "The sea",
      audience: "swimmers",
      tone: "informative",
      targetLengthSec: 15,
      aspectRatio: "16:9",
      voice: "en-gb-male",
      visualStyle: "bold",
      resolution: "1080p",
    });
    const { video } = await createVideo(ctx, brief);

    const found = await shotCandidates(ctx, { videoId: video.id, query: "sea" });
    assert.deepEqual(
      found.providers.map((p) => [p.provider, p.error, p.candidates.map((c) => c.sourceId)]),
      [
        ["pexels-video", null, ["pexels-video:11", "pexels-video:12"]],
        ["pixabay-video", null, ["pixabay-video:11", "pixabay-video:12", "pixabay-video:14"]],
      ],
      "Pexels filters to the video's orientation; Pixabay cannot, so its list has the portrait one too",
    );
    const first = found.providers[0]!.candidates[0]!;
    assert.equal(first.previewUrl, "https://images.pexels.com/videos/11/pictures/preview-0.jpg", "Pexels' still, on its picture host");
    assert.deepEqual([first.credit, first.durationSec], ["Video by Jane Doe on Pexels", 3]);
    const stranger = await createOwner(db, "stock-choice-stranger");
    await assert.rejects(shotCandidates({ db, ...stranger }, { videoId: video.id, query: "sea" }), /not found/i, "another workspace's video");

    // The second result is chosen: the search runs again, and only that clip is taken.
    const script = writeOfflineScript(brief);
    const dir = mkdtempSync(path.join(root, "pick-"));
    const claimed: string[] = [];
    const request = {
      script,
      scene: script.scenes[0]!,
      sceneIndex: 0,
      shotIndex: 0,
      shotCount: 1,
      brief,
      shotSec: 2,
      dir,
      owner: null,
      claims: {
        claim: async (id: string) => {
          claimed.push(id);
          return true;
        },
        release: async () => {},
        available: async () => true,
      },
    };
    const chosen = await pickedVisual(db, owner.workspaceId, {
      ...request,
      shot: { query: "sea", pick: { kind: "stock", provider: "pexels-video", sourceId: "pexels-video:12" } },
    });
    assert.ok(chosen && "value" in chosen, JSON.stringify(chosen));
    assert.equal(chosen.value.kind, "clip");
    assert.equal(chosen.value.kind === "clip" && chosen.value.clip.sourceId, "pexels-video:12");
    assert.deepEqual(claimed, ["pexels-video:12"], "no other clip was claimed or downloaded");
    assert.deepEqual(chosen.value.kind === "clip" && chosen.value.clip.words, ["ocean", "waves"]);

    // A clip no longer in the results: the shot falls back to the providers, saying why.
    const gone = await pickedVisual(db, owner.workspaceId, {
      ...request,
      shot: { query: "sea", pick: { kind: "stock", provider: "pexels-video", sourceId: "pexels-video:99" } },
    });
    assert.ok(gone && "fallback" in gone);
    assert.equal(gone.fallback, `the clip chosen for this shot (pexels-video:99) could not be had: it is no longer among pexels-video's results for "sea"`);
  });
});
