import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, test } from "node:test";
import { computeTiming, renderSpecSchema, type RenderSpecInput } from "@aura/render-contract";
import { assColor, buildAssFile, sanitizeCaptionText } from "../src/captions.ts";
import { buildMixArgs, loudnessFilter, parseLoudness } from "../src/audio-mix.ts";
import { buildFilterGraph, buildMotionFilter, buildRenderArgs } from "../src/build-command.ts";
import { escapeFilterValue } from "../src/filter-escape.ts";
import { parseProgressBlock, runFfmpeg } from "../src/ffmpeg.ts";

const base: RenderSpecInput = {
  version: 1,
  width: 1920,
  height: 1080,
  fps: 30,
  scenes: [
    { image: "a.png", narration: "a.wav", duration: 4.01, narrationOffset: 0.3, motion: { kind: "zoom-in", strength: 0.1 } },
    { image: "b.png", narration: "b.wav", duration: 3.5, narrationOffset: 0.3, motion: { kind: "pan-left", strength: 0.1 } },
    { image: "c.png", narration: null, duration: 2, narrationOffset: 0, motion: { kind: "none", strength: 0 } },
  ],
  transition: { kind: "crossfade", duration: 0.5 },
  captions: { enabled: true, cues: [{ start: 0.3, end: 2, text: "Secret caption; [x], 'quoted': 100%" }] },
  music: { source: { kind: "generated", mood: "calm" }, volumeDb: -16, duck: true },
  loudness: { integratedLufs: -16, truePeakDb: -1.5 },
  output: { video: "o/v.mp4", poster: "o/p.jpg" },
};
const spec = renderSpecSchema.parse(base);
const inputs = { images: ["/s/a.png", "/s/b.png", "/s/c.png"], audio: { file: "/tmp/r/mix.wav", filter: "volume=2.50dB" }, captionsFile: "/tmp/r/captions.ass", output: "/tmp/r/out.mp4" };
const sources = { narrations: ["/s/a.wav", "/s/b.wav", null], musicFile: null };

describe("timeline timing", () => {
  test("rounds scenes to whole frames and overlaps them by the transition", () => {
    const t = computeTiming(spec);
    assert.deepEqual(t.scenes.map((s) => s.frames), [120, 105, 60]);
    assert.deepEqual(t.scenes.map((s) => s.startFrame), [0, 105, 195]);
    assert.equal(t.totalFrames, 255);
    assert.equal(t.totalSec, 8.5);
  });
});

describe("filter graph", () => {
  const graph = buildFilterGraph(spec, inputs);
  test("bodies and 15-frame crossfades, joined by concat at 1/fps", () => {
    // Scene 0: frames 0-104 alone, 105-119 fade into scene 1 (its frames 0-14), and so on.
    assert.match(graph, /\[p0_0\]scale=1920:1080:.*loop=loop=104:size=1:start=0,settb=1\/30,setpts=N,scale=w='2\*trunc\(\(1920\*\(1\+0\.1\*\(n\/119\)\)\)\/2\)'.*\[c0\]/);
    assert.match(graph, /\[p0_1\]scale=.*loop=loop=14:.*\(n\+105\)\/119.*\[c1_0\]/);
    assert.match(graph, /\[c1_0\]\[c1_1\]xfade=transition=fade:duration=0\.5:offset=0\[c1\]/);
    assert.match(graph, /\[c0\]\[c1\]\[c2\]\[c3\]\[c4\]concat=n=5:v=1:a=0,settb=1\/30,setpts=N\[vcat\]/);
  });
  test("each still is decoded once and split among the pieces that show it", () => {
    assert.match(graph, /^\[0:v\]split=2\[p0_0\]\[p0_1\];\n\[1:v\]split=3\[p1_0\]\[p1_1\]\[p1_2\];\n\[2:v\]split=2\[p2_0\]\[p2_1\];/);
  });
  test("scenes shorter than their two transitions: xfades over whole scenes at frame-exact offsets", () => {
    const short = renderSpecSchema.parse({ ...base, scenes: base.scenes.map((s) => ({ ...s, duration: 0.8 })) });
    const g = buildFilterGraph(short, inputs);
    assert.match(g, /\[v0\]\[v1\]xfade=transition=fade:duration=0\.5:offset=0\.3\[x1\]/);
    assert.match(g, /\[x1\]\[v2\]xfade=transition=fade:duration=0\.5:offset=0\.6\[x2\]/);
    assert.doesNotMatch(g, /concat/);
  });
  test("the mixed audio is one input after the images, set to its loudness by its filter", () => {
    assert.match(graph, /\[3:a\]volume=2\.50dB\[aout\]/);
  });
  test("caption text never enters the graph; the captions file path is escaped", () => {
    assert.ok(!graph.includes("Secret caption"));
    assert.match(graph, /ass=filename=''\\''\/tmp\/r\/captions\.ass'\\'''/);
  });
  test("no music and no captions leave those parts out", () => {
    const plain = buildFilterGraph(renderSpecSchema.parse({ ...base, music: null, captions: { enabled: false, cues: [] } }), { ...inputs, captionsFile: null });
    assert.doesNotMatch(plain, /sidechaincompress|sine=|ass=/);
  });
});

