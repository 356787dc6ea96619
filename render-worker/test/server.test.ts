// The render worker as a real process: auth, validation, encoder detection, a render,
// and a cancel that kills FFmpeg and removes the temp files.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";

// With WORKER_UNDER_TEST_URL set, these tests run against a worker that is already running
// (test/images starts one from the worker's image, with this folder's storage and temp
// folders mounted into it) instead of starting one here.
const external = process.env.WORKER_UNDER_TEST_URL;
const secret = process.env.WORKER_UNDER_TEST_SECRET ?? "worker-test-secret-123456";
const root = process.env.WORKER_UNDER_TEST_DIR ?? mkdtempSync(path.join(os.tmpdir(), "rw-test-"));
const storage = path.join(root, "storage");
const tmp = path.join(root, "tmp");
let worker: ChildProcess | undefined;
let url = external ?? "";

const api = (p: string, init: RequestInit = {}, auth = secret) =>
  fetch(url + p, { ...init, headers: { authorization: `Bearer ${auth}`, "content-type": "application/json", ...init.headers } });

function spec(duration: number, width = 320, height = 180) {
  return {
    version: 1,
    width,
    height,
    fps: 30,
    quality: "draft",
    scenes: [0, 1].map((i) => ({
      image: `in/img${i}.png`,
      narration: `in/voice${i}.wav`,
      duration,
      narrationOffset: 0.2,
      motion: { kind: i ? "zoom-out" : "pan-right", strength: 0.1 },
    })),
    transition: { kind: "crossfade", duration: 0.5 },
    captions: { enabled: true, cues: [{ start: 0.2, end: 1.5, text: "Hello" }] },
    music: { source: { kind: "generated", mood: "bright" }, volumeDb: -18, duck: true },
    loudness: { integratedLufs: -16, truePeakDb: -1.5 },
    output: { video: `out/${duration}.mp4`, poster: `out/${duration}.jpg` },
  };
}

async function waitFor(id: string, done: (s: { status: string }) => boolean) {
  for (let i = 0; i < 600; i++) {
    const state = await (await api(`/renders/${id}`)).json();
    if (done(state)) return state;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("timed out");
}

before(async () => {
  mkdirSync(path.join(storage, "in"), { recursive: true });
  mkdirSync(tmp, { recursive: true });
  for (const i of [0, 1]) {
    spawnSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=s=640x360", "-frames:v", "1", path.join(storage, `in/img${i}.png`)]);
    spawnSync("espeak-ng", ["-w", path.join(storage, `in/voice${i}.wav`), "Testing the render worker."]);
  }
  if (external) return;
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  worker = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "../src/main.ts")], {
    env: {
      ...process.env,
      RENDER_WORKER_SECRET: secret,
      RENDER_WORKER_PORT: String(port),
      STORAGE_DIR: storage,
      RENDER_TMP_DIR: tmp,
      RENDER_CACHE_DIR: path.join(root, "cache"),
    },
    stdio: "ignore",
  });
  url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {}
    await new Promise((r) => setTimeout(r, 100));
  }
});

after(() => {
  worker?.kill("SIGTERM");
});

