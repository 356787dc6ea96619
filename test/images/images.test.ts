// The two images that docker-compose.yml runs, built by scripts/check-images.sh and run here
// as containers: each runs as its non-root user and passes its own HEALTHCHECK; the worker
// trial-encodes and, without a GPU, falls back to libx264; the worker's HTTP API tests pass
// against the worker's container; and a brief sent to the app container's REST API becomes
// an MP4 rendered by the worker's container, the two sharing one storage folder as the
// compose file's volume. The compose file is checked to wire them the same way. Both images
// have the Noto fonts of every script (the worker draws captions, the app draws cards), and
// the app's espeak-ng speaks a language other than English.
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import { parse } from "yaml";
import { imageConfig, imageEnv, startContainer } from "../helpers/containers.ts";
import { setTestEnv } from "../helpers/env.ts";
import { createTestDatabase } from "../helpers/postgres.ts";
import { freePort } from "../helpers/render-worker.ts";
import { createOwner } from "../helpers/seed.ts";
import { callerFactory } from "../helpers/trpc.ts";

const execFileAsync = promisify(execFile);
const workerImage = process.env.AURA_WORKER_IMAGE ?? "localhost/aura-render-worker";
const appImage = process.env.AURA_APP_IMAGE ?? "localhost/aura-app";
// The images' user (useradd --uid 10001 in both Dockerfiles).
const imageUid = 10001;

setTestEnv({});
// Not migrated: the app's image applies the migrations when it starts.
const database = await createTestDatabase({ migrate: false });
process.env.DATABASE_URL = database.url;
const { getDb } = await import("../../server/db/client.ts");
const db = getDb();

const root = mkdtempSync(path.join(os.tmpdir(), "aura-images-"));
// The compose file's "storage" volume: one folder, mounted into both containers.
const storage = path.join(root, "storage");
const workerTmp = path.join(root, "tmp");
for (const dir of [storage, workerTmp]) {
  mkdirSync(dir);
  chownSync(dir, imageUid, imageUid);
}
const secret = "image-check-worker-secret";
const workerPort = await freePort();
const appPort = await freePort();
let worker: ReturnType<typeof startContainer>;
let app: ReturnType<typeof startContainer>;

/** The font families fontconfig finds in a container. */
const fontFamilies = (container: ReturnType<typeof startContainer>) =>
  new Set(
    container
      .exec(["fc-list", ":", "family"])
      .stdout.split("\n")
      .flatMap((line) => line.split(",")),
  );
/** One face of each family of scripts the captions and cards are drawn in. */
const NOTO_FAMILIES = [
  "Noto Sans",
  "Noto Sans CJK SC",
  "Noto Sans CJK JP",
  "Noto Sans Arabic",
  "Noto Sans Hebrew",
  "Noto Sans Devanagari",
  "Noto Sans Thai",
  "Noto Color Emoji",
];

before(async () => {
  // Ports other than the images' defaults: the healthchecks must follow the configured port.
  worker = startContainer(workerImage, {
    env: { RENDER_WORKER_SECRET: secret, RENDER_WORKER_PORT: String(workerPort) },
    volumes: { [storage]: "/data/storage", [workerTmp]: "/var/tmp/aura-render" },
  });
  await worker.waitHealthy(60_000);
});

after(async () => {
  await app?.stop();
  await worker?.stop();
  await db.$disconnect();
  await database.drop();
  rmSync(root, { recursive: true, force: true });
});