describe("audio mix", () => {
  const timing = computeTiming(spec);
  const mix = buildMixArgs(spec, timing, sources, "/tmp/r/mix.wav");
  const graph = mix[mix.indexOf("-filter_complex") + 1]!;
  test("narration is delayed to its scene; a silent scene adds no input", () => {
    assert.equal(mix.filter((a) => a === "-i").length, 2);
    assert.match(graph, /\[0:a\]aresample=48000.*adelay=delays=300:all=1\[n0\]/);
    assert.match(graph, /\[1:a\]aresample=48000.*adelay=delays=3800:all=1\[n1\]/);
    assert.doesNotMatch(graph, /\[2:a\]/);
  });
  test("music is generated, ducked under the narration; the mix is measured and written as WAV", () => {
    assert.match(graph, /sine=f=220:sample_rate=48000:d=8\.5,volume=0\.48\[gm0\]/);
    assert.match(graph, /amix=inputs=6:normalize=0,volume=eval=frame:volume='0\.75\+0\.25\*sin\(2\*PI\*0\.08\*t\)',aresample=48000/);
    assert.match(graph, /\[music\]\[voicekey\]sidechaincompress/);
    assert.match(graph, /\[amix\]ebur128=peak=sample:framelog=verbose\[aout\]$/);
    assert.deepEqual(mix.slice(-7), ["-c:a", "pcm_f32le", "-t", "8.5", "-f", "wav", "/tmp/r/mix.wav"]);
    assert.match(buildMixArgs(renderSpecSchema.parse({ ...base, music: null }), timing, sources, "/m.wav").join(" "), /\[voice\]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,atrim=0:8\.5\[amix\]/);
  });
  test("loudness: one gain to the target; a limiter only when a peak would pass the ceiling; silence untouched", () => {
    const stderr = "[Parsed_ebur128_30 @ 0x1] Summary:\n\n  Integrated loudness:\n    I:         -20.4 LUFS\n    Threshold: -33.5 LUFS\n\n  Sample peak:\n    Peak:       -4.4 dBFS\n";
    assert.deepEqual(parseLoudness(stderr), { integratedLufs: -20.4, samplePeakDb: -4.4 });
    assert.throws(() => parseLoudness("no summary"), /not measured/);
    const target = { integratedLufs: -16, truePeakDb: -1.5 };
    assert.equal(loudnessFilter({ integratedLufs: -20.4, samplePeakDb: -8 }, target), "volume=4.40dB");
    // -4.4 + 4.4 = 0 dBFS would pass the ceiling (-1.5 - 1 = -2.5 dBFS = 0.7499 linear).
    assert.equal(loudnessFilter({ integratedLufs: -20.4, samplePeakDb: -4.4 }, target), "volume=4.40dB,alimiter=limit=0.7499:attack=5:release=50:level=false:latency=true");
    assert.equal(loudnessFilter({ integratedLufs: -70, samplePeakDb: -Infinity }, target), "anull");
    assert.equal(loudnessFilter({ integratedLufs: -60, samplePeakDb: -50 }, target), "volume=30.00dB", "the gain is bounded");
  });
});

