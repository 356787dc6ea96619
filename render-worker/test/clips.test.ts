// Video clips as shots: the pure builders (where a piece starts in its clip, when it loops, the
// fit chains, the clip's sound in the mix, what the cache key holds, how a bad clip is named),
// then real renders of clips made here with FFmpeg, each a colour of its own, read back frame by
// frame: sizes, rates (variable too), a rotated phone clip, HEVC 10-bit, loops, trims, blur fit,
// clip sound, both render paths, the segment cache, and damaged files.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { computeTiming, renderSpecSchema, type RenderSpecInput } from "@aura/render-contract";
import { LocalStore } from "@aura/object-store";
import { buildFilterGraph, buildRenderArgs, clipChain, shotInputArgs } from "../src/build-command.ts";
import { buildMixArgs } from "../src/audio-mix.ts";
import { blameClip, clipInputArgs, clipRunError, clipWindow, judgeClipProbe } from "../src/clips.ts";
import { formatSettings } from "../src/formats.ts";
import { RenderManager } from "../src/renders/registry.ts";
import { buildSegmentArgs, planSegments, segmentKey } from "../src/segments.ts";
import { WorkerStorage } from "../src/storage.ts";

const still = { duration: 1.2, narration: null, narrationOffset: 0, motion: { kind: "zoom-in" as const, strength: 0.1 } };
const shot = (key: string, clip: Record<string, unknown> = {}) => ({ ...still, clip: { key, ...clip } });

/** A small spec: 320x180 at 30 fps, Draft, a 0.3 s crossfade, nothing drawn over the pictures. */
const specOf = (scenes: RenderSpecInput["scenes"], extra: Partial<RenderSpecInput> = {}): RenderSpecInput => ({
  version: 1,
  width: 320,
  height: 180,
  fps: 30,
  quality: "draft",
  scenes,
  transition: { kind: "crossfade", duration: 0.3 },
  captions: { enabled: false, cues: [] },
  music: null,
  loudness: { integratedLufs: -16, truePeakDb: -1.5 },
  output: { video: "out/v.mp4", poster: "out/v.jpg" },
  ...extra,
});

