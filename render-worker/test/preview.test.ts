// The growing preview through the real worker process: while a render runs, its HLS playlist
// in storage grows in playback order; the first file plays (video and audio); the finished
// playlist is complete, lasts as long as the video, and its audio is the final video's audio
// sample for sample (no gap, no overlap at any join).
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { ffprobe } from "../src/ffmpeg.ts";
import { buildAudioSplitArgs, buildChunkArgs, buildPlaylist, PREVIEW_BATCH_MAX, previewStatus, readyRun, startRanks } from "../src/preview.ts";
import { computeTiming, planSegments, renderSpecSchema } from "@aura/render-contract";

const secret = "preview-test-secret-123456";
const root = mkdtempSync(path.join(os.tmpdir(), "rw-preview-"));
const storage = path.join(root, "storage");
let worker: ChildProcess | undefined;
let url = "";
const api = (p: string, init: RequestInit = {}) =>
  fetch(url + p, { ...init, headers: { authorization: `Bearer ${secret}`, "content-type": "application/json", ...init.headers } });

const SCENES = 6;
const spec = {
  version: 1,
  width: 640,
  height: 360,
  fps: 30,
  quality: "draft",
  scenes: Array.from({ length: SCENES }, (_, i) => ({
    image: `in/img${i}.png`,
    narration: `in/voice${i}.wav`,
    duration: 3 + i * 0.4,
    narrationOffset: 0.2,
    motion: { kind: i % 2 ? "zoom-out" : "pan-right", strength: 0.1 },
  })),
  transition: { kind: "crossfade", duration: 0.5 },
  captions: { enabled: true, cues: [{ start: 0.2, end: 1.5, text: "Hello" }] },
  // No music: a composed bed takes seconds to play (fluidsynth), and the preview waits for the
  // mixed audio; here the segments must still be rendering when it is ready.
  music: null,
  loudness: { integratedLufs: -16, truePeakDb: -1.5 },
  output: { video: "out/v.mp4", poster: "out/v.jpg", preview: "out/v-preview" },
};

/** PCM of a file's audio, 48 kHz stereo s16. */
const pcm = (input: string) =>
  spawnSync("ffmpeg", ["-v", "error", "-i", input, "-map", "0:a", "-f", "s16le", "-ac", "2", "-ar", "48000", "-"], { maxBuffer: 1 << 28 }).stdout;