describe("render worker HTTP API", () => {
  test("refuses a missing or wrong secret", async () => {
    assert.equal((await api("/health", {}, "nope")).status, 401);
    assert.equal((await fetch(`${url}/renders/x`)).status, 401);
  });

  test("health lists only encoders that passed a trial encode", async () => {
    const health = await (await api("/health")).json();
    assert.ok(health.encoders.includes("libx264"));
    for (const name of health.encoders) assert.equal(health.tried.find((t: { name: string }) => t.name === name).works, true);
    // FFmpeg lists h264_nvenc either way; it is in `encoders` only if the trial encode worked.
    const nvenc = health.tried.find((t: { name: string }) => t.name === "h264_nvenc");
    assert.equal(health.encoders.includes("h264_nvenc"), nvenc.works);
    // Renders start with an encoder that works: hardware if any passed, else libx264.
    assert.ok(health.encoders.includes(health.preferred));
    if (health.encoders.length === 1) assert.equal(health.preferred, "libx264");
    else assert.notEqual(health.preferred, "libx264");
    // CUDA frames are tried too; without an NVIDIA device the trial fails and says why.
    assert.equal(typeof health.cuda.works, "boolean");
    if (!existsSync("/dev/nvidiactl")) assert.deepEqual([health.cuda.works, typeof health.cuda.error], [false, "string"]);
  });

  test("an invalid spec is refused with the field named; paths outside storage never reach FFmpeg", async () => {
    const bad = spec(2);
    bad.scenes[0]!.image = "../../etc/passwd";
    const res = await api("/renders", { method: "POST", body: JSON.stringify({ id: "bad", spec: bad }) });
    assert.equal(res.status, 400);
    assert.match((await res.json()).error, /^invalid render spec: spec\.scenes\.0\.image:/);
    const missing = spec(2);
    missing.scenes[0]!.image = "in/nope.png";
    await api("/renders", { method: "POST", body: JSON.stringify({ id: "missing", spec: missing }) });
    const state = await waitFor("missing", (s) => s.status !== "running");
    assert.equal(state.status, "failed");
    assert.match(state.error, /input in\/nope\.png is not in storage/);
  });

  test("renders an MP4 with audio, reports progress, and a repeated submit starts nothing new", async () => {
    const res = await api("/renders", { method: "POST", body: JSON.stringify({ id: "ok", correlationId: "c-1", spec: spec(2.5) }) });
    assert.equal(res.status, 202);
    const again = await api("/renders", { method: "POST", body: JSON.stringify({ id: "ok", spec: spec(2.5) }) });
    assert.equal((await again.json()).createdAt, (await (await api("/renders/ok")).json()).createdAt);
    const state = await waitFor("ok", (s) => s.status !== "running");
    assert.equal(state.status, "succeeded", state.error);
    assert.equal(state.progress.percent, 100);
    assert.equal(state.result.video.durationSec, 4.5);
    assert.deepEqual([state.result.video.width, state.result.video.height], [320, 180]);
    const probe = spawnSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name", "-of", "csv=p=0", path.join(storage, "out/2.5.mp4")], {
      encoding: "utf8",
    });
    assert.deepEqual(probe.stdout.trim().split("\n"), ["h264", "aac"]);
    // Loudness is normalised to the spec's target (EBU R128 integrated loudness, measured).
    const meter = spawnSync("ffmpeg", ["-hide_banner", "-i", path.join(storage, "out/2.5.mp4"), "-af", "ebur128", "-f", "null", "-"], { encoding: "utf8" });
    const integrated = Number(/I:\s+(-?[\d.]+) LUFS\s*\n\s*Threshold/.exec(meter.stderr.split("Summary:")[1] ?? "")?.[1]);
    assert.ok(Math.abs(integrated - -16) <= 1.5, `integrated loudness ${integrated} LUFS`);
    assert.deepEqual(readdirSync(tmp), []);
  });

  test("cancel kills FFmpeg and removes the render's temp files", async () => {
    await api("/renders", { method: "POST", body: JSON.stringify({ id: "long", spec: spec(120, 1280, 720) }) });
    // Progress while it runs: percent, frames per second, speed (× real time) and time left.
    type Progress = { percent: number; fps: number | null; speed: number | null; etaSec: number | null };
    const running = await waitFor("long", (s: { status: string; progress?: Progress }) => (s.progress?.percent ?? 0) > 0 && s.progress?.fps != null);
    const progress = running.progress as Progress;
    assert.ok(progress.fps! > 0 && progress.etaSec! > 0, JSON.stringify(progress));
    assert.ok(Math.abs(progress.speed! - progress.fps! / 30) < 0.02, JSON.stringify(progress));
    assert.equal(readdirSync(tmp).length, 1);
    // One render slot: a second render is refused with a hint when to come back.
    const busy = await api("/renders", { method: "POST", body: JSON.stringify({ id: "second", spec: spec(2) }) });
    assert.equal(busy.status, 503);
    assert.equal(busy.headers.get("retry-after"), "5");
    const cancelled = await (await api("/renders/long", { method: "DELETE" })).json();
    assert.equal(cancelled.status, "cancelled");
    assert.deepEqual(readdirSync(tmp), []);
    const ps = spawnSync("pgrep", ["-f", "render-long-"], { encoding: "utf8" });
    assert.equal(ps.stdout.trim(), "");
  });
});