describe("clip builders", () => {
  const info = { durationSec: 2, hasAudio: true };
  const input = { file: "/s/clip.mp4", info };

  test("a piece starts at the clip's start plus its offset; it loops only when the clip ends first", () => {
    assert.deepEqual(clipWindow({ start: 0.5 }, info, 0, 1), { seek: 0.5, loops: 0 });
    // 1.5 s left after the start: 3 s take one more run of the clip (2 s), 3.6 s two.
    assert.deepEqual(clipWindow({ start: 0.5 }, info, 0, 3), { seek: 0.5, loops: 1 });
    assert.deepEqual(clipWindow({ start: 0.5 }, info, 0, 3.6), { seek: 0.5, loops: 2 });
    // A segment 2 s into the shot: past the first end (at 1.5 s of the shot), 0.5 s into the second run.
    assert.deepEqual(clipWindow({ start: 0.5 }, info, 2, 1), { seek: 0.5, loops: 0 });
    assert.deepEqual(clipWindow({ start: 0 }, info, 4.25, 0.5), { seek: 0.25, loops: 0 });
    // Seek before -i, the loop, and a read limit of the piece plus one frame.
    assert.deepEqual(clipInputArgs({ start: 1.25 }, input, 0.5, 1, 30), ["-ss", "1.75", "-stream_loop", "1", "-t", "1.033333", "-i", "/s/clip.mp4"]);
    assert.deepEqual(clipInputArgs({ start: 0 }, input, 0, 1, 25), ["-t", "1.04", "-i", "/s/clip.mp4"]);
  });

  test("crop fit covers the frame by display aspect; blur fit lays the whole picture over a blurred copy made small", () => {
    const crop = clipChain("0:v", { inset: null, clip: { fit: "crop" } }, { width: 320, height: 180, fps: 30 }, 45, "x");
    assert.equal(
      crop,
      "[0:v]fps=30:start_time=0,scale=w='max(320,ceil(180*dar/2)*2)':h='max(180,ceil(320/dar/2)*2)':out_range=tv,crop=320:180,setsar=1,format=yuv420p,trim=end_frame=45,settb=1/30,setpts=N[x]",
    );
    const blur = clipChain("2:v", { inset: null, clip: { fit: "blur" } }, { width: 320, height: 180, fps: 30 }, 45, "x");
    assert.match(blur, /^\[2:v\]fps=30:start_time=0,scale=w='min\(320,floor\(180\*dar\/2\)\*2\)':h='min\(180,floor\(320\/dar\/2\)\*2\)'.*split\[x_f\]\[x_b\]/);
    assert.match(blur, /\[x_b\]scale=w='max\(40,ceil\(22\*a\/2\)\*2\)'.*crop=40:22,boxblur=.*scale=320:180:flags=bilinear,setsar=1\[x_bg\]/);
    assert.match(blur, /\[x_bg\]\[x_f\]overlay=x=\(W-w\)\/2:y=\(H-h\)\/2,format=yuv420p,trim=end_frame=45,settb=1\/30,setpts=N\[x\]$/);
    // A picture that ends before its file's sound: its last frame is held (and only then).
    const held = clipChain("0:v", { inset: null, clip: { fit: "crop" } }, { width: 320, height: 180, fps: 30 }, 45, "x", undefined, { pictureEndsEarly: true });
    assert.match(held, /^\[0:v\]fps=30:start_time=0,tpad=stop=-1:stop_mode=clone,scale=/);
    assert.doesNotMatch(crop + blur, /tpad/);
    // An inset goes over the clip as over a still.
    const inset = clipChain(
      "0:v",
      { inset: { image: "i.png", position: "top-left", size: 0.3, margin: 0.04, border: null }, clip: { fit: "crop" } },
      { width: 320, height: 180, fps: 30 },
      45,
      "x",
      "3:v",
    );
    assert.match(inset, /setpts=N\[x_m\];\n\[3:v\]scale=.*\n\[x_m\]\[x_i\]overlay=x=7:y=7:eof_action=repeat\[x\]$/);
  });

  const mixed = renderSpecSchema.parse(
    specOf([
      { ...still, image: "a.png", motion: { kind: "pan-left", strength: 0.1 } },
      shot("in/b.mp4", { start: 1.5, fit: "blur", volumeDb: -12 }),
      shot("in/c.mp4"),
    ]),
  );
  const files = {
    images: ["/s/a.png", null, null],
    clips: [null, { file: "/s/b.mp4", info: { durationSec: 2, hasAudio: true } }, { file: "/s/c.mp4", info: { durationSec: 5, hasAudio: true } }],
    audio: { file: "/w/mix.wav", filter: "anull" },
    captionsFile: null,
    output: "/w/out.mp4",
  };

  test("one graph: each shot is an input (a still at the render's rate, a clip from its start), each clip decoded once and cut into its pieces", () => {
    const { args } = buildRenderArgs(mixed, files);
    const at = (file: string) => args.indexOf(file);
    assert.deepEqual(args.slice(at("/s/a.png") - 3, at("/s/a.png") + 1), ["-framerate", "30", "-i", "/s/a.png"]);
    // Shot 2 lasts 36 frames (1.2 s): from 1.5 s of a 2 s clip it loops once.
    assert.deepEqual(args.slice(at("/s/b.mp4") - 7, at("/s/b.mp4") + 1), ["-ss", "1.5", "-stream_loop", "1", "-t", "1.233333", "-i", "/s/b.mp4"]);
    assert.deepEqual(args.slice(at("/s/c.mp4") - 3, at("/s/c.mp4") + 1), ["-t", "1.233333", "-i", "/s/c.mp4"]);
    assert.ok(at("/s/c.mp4") < at("/w/mix.wav"));
    const graph = buildFilterGraph(mixed, files);
    // The middle shot shows in three pieces: decoded once, split, each piece its own frames.
    assert.match(graph, /\n\[1:v\]fps=30:start_time=0,/);
    assert.match(graph, /overlay=x=\(W-w\)\/2:y=\(H-h\)\/2,format=yuv420p,trim=end_frame=36,settb=1\/30,setpts=N\[s1\]/);
    assert.match(graph, /\[s1\]split=3\[p1_0\]\[p1_1\]\[p1_2\]/);
    assert.match(graph, /\[p1_0\]trim=start_frame=0:end_frame=9,setpts=N\[c1_1\]/);
    assert.match(graph, /\[p1_1\]trim=start_frame=9:end_frame=27,setpts=N\[c2\]/);
    assert.match(graph, /\[p1_2\]trim=start_frame=27:end_frame=36,setpts=N\[c3_0\]/);
    // The still keeps its motion; the clips have none.
    assert.match(graph, /\[p0_0\]scale=.*crop=w=320:h=180:x='/);
    assert.equal(graph.match(/\(n\+|\(n\//g)?.length, 2, "motion only on the still's two pieces");
    assert.match(graph, /\[3:a\]anull\[aout\]/);
    assert.throws(() => buildRenderArgs(mixed, { ...files, clips: undefined }), /shot 2 shows a clip but no clip file was given/);
  });

  test("in segments: a piece of a clip seeks to its own first frame; the cache key follows the clip's file, start, fit and length, not its sound", () => {
    const timing = computeTiming(mixed);
    const plan = planSegments(timing)!;
    const body = plan.findIndex((p) => p.kind === "body" && p.scenes[0] === 1);
    const segmentFiles = {
      ...files,
      imageHashes: ["ha", "hb", "hc"],
      insets: [],
      insetHashes: [],
      captionsFile: null,
      watermarkTextFile: null,
      watermarkImage: null,
      watermarkImageHash: null,
      output: "/w/s.mp4",
    };
    const video = formatSettings("mp4-h264", "draft", mixed).video;
    const args = buildSegmentArgs(mixed, timing, plan[body]!, segmentFiles, video);
    // 9 frames in (after the transition): from 1.5 + 0.3 s, 18 frames; the clip ends 0.2 s later, so it loops once.
    assert.deepEqual(args.slice(args.indexOf("-i") - 6, args.indexOf("-i") + 2), ["-ss", "1.8", "-stream_loop", "1", "-t", "0.633333", "-i", "/s/b.mp4"]);
    // The transition out of the middle shot starts at its frame 27: 1.5 + 0.9 s is past the
    // clip's end (2 s), so it seeks 0.4 s into the clip's second run.
    const out = buildSegmentArgs(mixed, timing, plan[body + 1]!, segmentFiles, video);
    assert.deepEqual(out.slice(out.indexOf("/s/b.mp4") - 5, out.indexOf("/s/b.mp4") + 1), ["-ss", "0.4", "-t", "0.333333", "-i", "/s/b.mp4"]);
    assert.match(out[out.indexOf("-filter_complex") + 1]!, /xfade=transition=fade:duration=0\.3:offset=0/);
    const key = (spec: typeof mixed, hashes = segmentFiles.imageHashes, clips = files.clips) =>
      segmentKey(spec, timing, plan[body]!, { ...segmentFiles, imageHashes: hashes, clips }, video);
    const edit = (clip: Record<string, unknown>) =>
      renderSpecSchema.parse({ ...mixed, scenes: mixed.scenes.map((s, i) => (i === 1 ? { ...s, clip: { ...s.clip!, ...clip } } : s)) });
    const k = key(mixed);
    assert.notEqual(key(edit({ start: 1 })), k);
    assert.notEqual(key(edit({ fit: "crop" })), k);
    assert.notEqual(key(mixed, ["ha", "hB", "hc"]), k);
    assert.notEqual(key(mixed, undefined, [null, { file: "/s/b.mp4", info: { durationSec: 3, hasAudio: true } }, files.clips[2]!]), k);
    assert.equal(key(edit({ volumeDb: -20 })), k);
    assert.equal(key(renderSpecSchema.parse({ ...mixed, scenes: mixed.scenes.map((s, i) => (i === 1 ? { ...s, motion: { kind: "none" } } : s)) })), k);
  });

  test("a clip's sound is mixed under its shot at its gain, faded at the edges; none when null or when the clip has no sound", () => {
    const narrated = renderSpecSchema.parse({ ...mixed, scenes: mixed.scenes.map((s) => ({ ...s, narration: "v.wav" })) });
    const timing = computeTiming(narrated);
    const args = buildMixArgs(narrated, timing, { narrations: ["/s/v0.wav", "/s/v1.wav", "/s/v2.wav"], musicFile: null, clips: files.clips }, "/w/mix.wav");
    const given = args.flatMap((a, i) => (args[i - 1] === "-i" ? [a] : []));
    assert.deepEqual(given, ["/s/v0.wav", "/s/v1.wav", "/s/v2.wav", "/s/b.mp4"], "shot 3's clip sound is null: not an input");
    // Read as the picture is: from 1.5 s, looped once, for the shot's 1.2 s.
    assert.deepEqual(args.slice(args.indexOf("/s/b.mp4") - 7, args.indexOf("/s/b.mp4")), ["-ss", "1.5", "-stream_loop", "1", "-t", "1.233333", "-i"]);
    const graph = args[args.indexOf("-filter_complex") + 1]!;
    // Shot 2 starts at 0.9 s; faded over the transition's 0.3 s at each edge.
    assert.match(
      graph,
      /\[3:a\]aresample=48000,[^;]*,atrim=0:1\.2,volume=-12dB,afade=t=in:st=0:d=0\.3,afade=t=out:st=0\.9:d=0\.3,adelay=delays=900:all=1\[clip1\]/,
    );
    assert.match(graph, /\[voice\]\[clip1\]amix=inputs=2:normalize=0:duration=first\[withfx\]/);
    const silent = buildMixArgs(
      narrated,
      timing,
      { narrations: [null, null, null], musicFile: null, clips: [null, { ...files.clips[1]!, info: { durationSec: 2, hasAudio: false } }, files.clips[2]!] },
      "/w/m.wav",
    );
    assert.doesNotMatch(silent.join(" "), /b\.mp4|clip1/);
  });

  test("ffprobe's answer is judged: damaged, empty, soundless, without video, or starting past the end; each names the shot", () => {
    const answer = (streams: unknown[], duration = "2.0") => ({ code: 0, stderr: "", stdout: JSON.stringify({ streams, format: { duration } }) });
    const video = { codec_type: "video", codec_name: "h264", nb_frames: "60", nb_read_packets: "60" };
    assert.deepEqual(judgeClipProbe(2, { key: "k.mp4", start: 0 }, answer([video, { codec_type: "audio" }])), {
      durationSec: 2,
      hasAudio: true,
      pictureEndsEarly: false,
    });
    assert.deepEqual(judgeClipProbe(2, { key: "k.mp4", start: 1 }, answer([{ ...video, duration: "1.98" }])), {
      durationSec: 2,
      hasAudio: false,
      pictureEndsEarly: false,
    });
    // The picture stops at 1 s, the file (its sound) at 2 s: by the stream's length, or Matroska's tag.
    assert.equal(judgeClipProbe(2, { key: "k.mp4", start: 0 }, answer([{ ...video, duration: "1.0" }])).pictureEndsEarly, true);
    assert.equal(
      judgeClipProbe(2, { key: "k.mkv", start: 0 }, answer([{ codec_type: "video", codec_name: "vp9", tags: { DURATION: "00:00:01.000000000" } }]))
        .pictureEndsEarly,
      true,
    );
    const refused = (probe: ReturnType<typeof answer>, why: RegExp, start = 0) =>
      assert.throws(() => judgeClipProbe(2, { key: "in/k.mp4", start }, probe), why);
    refused(
      { code: 1, stdout: "", stderr: "in/k.mp4: Invalid data found when processing input\n" },
      /^Error: shot 3's clip \(key in\/k\.mp4\) cannot be decoded: in\/k\.mp4: Invalid data found/,
    );
    refused(answer([{ codec_type: "audio" }]), /shot 3's clip \(key in\/k\.mp4\) cannot be decoded: it has no video stream/);
    refused(answer([{ codec_type: "video", disposition: { attached_pic: 1 } }]), /no video stream/);
    refused(answer([{ ...video, nb_read_packets: "6" }]), /the file ends early \(6 of its 60 frames are there\)/);
    refused(answer([video], "N/A"), /it has no length/);
    refused(
      { ...answer([{ codec_type: "video", codec_name: "vp9", nb_read_packets: "41" }]), stderr: "[matroska,webm @ 0x1] File ended prematurely\n" },
      /the file ends early \(\[matroska,webm @ 0x1\] File ended prematurely\)/,
    );
    refused(answer([video]), /shot 3's clip \(key in\/k\.mp4\) starts at 2 s, past its end \(2 s\)/, 2);
  });

  test("an FFmpeg failure is pinned on the clip it names, by file or input number", () => {
    const clips = [
      { index: 0, file: "/w/a.mp4", shot: 4, key: "in/a.mp4" },
      { index: 1, file: "/w/b.mp4", shot: 5, key: "in/b.mp4" },
    ];
    assert.equal(blameClip("x\nError while decoding stream #1:0: Invalid data found\n", clips)?.shot, 5);
    assert.equal(blameClip("/w/a.mp4: corrupt input packet in stream 0\n", clips)?.shot, 4);
    assert.equal(blameClip("Conversion failed!\n", clips), null);
    assert.equal(
      clipRunError(clips[0]!, "/w/a.mp4: corrupt input packet in stream 0\n").message,
      "shot 5's clip (key in/a.mp4) cannot be decoded: the clip: corrupt input packet in stream 0",
    );
    assert.deepEqual(shotInputArgs(mixed, files, 2, 9, 18), ["-ss", "0.3", "-t", "0.633333", "-i", "/s/c.mp4"]);
  });
});

describe("clip renders (real FFmpeg)", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "rw-clips-"));
  const storageDir = path.join(root, "storage");
  const tmpDir = path.join(root, "tmp");
  const cacheDir = path.join(root, "cache");
  const log = { info() {}, warn() {}, error() {}, child: () => log };
  const manager = (segments: boolean) =>
    new RenderManager({
      storage: new WorkerStorage(new LocalStore(storageDir)),
      tmpDir,
      maxConcurrent: 1,
      timeoutMs: 120_000,
      log,
      chooseEncoder: async () => "libx264",
      ...(segments ? { cacheDir, parallel: 2 } : {}),
    });
  const ff = (...args: string[]) => {
    const r = spawnSync("ffmpeg", ["-v", "error", "-y", ...args], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`ffmpeg ${args.join(" ")}: ${r.stderr}`);
  };
  const at = (key: string) => path.join(storageDir, key);
  const x264 = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"];
  /** A solid colour clip: `size`, `rate`, `seconds`, with a tone when `sound`. */
  const solid = (key: string, colour: string, size: string, rate: string, seconds: number, sound = false, codec = x264) =>
    ff(
      ...["-f", "lavfi", "-i", `color=c=${colour}:s=${size}:r=${rate}:d=${seconds}`],
      ...(sound ? ["-f", "lavfi", "-i", `sine=f=440:sample_rate=48000:d=${seconds}`, "-c:a", "aac", "-shortest"] : []),
      ...codec,
      at(key),
    );

  before(() => {
    mkdirSync(at("in"), { recursive: true });
    mkdirSync(tmpDir);
    solid("in/red-720p-24.mp4", "0xFF0000", "1280x720", "24", 2, true);
    solid("in/green-portrait-25.mp4", "0x00FF00", "720x1280", "25", 2);
    // 4K, kept short (0.4 s): it loops in its 1.2 s shot.
    solid("in/blue-4k-60.mp4", "0x0000FF", "3840x2160", "60", 0.4);
    solid("in/yellow-2997.mp4", "0xFFFF00", "640x360", "30000/1001", 2);
    solid("in/cyan-hevc10.mp4", "0x00FFFF", "640x360", "30", 1.5, false, [
      "-c:v",
      "libx265",
      "-preset",
      "ultrafast",
      "-pix_fmt",
      "yuv420p10le",
      "-x265-params",
      "log-level=error",
    ]);
    // Variable frame rate: the first second at 30 fps, then every third frame only.
    ff(
      ...["-f", "lavfi", "-i", "color=c=0xFF00FF:s=480x270:r=30:d=2.5", "-vf", "select='lt(n\\,30)+not(mod(n\\,3))'", "-fps_mode", "vfr"],
      ...x264,
      at("in/magenta-vfr.mp4"),
    );
    ff("-f", "lavfi", "-i", "color=c=0xFF8000:s=640x360", "-frames:v", "1", at("in/orange.png"));
    // A phone clip held upright: red above blue, stored turned a quarter (transpose=clock) with
    // a display matrix that turns it back, as a phone writes it.
    ff(
      ...["-f", "lavfi", "-i", "color=c=0xFF0000:s=180x160:r=30:d=1.5", "-f", "lavfi", "-i", "color=c=0x0000FF:s=180x160:r=30:d=1.5"],
      ...["-filter_complex", "[0][1]vstack,transpose=clock", ...x264, at("in/upright-stored.mp4")],
    );
    ff("-i", at("in/upright-stored.mp4"), "-c", "copy", "-metadata:s:v:0", "rotate=90", at("in/rotated.mp4"));
    // 1 s: red, then blue from 0.5 s (for loops); 4 s: yellow, then cyan from 2 s (for start).
    ff(
      "-f",
      "lavfi",
      "-i",
      "color=c=0xFF0000:s=320x180:r=30:d=1,drawbox=x=0:y=0:w=iw:h=ih:c=0x0000FF:t=fill:enable='gte(t,0.5)'",
      ...x264,
      at("in/two-colour-1s.mp4"),
    );
    ff(
      "-f",
      "lavfi",
      "-i",
      "color=c=0xFFFF00:s=320x180:r=30:d=4,drawbox=x=0:y=0:w=iw:h=ih:c=0x00FFFF:t=fill:enable='gte(t,2)'",
      ...x264,
      at("in/yellow-then-cyan.mp4"),
    );
    // Each frame a grey of its own (frame n: 4n): shows which frame of the clip a frame comes from.
    // Keyframes every 12 frames and B-frames, as cameras and encoders write them: a seek
    // decodes from the keyframe before it and drops what comes before its frame.
    ff(
      ...["-f", "lavfi", "-i", "color=c=black:s=320x180:r=30:d=2,geq=lum='4*N':cb=128:cr=128"],
      ...["-c:v", "libx264", "-preset", "veryfast", "-g", "12", "-bf", "2", "-crf", "1", "-pix_fmt", "yuv420p", at("in/ramp.mp4")],
    );
    // Damaged files: cut short (index up front, data missing; index at the end, missing), empty, sound only.
    ff("-f", "lavfi", "-i", "testsrc2=s=320x180:r=30:d=3", ...x264, "-movflags", "+faststart", at("in/cut-data.mp4"));
    truncateSync(at("in/cut-data.mp4"), Math.round(statSync(at("in/cut-data.mp4")).size / 2));
    // Whole in its index and its packets, but the second half of its bytes zeroed: it stops
    // giving frames partway, which only decoding tells.
    ff("-f", "lavfi", "-i", "testsrc2=s=320x180:r=30:d=3", ...x264, "-movflags", "+faststart", at("in/zeroed-tail.mp4"));
    const bytes = readFileSync(at("in/zeroed-tail.mp4"));
    bytes.fill(0, Math.round(bytes.length / 2));
    writeFileSync(at("in/zeroed-tail.mp4"), bytes);
    // WebM promises no frame count: a cut one is told by its demuxer's complaint.
    ff("-f", "lavfi", "-i", "testsrc2=s=320x180:r=30:d=3", "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "500k", at("in/cut.webm"));
    truncateSync(at("in/cut.webm"), Math.round(statSync(at("in/cut.webm")).size / 2));
    copyFileSync(at("in/red-720p-24.mp4"), at("in/cut-index.mp4"));
    truncateSync(at("in/cut-index.mp4"), Math.round(statSync(at("in/cut-index.mp4")).size / 2));
    writeFileSync(at("in/empty.mp4"), "");
    ff("-f", "lavfi", "-i", "sine=d=1", at("in/sound-only.m4a"));
    // Its picture ends at 1 s, its sound at 3 s (so does the file).
    ff(...["-f", "lavfi", "-i", "color=c=0x00FF00:s=320x180:r=30:d=1", "-f", "lavfi", "-i", "sine=d=3"], ...x264, "-c:a", "aac", at("in/short-picture.mp4"));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  async function render(m: RenderManager, id: string, input: RenderSpecInput) {
    m.submit(id, renderSpecSchema.parse(input));
    for (;;) {
      const state = m.get(id)!;
      if (state.status !== "running" && state.status !== "queued") return state;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  /** The RGB pixel at (x, y) of the frame at `sec` of a stored video. */
  const pixel = (key: string, sec: number, x: number, y: number) => {
    const raw = spawnSync("ffmpeg", ["-v", "error", "-ss", String(sec), "-i", at(key), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"]).stdout;
    const width = Number(
      spawnSync("ffprobe", ["-v", "error", "-select_streams", "v", "-show_entries", "stream=width", "-of", "csv=p=0", at(key)], { encoding: "utf8" }).stdout,
    );
    const o = (y * width + x) * 3;
    return [raw[o]!, raw[o + 1]!, raw[o + 2]!] as const;
  };
  /** The luma (Y, as stored) at (x, y) of the frame shown at `sec`. */
  const luma = (key: string, sec: number, x: number, y: number) =>
    spawnSync("ffmpeg", ["-v", "error", "-ss", String(sec), "-i", at(key), "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "yuv420p", "-"]).stdout[
      y * 320 + x
    ]!;
  const PALETTE = {
    red: [255, 0, 0],
    green: [0, 255, 0],
    blue: [0, 0, 255],
    yellow: [255, 255, 0],
    cyan: [0, 255, 255],
    magenta: [255, 0, 255],
    orange: [255, 128, 0],
    black: [0, 0, 0],
  } as const;
  /** The palette colour nearest a pixel, or "other" when none is close. */
  const colourOf = (rgb: readonly number[]) => {
    let best = "other";
    let bestDistance = 90;
    for (const [name, ref] of Object.entries(PALETTE)) {
      const d = Math.hypot(rgb[0]! - ref[0], rgb[1]! - ref[1], rgb[2]! - ref[2]);
      if (d < bestDistance) [best, bestDistance] = [name, d];
    }
    return best;
  };
  const middles = (input: RenderSpecInput) => computeTiming(renderSpecSchema.parse(input)).scenes.map((s) => s.startSec + s.durationSec / 2);

  const SHOTS = [
    // With an inset picture in its corner, laid over the clip as over a still.
    ["red", { ...shot("in/red-720p-24.mp4"), inset: { image: "in/orange.png", position: "bottom-right", border: null } }],
    ["green", shot("in/green-portrait-25.mp4")],
    ["blue", shot("in/blue-4k-60.mp4")],
    ["yellow", shot("in/yellow-2997.mp4", { start: 0.5 })],
    ["magenta", shot("in/magenta-vfr.mp4", { start: 0.7 })],
    // A further shot of the scene before it: no chapter of its own.
    ["cyan", { ...shot("in/cyan-hevc10.mp4"), continues: true }],
    ["orange", { ...still, image: "in/orange.png" }],
  ] as const;
  const colours = specOf(
    SHOTS.map(([, s]) => s),
    { chapters: true },
  );

  test("every kind of clip shows in its shot, in one FFmpeg run and in segments alike; a repeat and a one-shot edit reuse the cache", async () => {
    const one = await render(manager(false), "one", { ...colours, output: { video: "out/one.mp4", poster: "out/one.jpg" } });
    assert.equal(one.status, "succeeded", one.error);
    assert.equal(one.result!.segments, undefined, "one FFmpeg run");
    const seg = await render(manager(true), "seg", { ...colours, output: { video: "out/seg.mp4", poster: "out/seg.jpg" } });
    assert.equal(seg.status, "succeeded", seg.error);
    assert.deepEqual(seg.result!.segments, { total: 13, cached: 0 });
    const timing = computeTiming(renderSpecSchema.parse(colours));
    for (const key of ["out/one.mp4", "out/seg.mp4"]) {
      const frames = spawnSync(
        "ffprobe",
        ["-v", "error", "-count_frames", "-select_streams", "v", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", at(key)],
        {
          encoding: "utf8",
        },
      ).stdout.trim();
      assert.equal(frames, String(timing.totalFrames), key);
      const seen = middles(colours).map((sec) => colourOf(pixel(key, sec, 160, 90)));
      assert.deepEqual(
        seen,
        SHOTS.map(([colour]) => colour),
        key,
      );
      // 0.3 of 320x180 at a 7-pixel margin: the orange inset covers (217..312, 119..172).
      assert.equal(colourOf(pixel(key, middles(colours)[0]!, 280, 150)), "orange", `${key}: the inset over the clip`);
      assert.equal(colourOf(pixel(key, middles(colours)[1]!, 280, 150)), "green", `${key}: only over its own shot`);
      // Cropped to fill: the corners too (no bars), for the portrait clip as for the others.
      assert.deepEqual(
        middles(colours).map((sec) => colourOf(pixel(key, sec, 3, 3))),
        SHOTS.map(([colour]) => colour),
        `${key} corners`,
      );
    }
    assert.equal(seg.result!.video.chapters, 6, "seven shots, six scenes");
    // Again: every segment from the cache. Then a new start for shot 4 (a clip): its body and
    // its two transitions render again, nothing else.
    const again = await render(manager(true), "again", { ...colours, output: { video: "out/again.mp4", poster: "out/again.jpg" } });
    assert.deepEqual(again.result!.segments, { total: 13, cached: 13 });
    const edited = {
      ...colours,
      scenes: colours.scenes.map((s, i) => (i === 3 ? shot("in/yellow-2997.mp4", { start: 1 }) : s)),
      output: { video: "out/edit.mp4", poster: "out/edit.jpg" },
    };
    const edit = await render(manager(true), "edit", edited);
    assert.equal(edit.status, "succeeded", edit.error);
    assert.deepEqual(edit.result!.segments, { total: 13, cached: 10 });
    assert.equal(colourOf(pixel("out/edit.mp4", middles(edited)[3]!, 160, 90)), "yellow");
    assert.deepEqual(readdirSync(tmpDir), []);
  });

  test("a rotated phone clip shows upright; blur fit shows the whole clip over a blurred copy, not black bars", async () => {
    const input = specOf([shot("in/rotated.mp4", { fit: "blur" }), shot("in/green-portrait-25.mp4", { fit: "blur" }), shot("in/rotated.mp4")], {
      output: { video: "out/blur.mp4", poster: "out/blur.jpg" },
    });
    const state = await render(manager(true), "blur", input);
    assert.equal(state.status, "succeeded", state.error);
    const [rotated, green, croppedRotated] = middles(input) as [number, number, number];
    // Upright: red above blue in the whole picture (a 180x320 picture fitted: 100x180 in the middle).
    assert.equal(colourOf(pixel("out/blur.mp4", rotated, 160, 30)), "red");
    assert.equal(colourOf(pixel("out/blur.mp4", rotated, 160, 150)), "blue");
    // The sides: the blurred copy (red above, blue below, blended between), never black.
    const side = pixel("out/blur.mp4", rotated, 10, 20);
    assert.ok(side[0] > 120 && side[2] < side[0], `the top of the side is reddish: ${side}`);
    assert.ok(pixel("out/blur.mp4", rotated, 10, 160)[2] > 120, "the bottom of the side is bluish");
    const mid = pixel("out/blur.mp4", rotated, 20, 90);
    assert.ok(mid[0] > 40 && mid[2] > 40, `the blur blends the two halves at mid-height: ${mid}`);
    assert.equal(colourOf(pixel("out/blur.mp4", green, 160, 90)), "green");
    assert.equal(colourOf(pixel("out/blur.mp4", green, 8, 90)), "green", "the portrait clip's blurred copy fills the sides");
    // Cropped to fill, the upright picture's middle band: red above the centre line, blue below.
    assert.equal(colourOf(pixel("out/blur.mp4", croppedRotated, 160, 60)), "red");
    assert.equal(colourOf(pixel("out/blur.mp4", croppedRotated, 160, 120)), "blue");
  });

  test("a clip shorter than its shot loops; start trims; segments seek to the exact frame", async () => {
    const input = specOf(
      [
        { ...shot("in/two-colour-1s.mp4"), duration: 3 },
        { ...shot("in/yellow-then-cyan.mp4", { start: 2 }), duration: 1.2 },
        // From frame 15 of the ramp; the body segment starts 9 frames in (after the transition).
        { ...shot("in/ramp.mp4", { start: 0.5 }), duration: 1.2 },
      ],
      { output: { video: "out/loop.mp4", poster: "out/loop.jpg" } },
    );
    for (const segments of [true, false]) {
      const state = await render(manager(segments), `loop-${segments}`, input);
      assert.equal(state.status, "succeeded", state.error);
      const seen = [0.25, 0.75, 1.25, 1.75, 2.25].map((sec) => colourOf(pixel("out/loop.mp4", sec, 160, 90)));
      assert.deepEqual(seen, ["red", "blue", "red", "blue", "red"], `segments: ${segments}`);
      assert.equal(colourOf(pixel("out/loop.mp4", middles(input)[1]!, 160, 90)), "cyan");
      // Frame j of the ramp shot is the ramp's frame 15 + j: grey 4 × (15 + j), across the cut
      // between the transition and the body (frames 8 and 9).
      const start = computeTiming(renderSpecSchema.parse(input)).scenes[2]!.startFrame;
      for (const j of [9, 10, 20, 26]) {
        const grey = luma("out/loop.mp4", (start + j) / 30 - 0.005, 160, 90);
        assert.ok(Math.abs(grey - 4 * (15 + j)) <= 3, `segments: ${segments}, shot frame ${j}: grey ${grey}, not ${4 * (15 + j)}`);
      }
    }
  });

  test("shots shorter than their two transitions: xfades over whole shots, clips and stills alike", async () => {
    const input = specOf([shot("in/red-720p-24.mp4"), { ...shot("in/green-portrait-25.mp4"), duration: 0.5 }, { ...still, image: "in/orange.png" }], {
      output: { video: "out/short.mp4", poster: "out/short.jpg" },
    });
    assert.equal(planSegments(computeTiming(renderSpecSchema.parse(input))), null);
    const state = await render(manager(true), "short", input);
    assert.equal(state.status, "succeeded", state.error);
    assert.equal(state.result!.segments, undefined, "one FFmpeg run");
    const timing = computeTiming(renderSpecSchema.parse(input));
    assert.equal(colourOf(pixel("out/short.mp4", 0.3, 160, 90)), "red");
    assert.equal(colourOf(pixel("out/short.mp4", timing.scenes[2]!.startSec + 0.6, 160, 90)), "orange");
    // The short green shot is in a transition on every frame (9 in, 9 out of its 15); in its
    // middle it is mostly green.
    const [r, g, b] = pixel("out/short.mp4", timing.scenes[1]!.startSec + 0.25, 160, 90);
    assert.ok(g > 150 && g > r + 50 && b < 60, `mostly green: ${[r, g, b]}`);
  });

  test("a clip whose picture ends before its sound holds its last frame to the end of its shot", async () => {
    const input = specOf(
      [
        { ...shot("in/short-picture.mp4"), duration: 2 },
        { ...still, image: "in/orange.png" },
      ],
      {
        output: { video: "out/held.mp4", poster: "out/held.jpg" },
      },
    );
    for (const segments of [true, false]) {
      const state = await render(manager(segments), `held-${segments}`, input);
      assert.equal(state.status, "succeeded", state.error);
      assert.deepEqual(
        [0.5, 1.5].map((sec) => colourOf(pixel("out/held.mp4", sec, 160, 90))),
        ["green", "green"],
      );
    }
  });

  test("other formats render clips in one FFmpeg run too (VP9 WebM, two-pass Premium H.264)", async () => {
    for (const [format, quality, key] of [
      ["webm-vp9", "draft", "out/clips.webm"],
      ["mp4-h264", "premium", "out/two-pass.mp4"],
    ] as const) {
      const input = specOf([shot("in/cyan-hevc10.mp4"), { ...still, image: "in/orange.png" }, shot("in/magenta-vfr.mp4", { fit: "blur" })], {
        format,
        quality,
        output: { video: key, poster: "out/f.jpg" },
      });
      const state = await render(manager(true), `format-${format}-${quality}`, input);
      assert.equal(state.status, "succeeded", state.error);
      assert.equal(state.result!.segments, undefined, "one FFmpeg run");
      assert.deepEqual(
        middles(input).map((sec) => colourOf(pixel(key, sec, 160, 90))),
        ["cyan", "orange", "magenta"],
        key,
      );
    }
  });

  test("a clip's own sound is mixed under its shot when asked for, and left out when not or when it has none", async () => {
    /** Mean volume (dB) of the stored video's sound from `from` for `length` seconds. */
    const loudness = (key: string, from: number, length: number) =>
      Number(
        /mean_volume: (-?[\d.]+|-inf) dB/.exec(
          spawnSync("ffmpeg", ["-v", "info", "-ss", String(from), "-t", String(length), "-i", at(key), "-af", "volumedetect", "-vn", "-f", "null", "-"], {
            encoding: "utf8",
          }).stderr,
        )?.[1] ?? "-inf",
      );
    const input = (volumeDb: number | null, key: string) =>
      specOf([shot("in/red-720p-24.mp4", { volumeDb }), shot("in/green-portrait-25.mp4", { volumeDb: -6 })], { output: { video: key, poster: "out/s.jpg" } });
    const loud = await render(manager(true), "sound", input(-6, "out/sound.mp4"));
    assert.equal(loud.status, "succeeded", loud.error);
    const quiet = await render(manager(false), "no-sound", input(null, "out/no-sound.mp4"));
    assert.equal(quiet.status, "succeeded", quiet.error);
    // The tone under shot 1 (to 1.2 s); the soundless clip of shot 2 adds nothing after it.
    assert.ok(loudness("out/sound.mp4", 0.2, 0.6) > -30, "the clip's sound is heard");
    assert.ok(loudness("out/sound.mp4", 1.4, 0.6) < -80, "shot 2's clip has no sound: silence");
    assert.ok(loudness("out/no-sound.mp4", 0, 2.1) < -80, "left out when its gain is null");
  });

  test("a damaged, empty or picture-less clip fails the render, naming the shot; nothing hangs", async () => {
    const cases = [
      ["in/cut-data.mp4", /shot 2's clip \(key in\/cut-data\.mp4\) cannot be decoded: the file ends early/],
      ["in/cut.webm", /shot 2's clip \(key in\/cut\.webm\) cannot be decoded: the file ends early \(.*File ended prematurely\)/],
      ["in/cut-index.mp4", /shot 2's clip \(key in\/cut-index\.mp4\) cannot be decoded: .*Invalid data/],
      ["in/empty.mp4", /shot 2's clip \(key in\/empty\.mp4\) cannot be decoded: input in\/empty\.mp4 is empty/],
      ["in/sound-only.m4a", /shot 2's clip \(key in\/sound-only\.m4a\) cannot be decoded: it has no video stream/],
      ["in/missing.mp4", /shot 2's clip \(key in\/missing\.mp4\) cannot be decoded: input in\/missing\.mp4 is not in storage/],
    ] as const;
    for (const [key, error] of cases) {
      const state = await render(
        manager(true),
        `bad-${path.basename(key)}`,
        specOf([{ ...still, image: "in/orange.png" }, shot(key)], { output: { video: "out/bad.mp4", poster: "out/bad.jpg" } }),
      );
      assert.equal(state.status, "failed", key);
      assert.match(state.error!, error);
    }
    // Decoding stops partway through the shot: in segments, its segment comes out short; in one
    // run, the whole video does. Either way the render fails naming the clip.
    for (const segments of [true, false]) {
      const state = await render(
        manager(segments),
        `zeroed-${segments}`,
        specOf([{ ...still, image: "in/orange.png" }, shot("in/zeroed-tail.mp4", { start: 1.1 })], {
          output: { video: "out/zeroed.mp4", poster: "out/zeroed.jpg" },
        }),
      );
      assert.equal(state.status, "failed");
      assert.match(
        state.error!,
        segments
          ? /^shot 2's clip \(key in\/zeroed-tail\.mp4\) ended early: \d+ of the segment's 27 frames were decoded$/
          : /^the rendered file has \d+ frames, not 63: a clip ended early \(shot 2's clip \(key in\/zeroed-tail\.mp4\)\)$/,
      );
    }
    const late = await render(
      manager(false),
      "late",
      specOf([shot("in/blue-4k-60.mp4", { start: 3 })], { output: { video: "out/late.mp4", poster: "out/late.jpg" } }),
    );
    assert.match(late.error!, /shot 1's clip \(key in\/blue-4k-60\.mp4\) starts at 3 s, past its end \(0\.4 s\)/);
    assert.deepEqual(readdirSync(tmpDir), []);
    assert.equal(readFileSync(at("in/empty.mp4")).length, 0);
  });
});