before(async () => {
  mkdirSync(path.join(storage, "in"), { recursive: true });
  for (let i = 0; i < SCENES; i++) {
    spawnSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", `testsrc2=s=640x360,hue=h=${i * 60}`, "-frames:v", "1", path.join(storage, `in/img${i}.png`)]);
    spawnSync("espeak-ng", ["-w", path.join(storage, `in/voice${i}.wav`), `Scene number ${i + 1} of the preview test.`]);
  }
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
      RENDER_TMP_DIR: path.join(root, "tmp"),
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

after(() => worker?.kill("SIGTERM"));

test("the first half of the segments starts in playback order, the rest longest first", () => {
  const plan = planSegments(computeTiming(renderSpecSchema.parse(spec)))!;
  const order = [...plan.keys()].sort((a, b) => startRanks(plan)[a]! - startRanks(plan)[b]!);
  assert.deepEqual(order.slice(0, 6), [0, 1, 2, 3, 4, 5]);
  const rest = order.slice(6).map((i) => plan[i]!.frames);
  assert.deepEqual(
    rest,
    [...rest].sort((a, b) => b - a),
  );
  assert.equal(new Set(order).size, plan.length);
});

test("the files ready to publish: from the next position, without a gap, at most a batch's worth", () => {
  const rendered = new Set([0, 1, 2, 4, 5]);
  assert.deepEqual(
    readyRun(0, (i) => rendered.has(i), PREVIEW_BATCH_MAX),
    [0, 1, 2],
  );
  assert.deepEqual(
    readyRun(3, (i) => rendered.has(i), PREVIEW_BATCH_MAX),
    [],
    "position 3 is not rendered yet",
  );
  assert.deepEqual(
    readyRun(0, (i) => rendered.has(i), 2),
    [0, 1],
  );
  const all = (i: number) => i < 100;
  assert.deepEqual(readyRun(0, all, PREVIEW_BATCH_MAX).length, PREVIEW_BATCH_MAX, "a hundred ready files go out in runs of the cap");
  assert.deepEqual(readyRun(96, all, PREVIEW_BATCH_MAX), [96, 97, 98, 99]);
});

test("several preview files made in one FFmpeg run are the files made one at a time, each at its place", () => {
  const dir = mkdtempSync(path.join(root, "chunks-"));
  const at = (name: string) => path.join(dir, name);
  const run = (args: string[]) => assert.equal(spawnSync("ffmpeg", args).status, 0, args.join(" "));
  // Three pieces of video (1 s, 0.5 s, 1 s at 30 fps) and the audio of all three, cut at their starts.
  const lengths = [1, 0.5, 1];
  for (const [k, sec] of lengths.entries())
    run([
      "-v",
      "error",
      "-f",
      "lavfi",
      "-i",
      `testsrc2=s=320x180:r=30:d=${sec}`,
      "-c:v",
      "libx264",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p",
      at(`v${k}.mp4`),
    ]);
  run(["-v", "error", "-f", "lavfi", "-i", "sine=f=440:d=2.5", "-c:a", "aac", at("a.m4a")]);
  run(buildAudioSplitArgs(at("a.m4a"), [1, 1.5], at("a-%05d.ts")));
  const chunks = lengths.map((_, k) => ({
    videoFile: at(`v${k}.mp4`),
    audioPiece: at(`a-${String(k).padStart(5, "0")}.ts`),
    startSec: [0, 1, 1.5][k]!,
    output: at(`c${k}.ts`),
  }));
  run(buildChunkArgs(chunks));
  for (const chunk of chunks) {
    const alone = `${chunk.output}.alone.ts`;
    run(buildChunkArgs([{ ...chunk, output: alone }]));
    assert.ok(readFileSync(chunk.output).equals(readFileSync(alone)), `${chunk.output} is the same in a batch and alone`);
    const { streams } = JSON.parse(
      spawnSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,start_time", "-of", "json", chunk.output], { encoding: "utf8" }).stdout,
    ) as { streams: { codec_type: string; start_time: string }[] };
    const starts = streams.map((st) => [st.codec_type, st.start_time] as const);
    assert.deepEqual(starts.map(([type]) => type).sort(), ["audio", "video"], `${chunk.output}: ${JSON.stringify(starts)}`);
    // Every stream starts at the piece's place in the timeline (after the 10 s offset).
    for (const [, start] of starts) assert.ok(Math.abs(Number(start) - (10 + chunk.startSec)) < 0.05, `${chunk.output} starts at ${start}`);
  }
});

test("the playlist and the status say what can be played", () => {
  assert.equal(
    buildPlaylist([2.5, 0.5], 3.2, false),
    "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:4\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:EVENT\n#EXTINF:2.500000,\nchunk-00000.ts\n#EXTINF:0.500000,\nchunk-00001.ts\n",
  );
  assert.match(buildPlaylist([], 3, true), /#EXT-X-ENDLIST\n$/);
  const plan = planSegments(computeTiming(renderSpecSchema.parse(spec)))!;
  const status = previewStatus(plan, 30, SCENES, new Set([0, 1, 2, 4]), 2, false);
  assert.deepEqual(status.sceneStates, ["playable", "rendered", "rendered", "waiting", "waiting", "waiting"]);
  assert.equal(status.playableScenes, 1);
  assert.equal(status.published, 2);
});

test("a render's preview grows while it runs, plays from its first file, and ends as the video", async () => {
  const res = await api("/renders", { method: "POST", body: JSON.stringify({ id: "preview-1", spec }) });
  assert.equal(res.status, 202);
  const playlistFile = path.join(storage, "out/v-preview/index.m3u8");
  const seen: string[] = [];
  let firstChunkProbe: Awaited<ReturnType<typeof ffprobe>> | null = null;
  let state: { status: string; result?: { previewReadyMs?: number; video: { durationSec: number } } } = { status: "queued" };
  for (let i = 0; i < 3000 && !["succeeded", "failed"].includes(state.status); i++) {
    if (existsSync(playlistFile)) {
      const text = readFileSync(playlistFile, "utf8");
      if (seen.at(-1) !== text) seen.push(text);
      // Played while the render still runs: video and audio, as long as the first segment.
      if (!firstChunkProbe && text.includes("chunk-00000.ts")) firstChunkProbe = await ffprobe(path.join(storage, "out/v-preview/chunk-00000.ts"));
    }
    state = await (await api("/renders/preview-1")).json();
    await new Promise((r) => setTimeout(r, 20));
  }
  assert.equal(state.status, "succeeded", JSON.stringify(state));
  const counts = seen.map((t) => (t.match(/chunk-\d+\.ts/g) ?? []).length);
  assert.ok(counts.length >= 3, `the playlist was read with ${counts.join(", ")} files: it should have grown in steps`);
  assert.deepEqual(
    counts,
    [...counts].sort((a, b) => a - b),
    "it only grows",
  );
  assert.ok(
    counts.some((c) => c > 0 && c < counts.at(-1)!),
    `some reads saw part of it: ${counts.join(", ")}`,
  );
  assert.ok(seen.slice(0, -1).every((t) => !t.includes("#EXT-X-ENDLIST")) && seen.at(-1)!.includes("#EXT-X-ENDLIST"), "only the last has the end mark");
  assert.ok(firstChunkProbe?.video && firstChunkProbe.audio, "the first file has video and audio");
  // Each AAC frame in a packet of its own: hls.js plays only the first frame of a packet that
  // holds several.
  const audioPackets = spawnSync("ffprobe", [
    "-v",
    "error",
    "-count_packets",
    "-select_streams",
    "a",
    "-show_entries",
    "stream=nb_read_packets",
    "-of",
    "csv=p=0",
    path.join(storage, "out/v-preview/chunk-00000.ts"),
  ]);
  assert.ok(
    Number(audioPackets.stdout.toString().trim().split("\n")[0]) >= Math.floor(((firstChunkProbe!.durationSec - 0.1) * 48000) / 1024),
    `the first file's audio is in ${audioPackets.stdout.toString().trim()} packets`,
  );

  const plan = planSegments(computeTiming(renderSpecSchema.parse(spec)))!;
  assert.equal(counts.at(-1), plan.length);
  assert.ok(Math.abs(firstChunkProbe!.durationSec - plan[0]!.frames / 30) < 0.05, `first file lasts ${firstChunkProbe!.durationSec}s`);
  const listed = [...seen.at(-1)!.matchAll(/#EXTINF:([\d.]+),/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  const video = path.join(storage, "out/v.mp4");
  assert.ok(Math.abs(listed - state.result!.video.durationSec) < 0.2, `the playlist lists ${listed}s, the video lasts ${state.result!.video.durationSec}s`);
  assert.ok(typeof state.result!.previewReadyMs === "number" && state.result!.previewReadyMs > 0, "the result says when the preview was ready");

  // Played whole, as a player does: every frame, and the final video's audio sample for sample.
  const playlist = path.join(storage, "out/v-preview/index.m3u8");
  const frames = spawnSync("ffprobe", [
    "-v",
    "error",
    "-count_frames",
    "-select_streams",
    "v",
    "-show_entries",
    "stream=nb_read_frames",
    "-of",
    "csv=p=0",
    playlist,
  ]);
  assert.equal(Number(frames.stdout.toString().trim().split("\n").at(-1)), computeTiming(renderSpecSchema.parse(spec)).totalFrames);
  const whole = await ffprobe(playlist);
  assert.ok(whole.video && whole.audio);
  const preview = pcm(playlist);
  const final = pcm(video);
  // MPEG-TS keeps the AAC encoder's priming frame (1024 samples) that MP4 marks to be skipped.
  const primed = 1024 * 4;
  // (The join stops at the last video frame, a packet or two before the audio's own end.)
  assert.ok(Math.abs(preview.length - primed - final.length) <= 4 * 4800, `preview ${preview.length} bytes of audio, final ${final.length}`);
  const length = Math.min(preview.length - primed, final.length);
  assert.ok(preview.subarray(primed, primed + length).equals(final.subarray(0, length)), "the preview's audio is the video's, with no gap at any join");
});