describe("motion", () => {
  test("zoom scales per frame and crops from the centre computed from the frame number", () => {
    const { perFrame: f, width, height } = buildMotionFilter({ motion: { kind: "zoom-in", strength: 0.1 } }, 1920, 1080, 91);
    assert.deepEqual([width, height], [1920, 1080]);
    assert.match(f, /^scale=w='2\*trunc\(\(1920\*\(1\+0\.1\*\(n\/90\)\)\)\/2\)'.*eval=frame/);
    // The scaler is rebuilt for each new size: one thread, not a pool started each time.
    assert.match(f, /eval=frame:flags=bicubic:threads=1,/);
    assert.match(f, /crop=w=1920:h=1080:x='\(2\*trunc/);
    assert.ok(!f.includes("iw"), "crop fixes iw at setup, so offsets must not use it");
  });
  test("pans prepare the still larger once and move only the crop", () => {
    assert.deepEqual(buildMotionFilter({ motion: { kind: "pan-right", strength: 0.1 } }, 1920, 1080, 91), { width: 2112, height: 1188, perFrame: "crop=w=1920:h=1080:x='192*(n/90)':y=54" });
    assert.deepEqual(buildMotionFilter({ motion: { kind: "pan-left", strength: 0.1 } }, 1920, 1080, 91, 30).perFrame, "crop=w=1920:h=1080:x='192*(1-((n+30)/90))':y=54");
    assert.equal(buildMotionFilter({ motion: { kind: "none", strength: 0.1 } }, 1920, 1080, 10).perFrame, "null");
    const graph = buildFilterGraph(spec, inputs);
    assert.match(graph, /\[p1_1\]scale=2112:1188:force_original_aspect_ratio=increase:out_range=tv,crop=2112:1188,format=yuv420p,setsar=1,loop=loop=74:size=1:start=0,settb=1\/30,setpts=N,crop=w=1920/);
  });
});

describe("arguments", () => {
  test("an MP4 with H.264, AAC, faststart, exact frame count and progress on stdout", () => {
    const { args } = buildRenderArgs(spec, inputs);
    const joined = args.join(" ");
    assert.match(joined, /-progress pipe:1/);
    assert.match(joined, /-c:v libx264 -preset veryfast -crf 21/);
    assert.match(joined, /-c:a aac/);
    assert.match(joined, /-frames:v 255 -t 8\.5/);
    assert.match(joined, /-movflags \+faststart/);
    assert.equal(args.filter((a) => a === "-i").length, 4);
    assert.equal(args.at(-1), "/tmp/r/out.mp4");
  });
  test("draft quality trades size for speed", () => {
    const { args } = buildRenderArgs(renderSpecSchema.parse({ ...base, quality: "draft" }), inputs);
    assert.match(args.join(" "), /-preset ultrafast -crf 28/);
  });
});

describe("spec validation", () => {
  test("refuses storage keys that leave storage or look like URLs", () => {
    for (const key of ["../etc/passwd", "/etc/passwd", "a/../../b", "http://evil/x.png", "a//b"]) {
      const r = renderSpecSchema.safeParse({ ...base, scenes: [{ ...base.scenes[0], image: key }] });
      assert.equal(r.success, false, key);
      assert.deepEqual(r.error!.issues[0]!.path, ["scenes", 0, "image"]);
    }
  });
  test("a scene must outlast the transition", () => {
    const r = renderSpecSchema.safeParse({ ...base, scenes: [{ ...base.scenes[0], duration: 0.4 }, base.scenes[1]] });
    assert.equal(r.success, false);
    assert.deepEqual(r.error!.issues[0]!.path, ["scenes", 0, "duration"]);
  });
});

describe("captions file", () => {
  test("text is made inert for ASS", () => {
    assert.equal(sanitizeCaptionText("a {\\b1}bold\\N\nnext"), "a (/b1)bold/N next");
    const ass = buildAssFile([{ start: 61.25, end: 62.5, text: "Hi {there}" }], 1080, 1920);
    assert.match(ass, /PlayResX: 1080\nPlayResY: 1920/);
    assert.match(ass, /Dialogue: 0,0:01:01\.25,0:01:02\.50,Caption,,0,0,0,,Hi \(there\)/);
  });
  test("a caption that starts and ends on frame boundaries shows on exactly those frames (real libass)", () => {
    // 2/30 s and 4/30 s: frames 2 and 3 of a 30 fps video, and no others.
    const ass = buildAssFile([{ start: 2 / 30, end: 4 / 30, text: "FRAME" }], 320, 180, { size: "large", position: "middle" });
    assert.match(ass, /Dialogue: 0,0:00:00\.06,0:00:00\.13,/);
    const dir = mkdtempSync(path.join(os.tmpdir(), "aura-ass-frames-"));
    writeFileSync(path.join(dir, "c.ass"), ass);
    const run = spawnSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "color=black:s=320x180:r=30", "-vf", `ass=filename=${escapeFilterValue(path.join(dir, "c.ass"))},format=gray`, "-frames:v", "6", "-f", "rawvideo", "-"], { maxBuffer: 1 << 24 });
    assert.equal(run.status, 0, run.stderr?.toString());
    const frameSize = 320 * 180;
    const lit = Array.from({ length: 6 }, (_, f) => run.stdout.subarray(f * frameSize, (f + 1) * frameSize).some((v) => v > 128));
    assert.deepEqual(lit, [false, false, true, true, false, false]);
  });
  test("style: font, size, colours and position; word highlight colours the spoken word only, text still inert", () => {
    const cue = { start: 1, end: 2.2, text: "one {two} three", words: [{ text: "one", start: 1, end: 1.3 }, { text: "{two}", start: 1.3, end: 1.7 }, { text: "three", start: 1.7, end: 2.2 }] };
    const plain = buildAssFile([cue], 1920, 1080);
    assert.equal((plain.match(/^Dialogue:/gm) ?? []).length, 1, "without highlight, words are ignored");
    const ass = buildAssFile([cue], 1920, 1080, { highlightWords: true, highlightColor: "#FFD23F", color: "#EEEEEE", size: "large", position: "top", font: "serif" });
    assert.match(ass, /Style: Caption,DejaVu Serif,74,&H00EEEEEE,&H00EEEEEE,&H00101010,&H80000000,-1,0,0,0,100,100,0,0,1,5,1,8,/);
    const events = ass.match(/^Dialogue:.*$/gm)!;
    assert.deepEqual(events, [
      "Dialogue: 0,0:00:01.00,0:00:01.30,Caption,,0,0,0,,{\\c&H003FD2FF&}one{\\r} (two) three",
      "Dialogue: 0,0:00:01.30,0:00:01.70,Caption,,0,0,0,,one {\\c&H003FD2FF&}(two){\\r} three",
      "Dialogue: 0,0:00:01.70,0:00:02.20,Caption,,0,0,0,,one (two) {\\c&H003FD2FF&}three{\\r}",
    ]);
    assert.match(buildAssFile([cue], 1080, 1920, { position: "middle" }), /,5,\d+,\d+,0,1$/m, "middle: centred, no vertical margin");
    assert.equal(assColor("#12AB9F"), "&H009FAB12");
  });
  test("titles and lower thirds: styles, fade and slide, text inert; a cut one carries on its animation", () => {
    const overlays = [
      { kind: "title" as const, text: "Big {\\b0}Title", subtext: "sub\\Nline", start: 1, end: 4, animation: "fade" as const, from: 1, to: 4 },
      { kind: "lower-third" as const, text: "Ada Lovelace", start: 2, end: 5, animation: "slide" as const, from: 2, to: 5 },
      { kind: "title" as const, text: "Still", start: 0, end: 1, animation: "none" as const, from: 0, to: 1 },
    ];
    const ass = buildAssFile([], 1920, 1080, {}, overlays);
    assert.match(ass, /^Style: Title,DejaVu Sans,103,&H00FFFFFF,/m);
    assert.match(ass, /^Style: LowerThird,DejaVu Sans,54,&H00FFFFFF,&H00FFFFFF,&H40181818,&H40181818,-1,0,0,0,100,100,0,0,3,18,0,1,/m);
    const events = ass.match(/^Dialogue:.*$/gm)!;
    assert.deepEqual(events, [
      "Dialogue: 1,0:00:01.00,0:00:04.00,Title,,0,0,0,,{\\fade(255,0,255,0,400,2600,3000)\\pos(960,540)}Big (/b0)Title\\N{\\fs46\\b0}sub/Nline",
      "Dialogue: 1,0:00:02.00,0:00:05.00,LowerThird,,0,0,0,,{\\fade(255,0,255,0,400,2600,3000)\\move(-768,929,96,929,0,400)}Ada Lovelace",
      "Dialogue: 1,0:00:00.00,0:00:01.00,Title,,0,0,0,,{\\pos(960,540)}Still",
    ]);
    // Cut 0.2 s into the slide: it continues from there; cut after it, the bar stands still.
    const cut = (from: number) => buildAssFile([], 1920, 1080, {}, [{ ...overlays[1]!, start: 0, end: 1, from, to: from + 3 }]).match(/^Dialogue:.*$/m)![0];
    assert.match(cut(-0.2), /\{\\fade\(255,0,255,-200,200,2400,2800\)\\move\(-768,929,96,929,-200,200\)\}/);
    assert.match(cut(-1), /\{\\fade\(255,0,255,-1000,-600,1600,2000\)\\pos\(96,929\)\}/);
    assert.equal(buildAssFile([], 640, 360).includes("Style: Title"), false, "no overlay styles without overlays");
  });
  test("FFmpeg reads an escaped path with quotes, colons, commas and brackets", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "esc it's: [a],b;c="));
    const file = path.join(dir, "captions.ass");
    writeFileSync(file, buildAssFile([{ start: 0, end: 1, text: "ok" }], 320, 180));
    const r = spawnSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "color=c=black:s=320x180:d=0.2", "-vf", `ass=filename=${escapeFilterValue(file)}`, "-f", "null", "-"], { encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr.trim(), "");
  });
});

describe("progress", () => {
  test("parses -progress blocks", () => {
    assert.deepEqual(parseProgressBlock({ out_time_us: "2500000", fps: "41.5", speed: "1.38x", progress: "continue" }), { outTimeSec: 2.5, fps: 41.5, speed: 1.38, done: false });
    assert.deepEqual(parseProgressBlock({ out_time_us: "N/A", fps: "0.0", speed: "N/A", progress: "end" }), { outTimeSec: 0, fps: null, speed: null, done: true });
  });
});

describe("process control", () => {
  test("a run past its time limit is stopped and says so", async () => {
    await assert.rejects(
      runFfmpeg(["-hide_banner", "-f", "lavfi", "-i", "testsrc2=s=640x360", "-f", "null", "-"], { timeoutMs: 400 }),
      /timed out after 400 ms/,
    );
  });
});