describe("the render worker's image", () => {
  test("runs as its own user, not root, with FFmpeg, fonts, fluidsynth and its sound font installed", () => {
    assert.equal(worker.exec(["id", "-u"]).stdout.trim(), String(imageUid));
    assert.match(worker.exec(["ffmpeg", "-hide_banner", "-version"]).stdout, /^ffmpeg version/);
    assert.equal(worker.exec(["test", "-f", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"]).status, 0);
    // The composed music bed (render-worker/src/music): without these the worker plays a held chord.
    assert.match(worker.exec(["fluidsynth", "--version"]).stdout, /FluidSynth runtime version 2\./);
    assert.equal(worker.exec(["test", "-r", "/usr/share/sounds/sf3/MuseScore_General_Lite.sf3"]).status, 0);
  });

  test("has the Noto fonts of every script, for the captions", () => {
    const families = fontFamilies(worker);
    assert.deepEqual(
      NOTO_FAMILIES.filter((f) => !families.has(f)),
      [],
      "missing font families",
    );
  });

  test("trial-encodes at start and, without a GPU, encodes with libx264", async () => {
    const health = (await (await fetch(`http://127.0.0.1:${workerPort}/health`, { headers: { authorization: `Bearer ${secret}` } })).json()) as {
      preferred: string;
      tried: { name: string; works: boolean }[];
    };
    assert.ok(
      health.tried.some((t) => t.name === "h264_nvenc"),
      "NVENC is tried",
    );
    if (!existsSync("/dev/nvidiactl")) assert.equal(health.preferred, "libx264");
  });

  test("passes the worker's HTTP API tests (render, progress, back-pressure, cancel)", async () => {
    // The tests write their inputs into the mounted storage and read the mounted temp folder.
    // Run without blocking, so that the container's log keeps being read meanwhile.
    const run = await execFileAsync(process.execPath, ["--import", "tsx", "--test", "render-worker/test/server.test.ts"], {
      cwd: path.resolve(import.meta.dirname, "../.."),
      // NODE_TEST_CONTEXT would make the inner run report to this runner instead of printing.
      env: {
        ...process.env,
        NODE_TEST_CONTEXT: undefined,
        WORKER_UNDER_TEST_URL: `http://127.0.0.1:${workerPort}`,
        WORKER_UNDER_TEST_SECRET: secret,
        WORKER_UNDER_TEST_DIR: root,
      },
    }).catch((error: { stdout: string; stderr: string }) => assert.fail(error.stdout + error.stderr));
    assert.match(run.stdout, /# fail 0/);
    // The container did the work: its log has the tests' render (id "ok") and the cancelled one.
    assert.match(worker.output(), /"msg":"render succeeded".*"renderId":"ok"/);
    assert.match(worker.output(), /"renderId":"long"/);
  });
});

describe("the app's image", () => {
  test("migrates the database, passes its healthcheck and turns a brief into an MP4 rendered by the worker's image", async () => {
    app = startContainer(appImage, {
      env: {
        DATABASE_URL: database.url,
        AUTH_SECRET: "image-check-auth-secret-0123456789abcdef",
        AUTH_URL: `http://localhost:${appPort}`,
        PORT: String(appPort),
        RENDER_WORKER_URL: `http://127.0.0.1:${workerPort}`,
        RENDER_WORKER_SECRET: secret,
      },
      volumes: { [storage]: "/data/storage" },
    });
    await app.waitHealthy(120_000);
    assert.equal(app.exec(["id", "-u"]).stdout.trim(), String(imageUid));
    assert.match(app.output(), /applied migrations: /);

    const owner = await createOwner(db, "images");
    const { key } = await (await callerFactory(db))(owner.userId, owner.workspaceId).automation.createApiKey({
      name: "image check",
      scopes: ["videos:read", "videos:write"],
    });
    const api = (p: string, init: RequestInit = {}) =>
      fetch(`http://127.0.0.1:${appPort}${p}`, { ...init, headers: { authorization: `Bearer ${key}`, "content-type": "application/json" } });
    const brief = {
      topic: "Container images",
      audience: "operators",
      tone: "informative",
      targetLengthSec: 15,
      aspectRatio: "16:9",
      voice: "en-us-female",
      visualStyle: "minimal",
      music: "calm",
    };
    const created = await api("/api/v1/videos", { method: "POST", body: JSON.stringify(brief) });
    assert.equal(created.status, 201, await created.clone().text());
    const { id } = (await created.json()) as { id: string };
    type Status = { status: string; durationSec: number | null; job: { status: string; error: unknown } | null; links: { download: string | null } };
    let status: Status | undefined;
    for (let i = 0; i < 300; i++) {
      status = (await (await api(`/api/v1/videos/${id}`)).json()) as Status;
      if (!["draft", "queued", "processing"].includes(status.status)) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    assert.equal(status?.status, "ready", `${JSON.stringify(status)}\n${app.output()}\n${worker.output()}`);
    const download = await api(status!.links.download!);
    assert.equal(download.status, 200);
    const file = path.join(root, "video.mp4");
    writeFileSync(file, Buffer.from(await download.arrayBuffer()));
    const probe = spawnSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,codec_name,width,height", "-show_chapters", "-of", "json", file], {
      encoding: "utf8",
    });
    const { streams, chapters } = JSON.parse(probe.stdout) as {
      streams: { codec_type: string; codec_name: string; width?: number; height?: number }[];
      chapters: unknown[];
    };
    const video = streams.find((s) => s.codec_type === "video");
    assert.deepEqual([video?.codec_name, video?.width, video?.height], ["h264", 1920, 1080]);
    assert.equal(streams.find((s) => s.codec_type === "audio")?.codec_name, "aac");
    assert.ok(chapters.length >= 2, `${chapters.length} chapters`);
    assert.ok(Math.abs(status!.durationSec! - 15) <= 5, `duration ${status!.durationSec} s`);
    // The image's offline parts did the work: festival spoke (with its own word times), the
    // shots got licensed illustrations, and the report found no downgrade.
    const steps = await db.jobStep.findMany({ where: { job: { videoId: id } }, select: { stepId: true, provider: true, output: true } });
    const narration = steps.find((s) => s.stepId === "narration-1");
    assert.equal(narration?.provider, "festival", JSON.stringify(narration));
    assert.equal((narration?.output as { timing?: string } | undefined)?.timing, "voice");
    const detail = (await (await api(`/api/v1/videos/${id}`)).json()) as {
      scenes: { shots: { provider: string; license?: string }[] }[];
      quality: { verdict: string } | null;
    };
    const shots = detail.scenes.flatMap((scene) => scene.shots);
    assert.ok(
      shots.some((shot) => shot.license),
      JSON.stringify(shots),
    );
    assert.ok(detail.quality && detail.quality.verdict !== "degraded", JSON.stringify(detail.quality));
  });

  test("has the Noto fonts of every script, for the cards, and espeak-ng speaks Arabic", (t) => {
    if (!app) return t.skip("the app's container did not start");
    const families = fontFamilies(app);
    assert.deepEqual(
      NOTO_FAMILIES.filter((f) => !families.has(f)),
      [],
      "missing font families",
    );
    const spoke = app.exec(["espeak-ng", "-v", "ar", "-w", "/tmp/ar.wav", "يعيش النحل في خلايا"]);
    assert.equal(spoke.status, 0, spoke.stderr);
    // 22 050 Hz, 16-bit mono: more than a second of speech.
    const bytes = Number(app.exec(["stat", "-c", "%s", "/tmp/ar.wav"]).stdout.trim());
    assert.ok(bytes > 40_000, `${bytes} bytes of Arabic speech`);
  });
});

describe("docker-compose.yml", () => {
  test("wires the images as these tests run them", () => {
    type Service = { environment: Record<string, string>; volumes: string[]; ports?: string[]; depends_on?: Record<string, { condition: string }> };
    const { services } = parse(readFileSync(path.resolve(import.meta.dirname, "../../docker-compose.yml"), "utf8")) as { services: Record<string, Service> };
    const [workerEnv, appEnv] = [imageEnv(workerImage), imageEnv(appImage)];
    // One storage volume, mounted where each image keeps its storage.
    assert.ok(services["render-worker"]!.volumes.includes(`storage:${workerEnv.STORAGE_DIR}`));
    assert.ok(services.app!.volumes.includes(`storage:${appEnv.STORAGE_DIR}`));
    // The app reaches the worker where the worker's image listens, with the same secret.
    assert.equal(workerEnv.RENDER_WORKER_HOST, "0.0.0.0");
    assert.equal(services.app!.environment.RENDER_WORKER_URL, `http://render-worker:${workerEnv.RENDER_WORKER_PORT}`);
    assert.match(services["render-worker"]!.environment.RENDER_WORKER_SECRET!, /^\$\{RENDER_WORKER_SECRET[:}]/);
    assert.match(services.app!.environment.RENDER_WORKER_SECRET!, /^\$\{RENDER_WORKER_SECRET[:}]/);
    assert.match(services.app!.environment.DATABASE_URL!, /@postgres:5432\//);
    assert.deepEqual(services.app!.ports, [`3000:${appEnv.PORT}`]);
    // The app starts once the worker's healthcheck passes, so the worker's image must have one.
    assert.equal(services.app!.depends_on!["render-worker"]!.condition, "service_healthy");
    assert.equal(imageConfig(workerImage).Healthcheck?.Test[0], "CMD");
  });
});

describe("docker-compose.many.yml", () => {
  test("adds an S3-compatible store and two workers found by name, sharing no volume", () => {
    type Service = {
      environment?: Record<string, string>;
      volumes?: unknown;
      deploy?: { replicas?: number };
      depends_on?: Record<string, { condition: string }>;
    };
    const read = (file: string) =>
      parse(readFileSync(path.resolve(import.meta.dirname, "../..", file), "utf8"), { merge: true, logLevel: "error" }) as {
        services: Record<string, Service>;
      };
    const base = read("docker-compose.yml").services;
    const many = read("docker-compose.many.yml").services;
    for (const name of ["app", "render-worker"]) {
      const env = many[name]!.environment!;
      // The same store for both, from the settings packages/object-store reads.
      assert.deepEqual([env.STORAGE_BACKEND, env.S3_ENDPOINT, env.S3_BUCKET, env.S3_ACCESS_KEY_ID], ["s3", "http://minio:9000", "aura", "aura"]);
      assert.match(env.S3_SECRET_ACCESS_KEY!, /^\$\{S3_SECRET_ACCESS_KEY[:}]/);
      assert.deepEqual(many[name]!.volumes, [], `${name} mounts no shared volume`);
      assert.equal(many[name]!.depends_on!["minio-bucket"]!.condition, "service_completed_successfully");
    }
    assert.equal(many["render-worker"]!.deploy!.replicas, 2);
    // Two replicas behind one name: the app resolves it to every address.
    assert.equal(many.app!.environment!.RENDER_WORKER_DISCOVERY, "dns");
    assert.equal(base.app!.environment!.RENDER_WORKER_URL, "http://render-worker:4100");
    assert.equal(many.minio!.environment!.MINIO_ROOT_USER, "aura");
  });
});
