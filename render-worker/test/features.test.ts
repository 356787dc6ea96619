// The builder's features as pure functions (transitions, watermark, chapters, caption
// sidecars, quality presets per encoder), then real renders checked with ffprobe: chapters,
// sidecars, a watermark whose text would break a filter graph, two-pass Premium, and a
// forced hardware encoder that fails and is finished in software.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { computeTiming, EXPORT_PROFILES, renderSpecSchema, TRANSITIONS, type RenderSpecInput } from "@aura/render-contract";
import { buildFilterGraph, buildPosterArgs, buildRenderArgs, posterFrame, watermarkPosition, XFADE } from "../src/build-command.ts";
import { escapeFilterValue } from "../src/filter-escape.ts";
import { AudioCheckError, channelsOfLayout, judgeNarration, parseMeasures } from "../src/audio-check.ts";
import { buildMixArgs } from "../src/audio-mix.ts";
import { buildSrt, buildVtt, buildWatermarkAss, watermarkAnchor } from "../src/captions.ts";
import { buildChaptersFile, escapeMetadata } from "../src/chapters.ts";
import { formatSettings } from "../src/formats.ts";
import { detectEncoders } from "../src/encoders.ts";
import { encoderSettings, targetBitrateKbps } from "../src/quality.ts";
import { RenderManager } from "../src/renders/registry.ts";
import { buildSegmentArgs, concatList, planSegments, segmentCues } from "../src/segments.ts";
import { LocalStore } from "@aura/object-store";
import { WorkerStorage } from "../src/storage.ts";

const NASTY = `50% off: 'quoted' "double" \\back; [brackets] %{pts} ,comma 🎬 مرحبا 字幕`;

const base: RenderSpecInput = {
  version: 1,
  width: 320,
  height: 180,
  fps: 30,
  quality: "draft",
  scenes: [0, 1, 2].map((i) => ({
    image: `in/img${i}.png`,
    narration: `in/voice${i}.wav`,
    duration: 1.6,
    narrationOffset: 0.1,
    motion: { kind: "zoom-in", strength: 0.1 },
    title: `Part ${i + 1}: "one"; two=2 #3`,
  })),
  transition: { kind: "wipe-left", duration: 0.4 },
  captions: {
    enabled: true,
    cues: [
      { start: 0.1, end: 1.2, text: "A <b>bold</b> & --> claim" },
      { start: 1.3, end: 2.5, text: NASTY },
    ],
  },
  music: null,
  watermark: { source: { kind: "text", text: NASTY }, position: "top-right", opacity: 0.5, margin: 0.05 },
  overlays: [
    { kind: "title", text: NASTY, subtext: "{\\an8}sub", start: 0.2, end: 2.6, animation: "fade" },
    { kind: "lower-third", text: "Ada Lovelace", subtext: NASTY, start: 1.0, end: 3.5, animation: "slide" },
  ],
  chapters: true,
  loudness: { integratedLufs: -16, truePeakDb: -1.5 },
  output: { video: "out/v.mp4", poster: "out/p.jpg", srt: "out/v.srt", vtt: "out/v.vtt" },
};
const spec = renderSpecSchema.parse(base);
const files = { images: ["/s/0.png", "/s/1.png", "/s/2.png"], audio: { file: "/w/mix.wav", filter: "anull" }, captionsFile: null, output: "/w/out.mp4" };

describe("builder features", () => {
  test("every transition maps to its xfade", () => {
    for (const kind of TRANSITIONS) {
      const graph = buildFilterGraph(renderSpecSchema.parse({ ...base, transition: { kind, duration: 0.4 } }), { ...files, watermarkTextFile: "/w/wm.txt" });
      assert.match(graph, new RegExp(`xfade=transition=${XFADE[kind]}:duration=0\\.4:`), kind);
    }
    assert.deepEqual(new Set(Object.values(XFADE)).size, TRANSITIONS.length);
  });

  test("a text watermark is drawn from its own ASS file, never parsed by the graph; positions follow the corner", () => {
    const graph = buildFilterGraph(spec, { ...files, watermarkTextFile: "/w/it's:wm.ass" });
    assert.ok(graph.includes(`ass=filename=${escapeFilterValue("/w/it's:wm.ass")}[vwm]`));
    assert.ok(!graph.includes("50%"), "the watermark text is not in the graph");
    // Opacity 0.5: white at alpha 0x80, its border black at 0.3 (alpha 0xB3); 5% of 180 = 9 from the top-right corner.
    const ass = buildWatermarkAss(spec, spec.watermark!, NASTY);
    assert.match(ass, /^Style: Watermark,Noto Sans,9,&H80FFFFFF,&H80FFFFFF,&HB3000000,&HFF000000,-1,0,0,0,100,100,0,0,1,1,0,9,0,0,0,1$/m);
    const events = ass.match(/^Dialogue:.*$/gm)!;
    assert.deepEqual(events, [
      "Dialogue: 0,0:00:00.00,99:59:59.99,Watermark,,0,0,0,,{\\an9\\pos(311,9)}50% off: 'quoted' \"double\" \\\u2060back; [brackets] %\\{pts\\} ,comma مرحبا 字幕",
    ]);
    assert.deepEqual(watermarkAnchor("bottom-left", 12, 640, 360), { an: 1, x: 12, y: 348 });
    assert.deepEqual(watermarkAnchor("center", 12, 640, 360), { an: 5, x: 320, y: 180 });
    assert.deepEqual(watermarkPosition("bottom-left", 12), { x: "12", y: "H-h-12" });
    assert.deepEqual(watermarkPosition("center", 12), { x: "(W-w)/2", y: "(H-h)/2" });
    assert.equal(buildWatermarkAss(spec, spec.watermark!, "🎬🎉").match(/^Dialogue:/gm), null, "emoji alone draw nothing");
    assert.throws(() => buildFilterGraph(spec, files), /no text file/);
  });

  test("an image watermark is its own input, scaled, faded to its opacity and overlaid", () => {
    const withImage = renderSpecSchema.parse({
      ...base,
      watermark: { source: { kind: "image", key: "brand/logo.png" }, position: "bottom-left", opacity: 0.3 },
    });
    const { args } = buildRenderArgs(withImage, { ...files, watermarkImage: "/s/logo.png", chaptersFile: "/w/ch.txt" });
    // images 0-2, the mixed audio 3, the logo 4, the chapters 5
    assert.equal(args[args.indexOf("/s/logo.png") - 1], "-i");
    const graph = args[args.indexOf("-filter_complex") + 1]!;
    assert.match(graph, /\[4:v\]scale=-2:18,format=rgba,colorchannelmixer=aa=0\.3\[wm\]/);
    assert.match(graph, /overlay=x=7:y=H-h-7:eof_action=repeat/);
    assert.equal(args[args.indexOf("-map_chapters") + 1], "5");
  });

  test("picture-in-picture: the inset is its own input, fitted in its box, framed and laid at its corner", () => {
    const withInset = renderSpecSchema.parse({
      ...base,
      watermark: null,
      scenes: base.scenes.map((s, i) =>
        i === 1 ? { ...s, inset: { image: "in/inset.png", position: "bottom-left", size: 0.25, margin: 0.05, border: "#FF8800" } } : s,
      ),
    });
    const inputs = { ...files, insets: [null, "/s/inset.png", null] };
    const { args } = buildRenderArgs(withInset, inputs);
    const given = args.flatMap((a, i) => (args[i - 1] === "-i" ? [a] : []));
    // Inputs: the three pictures, the inset, then the mixed audio.
    assert.deepEqual(given.slice(0, 5), ["/s/0.png", "/s/1.png", "/s/2.png", "/s/inset.png", "/w/mix.wav"]);
    const graph = buildFilterGraph(withInset, inputs);
    assert.match(graph, /\[4:a\]anull\[aout\]/);
    // The middle scene shows in three pieces (transition in, body, transition out): so does its inset.
    assert.match(graph, /\[3:v\]split=3\[q1_0\]\[q1_1\]\[q1_2\]/);
    // 320x180 at 0.25: an 80x44 box less a 2-pixel frame on each side, aspect kept.
    assert.match(
      graph,
      /\[q1_0\]scale=w=76:h=40:force_original_aspect_ratio=decrease:force_divisible_by=2:out_range=tv,format=yuv420p,pad=w=iw\+4:h=ih\+4:x=2:y=2:color=0xFF8800/,
    );
    assert.match(graph, /overlay=x=9:y=H-h-9:eof_action=repeat/);
    assert.equal(graph.match(/overlay=x=9:y=H-h-9/g)?.length, 3);
    // Without a frame, no pad; the other corners.
    const corner = (position: string) =>
      buildFilterGraph(
        renderSpecSchema.parse({ ...base, watermark: null, scenes: [{ ...base.scenes[0]!, inset: { image: "in/i.png", position, border: null } }] }),
        { ...files, images: ["/s/0.png"], insets: ["/s/i.png"] },
      );
    assert.doesNotMatch(corner("top-right"), /pad=/);
    assert.match(corner("top-right"), /overlay=x=W-w-7:y=7:/);
    assert.match(corner("top-left"), /overlay=x=7:y=7:/);
    assert.throws(() => buildRenderArgs(withInset, files), /scene 2 has an inset but no inset picture/);
    assert.throws(() => renderSpecSchema.parse({ ...base, scenes: [{ ...base.scenes[0]!, inset: { image: "https://x.test/a.png" } }] }), /storage key/);
  });

  test("chapters: one per scene at the scene's start, titles escaped", () => {
    const text = buildChaptersFile(spec, computeTiming(spec));
    assert.equal(text.split("[CHAPTER]").length - 1, 3);
    assert.match(text, /START=0\nEND=1200\ntitle=Part 1: "one"\\; two\\=2 \\#3/);
    assert.match(text, /START=2400\nEND=4000\n/);
    assert.equal(escapeMetadata("a\\b\nc"), "a\\\\b\\\nc");
  });

  test("SRT and WebVTT sidecars: times, numbering, text made safe for each format", () => {
    const srt = buildSrt(spec.captions.cues);
    assert.match(srt, /^1\n00:00:00,100 --> 00:00:01,200\nA ‹b›bold‹\/b› & → claim\n\n2\n00:00:01,300 --> 00:00:02,500\n/);
    const vtt = buildVtt(spec.captions.cues);
    assert.match(vtt, /^WEBVTT\n\n00:00:00\.100 --> 00:00:01\.200\nA &lt;b&gt;bold&lt;\/b&gt; &amp; → claim\n/);
    assert.equal(vtt.split("-->").length - 1, 2, "the arrow in the text is not a cue timing");
  });

  test("quality presets map to each encoder; Premium and Maximum are two-pass in software", () => {
    const video = { width: 1920, height: 1080, fps: 30 };
    const x264 = (q: "draft" | "standard" | "premium" | "maximum") => encoderSettings("libx264", q, video);
    assert.deepEqual([x264("draft").videoArgs.slice(0, 6), x264("draft").passes], [["-c:v", "libx264", "-preset", "ultrafast", "-crf", "28"], 1]);
    assert.deepEqual(x264("standard").videoArgs.slice(2, 6), ["-preset", "veryfast", "-crf", "21"]);
    assert.equal(x264("premium").passes, 2);
    assert.deepEqual(x264("premium").videoArgs.slice(2, 6), ["-preset", "medium", "-b:v", `${targetBitrateKbps("premium", 1920, 1080, 30)}k`]);
    assert.equal(targetBitrateKbps("premium", 1920, 1080, 30), 7465);
    assert.equal(x264("maximum").videoArgs[3], "slow");
    assert.equal(encoderSettings("libx265", "maximum", video).passes, 2);
    const nvenc = encoderSettings("h264_nvenc", "premium", video);
    assert.deepEqual([nvenc.passes, nvenc.videoArgs.includes("fullres"), nvenc.videoArgs[nvenc.videoArgs.indexOf("-cq") + 1]], [1, true, "20"]);
    const vaapi = encoderSettings("h264_vaapi", "draft", video);
    assert.deepEqual([vaapi.inputArgs, vaapi.filterTail], [["-vaapi_device", "/dev/dri/renderD128"], ",format=nv12,hwupload"]);
    assert.equal(encoderSettings("h264_qsv", "maximum", video).videoArgs.at(-1), "18");
    assert.equal(encoderSettings("h264_amf", "standard", video).videoArgs[3], "balanced");
    // A VAAPI render uploads the frames at the end of the graph and opens the device first.
    const { args } = buildRenderArgs(spec, { ...files, watermarkTextFile: "/w/wm.txt" }, formatSettings("mp4-h264", "draft", spec, "h264_vaapi"));
    assert.deepEqual(args.slice(8, 10), ["-vaapi_device", "/dev/dri/renderD128"]);
    assert.match(args[args.indexOf("-filter_complex") + 1]!, /format=yuv420p,format=nv12,hwupload\[vout\]/);
    // NVENC with CUDA frames: the device opens first and the frames go up once, at the end.
    const cuda = encoderSettings("h264_nvenc", "standard", video, { cuda: true });
    assert.deepEqual([cuda.inputArgs, cuda.filterTail], [["-init_hw_device", "cuda=cu", "-filter_hw_device", "cu"], ",hwupload"]);
    assert.deepEqual([cuda.videoArgs.includes("-pix_fmt"), nvenc.videoArgs.includes("-pix_fmt")], [false, true]);
    assert.deepEqual([nvenc.inputArgs, nvenc.filterTail], [[], ""]);
    const plan = planSegments(computeTiming(spec))!;
    const segmentArgs = buildSegmentArgs(
      spec,
      computeTiming(spec),
      plan[0]!,
      {
        images: files.images,
        imageHashes: [],
        insets: [],
        insetHashes: [],
        captionsFile: null,
        watermarkTextFile: "/w/wm.txt",
        watermarkImage: null,
        watermarkImageHash: null,
        output: "/w/s.mp4",
      },
      cuda,
    );
    assert.ok(segmentArgs.indexOf("-init_hw_device") < segmentArgs.indexOf("-i"));
    assert.match(segmentArgs[segmentArgs.indexOf("-filter_complex") + 1]!, /format=yuv420p,hwupload\[vout\]$/);
  });

  test("narration checks: silent is refused naming the scene; clipped is turned down; mono and other rates are reported", () => {
    assert.throws(
      () => judgeNarration(2, { sampleRate: 48000, channels: 2, maxDb: -91 }),
      (e: unknown) => e instanceof AudioCheckError && /scene 2's narration is silent/.test((e as Error).message),
    );
    assert.deepEqual(judgeNarration(1, { sampleRate: 48000, channels: 2, maxDb: -3 }).fixes, []);
    const clipped = judgeNarration(3, { sampleRate: 22050, channels: 1, maxDb: 0 });
    assert.equal(clipped.gainDb, -3);
    assert.deepEqual(clipped.fixes, [
      "clipped (peaks at 0 dB): turned down 3 dB before mixing",
      "mono: played on both channels",
      "22050 Hz: resampled to 48000 Hz",
    ]);
    const mix = buildMixArgs(
      spec,
      computeTiming(spec),
      { narrations: ["/s/0.wav", "/s/1.wav", "/s/2.wav"], musicFile: null, narrationGainDb: [0, -3, 0] },
      "/w/mix.wav",
    );
    const graph = mix[mix.indexOf("-filter_complex") + 1]!;
    assert.match(graph, /\[1:a\]volume=-3dB,aresample=48000/);
    assert.doesNotMatch(graph, /\[0:a\]volume/);
    // All narrations are measured in one run: each input's rate and layout, each named peak.
    const stderr = [
      "Input #0, wav, from 'a.wav':",
      "  Stream #0:0: Audio: pcm_s16le ([1][0][0][0] / 0x0001), 22050 Hz, mono, s16, 352 kb/s",
      "Input #1, mp3, from 'b.mp3':",
      "  Stream #1:0: Audio: mp3, 44100 Hz, 5.1(side), fltp, 128 kb/s",
      "Stream mapping:",
      "  Stream #0:0: Audio: pcm_s16le, 48000 Hz, stereo, s16",
      "[volumedetect@n1 @ 0x55] max_volume: 0.0 dB",
      "[volumedetect@n0 @ 0x56] max_volume: -inf dB",
    ].join("\n");
    assert.deepEqual(parseMeasures(stderr, 2), [
      { sampleRate: 22050, channels: 1, maxDb: -Infinity },
      { sampleRate: 44100, channels: 6, maxDb: 0 },
    ]);
    assert.deepEqual(["stereo", "6 channels", "7.1(wide)", "quad"].map(channelsOfLayout), [2, 6, 8, 4]);
    assert.throws(() => parseMeasures(stderr, 3), /input 2 was not measured/);
  });

  test("formats: WebM VP9 with Opus, ProRes MOV with PCM, HDR10 HEVC 10-bit; the file name must match", () => {
    const args = (format: "webm-vp9" | "mov-prores" | "mp4-hevc-hdr10", ext: string) =>
      buildRenderArgs(renderSpecSchema.parse({ ...base, format, output: { video: `o/v${ext}`, poster: "o/p.jpg" } }), {
        ...files,
        watermarkTextFile: "/w/wm.txt",
        output: `/w/out${ext}`,
      }).args;
    const webm = args("webm-vp9", ".webm");
    assert.deepEqual([webm[webm.indexOf("-c:v") + 1], webm[webm.indexOf("-c:a") + 1], webm.at(-2)], ["libvpx-vp9", "libopus", "webm"]);
    const mov = args("mov-prores", ".mov");
    assert.deepEqual(
      [mov[mov.indexOf("-c:v") + 1], mov[mov.indexOf("-profile:v") + 1], mov[mov.indexOf("-c:a") + 1], mov.at(-2)],
      ["prores_ks", "0", "pcm_s16le", "mov"],
    );
    const hdr = args("mp4-hevc-hdr10", ".mp4");
    assert.equal(hdr[hdr.indexOf("-c:v") + 1], "libx265");
    assert.equal(hdr[hdr.indexOf("-pix_fmt") + 1], "yuv420p10le");
    assert.match(hdr[hdr.indexOf("-x265-params") + 1]!, /^hdr10=1:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:master-display=/);
    assert.match(
      hdr[hdr.indexOf("-filter_complex") + 1]!,
      /zscale=tin=bt709:pin=bt709:min=bt709:t=smpte2084:p=bt2020:m=bt2020nc:npl=203,format=yuv420p10le\[vout\]/,
    );
    assert.equal(hdr[hdr.indexOf("-color_trc") + 1], "smpte2084");
    const wrong = renderSpecSchema.safeParse({ ...base, format: "webm-vp9" });
    assert.equal(wrong.success, false);
    assert.deepEqual(
      wrong.error!.issues.map((i) => [i.path.join("."), i.message]),
      [["output.video", "must end in .webm for webm-vp9"]],
    );
    assert.deepEqual([EXPORT_PROFILES["vertical-1080"].width, EXPORT_PROFILES["vertical-1080"].height], [1080, 1920]);
    assert.deepEqual([EXPORT_PROFILES["instagram-portrait"].width, EXPORT_PROFILES["instagram-portrait"].height], [1080, 1350]);
  });

  test("segments: bodies and transitions tile the timeline exactly; captions shift into each segment", () => {
    const timing = computeTiming(spec);
    const plan = planSegments(timing)!;
    assert.deepEqual(
      plan.map((p) => [p.kind, p.scenes, p.offsets, p.frames, p.startFrame]),
      [
        ["body", [0], [0], 36, 0],
        ["transition", [0, 1], [36, 0], 12, 36],
        ["body", [1], [12], 24, 48],
        ["transition", [1, 2], [36, 0], 12, 72],
        ["body", [2], [12], 36, 84],
      ],
    );
    assert.equal(
      plan.reduce((a, p) => a + p.frames, 0),
      timing.totalFrames,
    );
    for (let i = 1; i < plan.length; i++) assert.equal(plan[i]!.startFrame, plan[i - 1]!.startFrame + plan[i - 1]!.frames);
    // The second cue (1.3–2.5 s) spans the first transition (1.2–1.6 s) and the second body.
    assert.deepEqual(
      segmentCues(spec, plan[1]!).map((c) => [Number(c.start.toFixed(3)), Number(c.end.toFixed(3))]),
      [[0.1, 0.4]],
    );
    assert.deepEqual(
      segmentCues(spec, plan[2]!).map((c) => [Number(c.start.toFixed(3)), Number(c.end.toFixed(3))]),
      [[0, 0.8]],
    );
    // A scene shorter than its two transitions cannot be cut into segments.
    assert.equal(planSegments(computeTiming(renderSpecSchema.parse({ ...base, transition: { kind: "crossfade", duration: 0.9 } }))), null);
    // A cue keeps the same segment-relative times when an earlier scene's length changes.
    const shifted = (by: number) => {
      const s2 = renderSpecSchema.parse({
        ...base,
        captions: { enabled: true, cues: [{ start: 5.1333333333 + by + 0.4, end: 5.1333333333 + by + 1.1, text: "x" }] },
      });
      return segmentCues(s2, { kind: "body", scenes: [2], offsets: [12], frames: 36, startFrame: Math.round((5.1333333333 + by) * 30) });
    };
    assert.deepEqual(shifted(0), shifted(0.9666666667));
    assert.equal(concatList(["/a/it's.mp4"]), "file '/a/it'\\''s.mp4'\n");
  });

  test("two-pass: the first pass writes only its log, the second the MP4 with chapters", () => {
    const premium = formatSettings("mp4-h264", "premium", spec);
    const inputs = { ...files, watermarkTextFile: "/w/wm.txt", chaptersFile: "/w/ch.txt" };
    const first = buildRenderArgs(spec, inputs, premium, { pass: 1, logFile: "/w/pass" }).args;
    assert.deepEqual(first.slice(-3), ["-f", "null", "-"]);
    assert.deepEqual(first.slice(first.indexOf("-pass"), first.indexOf("-pass") + 4), ["-pass", "1", "-passlogfile", "/w/pass"]);
    assert.ok(!first.includes("-map_chapters"));
    const second = buildRenderArgs(spec, inputs, premium, { pass: 2, logFile: "/w/pass" }).args;
    assert.equal(second.at(-1), "/w/out.mp4");
    assert.ok(second.includes("-map_chapters"));
  });
});

describe("sound effects", () => {
  test("generated or from storage, each at its time, mixed after the ducking; one past the end is refused", () => {
    const withFx = renderSpecSchema.parse({
      ...base,
      music: { source: { kind: "asset", key: "in/music.mp3" }, volumeDb: -18, duck: true },
      effects: [
        { sound: { kind: "generated", name: "whoosh" }, at: 1.2 },
        { sound: { kind: "asset", key: "in/ding.wav" }, at: 2.5, volumeDb: -3 },
        { sound: { kind: "generated", name: "chime" }, at: 0 },
      ],
    });
    const narrations = ["/s/0.wav", "/s/1.wav", "/s/2.wav"];
    const args = buildMixArgs(withFx, computeTiming(withFx), { narrations, musicFile: "/s/music.mp3", effectFiles: [null, "/s/ding.wav", null] }, "/w/mix.wav");
    // Inputs: the narrations, the music, then the effect files.
    assert.deepEqual(
      args.filter((_, i) => args[i - 1] === "-i"),
      [...narrations, "/s/music.mp3", "/s/ding.wav"],
    );
    const graph = args[args.indexOf("-filter_complex") + 1]!;
    assert.match(graph, /\[3:a\]aresample=48000.*volume=-18dB/);
    assert.match(graph, /anoisesrc=.*volume=-6dB,adelay=delays=1200:all=1\[fx0\]/);
    assert.match(graph, /\[4:a\]aresample=48000,aformat=[^;]*,volume=-3dB,adelay=delays=2500:all=1\[fx1\]/);
    assert.match(graph, /\[fx2_a\]\[fx2_b\]amix.*adelay=delays=0:all=1\[fx2\]/);
    // The music ducks under the voice only; the effects join the mix after.
    assert.match(graph, /\[voicemix\]\[ducked\]amix=inputs=2[^;]*\[mixed\];/);
    assert.match(graph, /\n\[mixed\]\[fx0\]\[fx1\]\[fx2\]amix=inputs=4:normalize=0:duration=first\[withfx\];\n\[withfx\]/);
    assert.throws(
      () => buildMixArgs(withFx, computeTiming(withFx), { narrations, musicFile: "/s/music.mp3", effectFiles: [] }, "/w/mix.wav"),
      /effect 2's sound file/,
    );
    const late = renderSpecSchema.safeParse({ ...base, effects: [{ sound: { kind: "generated", name: "pop" }, at: 4 }] });
    assert.equal(late.success, false);
    assert.deepEqual(late.error!.issues[0]!.path, ["effects", 0, "at"]);
    assert.match(late.error!.issues[0]!.message, /before the end of the video \(4 s\)/);
    assert.equal(renderSpecSchema.safeParse({ ...base, effects: [{ sound: { kind: "asset", key: "https://x.test/a.wav" }, at: 1 }] }).success, false);
  });
});

describe("renders with these features (real FFmpeg)", () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "rw-features-"));
  const storageDir = path.join(root, "storage");
  /** One frame of a stored video at `at` seconds as raw pixels: RGB, or grey after `crop`. */
  const rawFrame = (file: string, at: number, crop?: string) =>
    spawnSync("ffmpeg", [
      ...["-v", "error", "-ss", String(at), "-i", path.join(storageDir, file), "-frames:v", "1"],
      ...(crop ? ["-vf", `crop=${crop},format=gray`] : []),
      ...["-f", "rawvideo"],
      ...(crop ? [] : ["-pix_fmt", "rgb24"]),
      "-",
    ]).stdout;
  const tmpDir = path.join(root, "tmp");
  const log = { info() {}, warn() {}, error() {}, child: () => log };
  const cacheDir = path.join(root, "cache");
  const manager = (encoder: "libx264" | "h264_nvenc", segments = false, cuda = false) =>
    new RenderManager({
      storage: new WorkerStorage(new LocalStore(storageDir)),
      tmpDir,
      maxConcurrent: 1,
      timeoutMs: 120_000,
      log,
      chooseEncoder: async () => encoder,
      cuda: async () => cuda,
      ...(segments ? { cacheDir, parallel: 2 } : {}),
    });

  before(() => {
    mkdirSync(path.join(storageDir, "in"), { recursive: true });
    mkdirSync(tmpDir);
    for (const i of [0, 1, 2]) {
      spawnSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=s=640x360", "-frames:v", "1", path.join(storageDir, `in/img${i}.png`)]);
      spawnSync("espeak-ng", ["-w", path.join(storageDir, `in/voice${i}.wav`), "One two."]);
    }
    writeFileSync(path.join(storageDir, "in/probe.txt"), "");
  });

  /** 640x360 with nothing drawn over the pictures: for tests that compare pixels. */
  const bare = { ...base, width: 640, height: 360, chapters: false, watermark: null, captions: { enabled: false, cues: [] } };

  async function render(m: RenderManager, id: string, input: RenderSpecInput) {
    m.submit(id, renderSpecSchema.parse(input));
    for (;;) {
      const state = m.get(id)!;
      if (state.status !== "running" && state.status !== "queued") return state;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  test("chapters, SRT/WebVTT sidecars, a wipe and a watermark of hostile text, two-pass Premium", async () => {
    const state = await render(manager("libx264"), "features", { ...base, quality: "premium" });
    assert.equal(state.status, "succeeded", state.error);
    const result = state.result!;
    assert.equal(result.encoder, "libx264");
    assert.equal(result.video.chapters, 3);
    const probe = spawnSync("ffprobe", ["-v", "error", "-print_format", "json", "-show_chapters", "-show_format", path.join(storageDir, "out/v.mp4")], {
      encoding: "utf8",
    });
    const data = JSON.parse(probe.stdout) as { chapters: { start_time: string; tags: { title: string } }[]; format: { duration: string } };
    assert.deepEqual(
      data.chapters.map((c) => c.tags.title),
      [0, 1, 2].map((i) => `Part ${i + 1}: "one"; two=2 #3`),
    );
    assert.deepEqual(
      data.chapters.map((c) => Number(c.start_time)),
      [0, 1.2, 2.4],
    );
    assert.ok(Math.abs(Number(data.format.duration) - computeTiming(spec).totalSec) < 0.1);
    // The sidecars exist and FFmpeg itself parses them back into the same cues.
    for (const kind of ["srt", "vtt"] as const) {
      assert.equal(result.captions?.[kind]?.key, `out/v.${kind}`);
      const parsed = spawnSync("ffmpeg", ["-v", "error", "-i", path.join(storageDir, `out/v.${kind}`), "-f", "srt", "-"], { encoding: "utf8" });
      assert.equal(parsed.status, 0, parsed.stderr);
      assert.equal(parsed.stdout.split("-->").length - 1, 2, kind);
      assert.ok(parsed.stdout.includes("字幕"), `${kind} keeps CJK text`);
    }
    assert.ok(readFileSync(path.join(storageDir, "out/v.vtt"), "utf8").startsWith("WEBVTT"));
    assert.deepEqual(readdirSync(tmpDir), [], "the pass log and temp files are gone");
  });

  test("word highlight is really drawn: the spoken word is in the highlight colour", async () => {
    const cue = {
      start: 0,
      end: 1.5,
      text: "HIGHLIGHT ME NOW",
      words: [
        { text: "HIGHLIGHT", start: 0, end: 0.5 },
        { text: "ME", start: 0.5, end: 1 },
        { text: "NOW", start: 1, end: 1.5 },
      ],
    };
    const spec = (highlightWords: boolean, name: string) => ({
      ...base,
      // Large enough for the word to cover many pixels.
      width: 640,
      height: 360,
      chapters: false,
      watermark: null,
      captions: { enabled: true, cues: [cue], style: { highlightWords, highlightColor: "#FFE000", size: "large" as const, position: "middle" as const } },
      output: { video: `out/${name}.mp4`, poster: `out/${name}.jpg` },
    });
    for (const [name, on] of [
      ["words-off", false],
      ["words-on", true],
    ] as const)
      assert.equal((await render(manager("libx264"), name, spec(on, name))).status, "succeeded");
    // Strongly yellow pixels in a frame while the first word is spoken.
    const yellow = (file: string) => {
      const raw = rawFrame(file, 0.25);
      let n = 0;
      for (let i = 0; i < raw.length; i += 3) if (raw[i]! > 200 && raw[i + 1]! > 180 && raw[i + 2]! < 90) n++;
      return n;
    };
    const [off, on] = [yellow("out/words-off.mp4"), yellow("out/words-on.mp4")];
    assert.ok(on > off + 400, `yellow pixels: ${off} without highlight, ${on} with it`);
  });

  test("sound effects are heard at their times and nowhere else (real mix and encode)", async () => {
    const fx = (name: "chime" | "whoosh" | "pop", at: number) => ({ sound: { kind: "generated" as const, name }, at });
    const input = {
      ...bare,
      scenes: base.scenes.map((s) => ({ ...s, narration: null })),
      effects: [fx("chime", 1.0), fx("whoosh", 2.6), fx("pop", 3.6)],
      output: { video: "out/fx.mp4", poster: "out/fx.jpg" },
    };
    const state = await render(manager("libx264"), "fx", input);
    assert.equal(state.status, "succeeded", state.error);
    // RMS level (dBFS) of a stretch of the rendered file's audio.
    const level = (from: number, to: number) => {
      const pcm = spawnSync(
        "ffmpeg",
        [
          "-v",
          "error",
          "-i",
          path.join(storageDir, "out/fx.mp4"),
          "-ss",
          String(from),
          "-t",
          String(to - from),
          "-ac",
          "1",
          "-ar",
          "48000",
          "-f",
          "f32le",
          "-",
        ],
        { maxBuffer: 1 << 24 },
      ).stdout;
      const samples = new Float32Array(pcm.buffer, pcm.byteOffset, pcm.length / 4);
      return 10 * Math.log10(samples.reduce((sum, v) => sum + v * v, 0) / samples.length + 1e-12);
    };
    const levels = {
      before: level(0.1, 0.9),
      chime: level(1.0, 1.3),
      between: level(2.35, 2.55),
      whoosh: level(2.8, 3.1),
      pop: level(3.6, 3.68),
      after: level(3.75, 3.95),
    };
    const quiet = ["before", "between", "after"] as const;
    for (const k of quiet) assert.ok(levels[k] < -50, `${k}: ${JSON.stringify(levels)}`);
    for (const k of ["chime", "whoosh", "pop"] as const) assert.ok(levels[k] > -35, `${k}: ${JSON.stringify(levels)}`);
  });

  test("a title fades in and a lower third slides in: really drawn, where and when they should be", async () => {
    const input = (overlays: RenderSpecInput["overlays"], name: string) => ({
      ...bare,
      overlays,
      scenes: base.scenes.map((s) => ({ ...s, motion: { kind: "none" as const, strength: 0 } })),
      output: { video: `out/${name}.mp4`, poster: `out/${name}.jpg` },
    });
    const overlays: RenderSpecInput["overlays"] = [
      { kind: "title", text: "WWWW", start: 0.5, end: 3.5, animation: "fade" },
      { kind: "lower-third", text: "LOWER THIRD", start: 1.0, end: 3.5, animation: "slide" },
    ];
    for (const [name, o] of [
      ["ov-off", []],
      ["ov-on", overlays],
    ] as [string, RenderSpecInput["overlays"]][])
      assert.equal((await render(manager("libx264", true), name, input(o, name))).status, "succeeded");
    // Mean absolute difference between the two renders in a region at a time.
    const diff = (at: number, crop: string) => {
      const [a, b] = [rawFrame("out/ov-off.mp4", at, crop), rawFrame("out/ov-on.mp4", at, crop)];
      return a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;
    };
    const centre = "240:60:200:150";
    const [before, fading, shown] = [diff(0.3, centre), diff(0.55, centre), diff(2.0, centre)];
    assert.ok(before < 1, `nothing before the title: ${before.toFixed(1)}`);
    assert.ok(shown > 8, `the title is drawn: ${shown.toFixed(1)}`);
    assert.ok(fading > 0.5 && fading < shown * 0.6, `the title fades in: ${fading.toFixed(1)} at 50 ms, ${shown.toFixed(1)} once in`);
    // The bar slides in from the left: at 100 ms of 400 it is still off screen.
    // (Its box stands above room for two caption lines: y 209–244 of 360 here.)
    const barRight = "100:30:40:212";
    const [sliding, settled] = [diff(1.1, barRight), diff(2.0, barRight)];
    assert.ok(settled > 8, `the lower third is drawn bottom-left: ${settled.toFixed(1)}`);
    assert.ok(sliding < settled / 2, `it slides in: ${sliding.toFixed(1)} at 100 ms, ${settled.toFixed(1)} once in`);
    assert.ok(diff(2.0, "120:40:500:20") < 1, "nothing is drawn top-right");
  });

  test("picture-in-picture is really drawn: in its corner, framed, still while the scene zooms under it", async () => {
    spawnSync("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=0xFF00FF:s=200x100", "-frames:v", "1", path.join(storageDir, "in/inset.png")]);
    // A grey scene (no colour at all), so that any magenta comes from the inset.
    spawnSync("ffmpeg", [
      "-v",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      "testsrc2=s=640x360",
      "-vf",
      "hue=s=0",
      "-frames:v",
      "1",
      path.join(storageDir, "in/grey.png"),
    ]);
    const input = {
      ...bare,
      overlays: [],
      scenes: base.scenes.map((s) => ({
        ...s,
        image: "in/grey.png",
        inset: { image: "in/inset.png", position: "top-right" as const, size: 0.3, border: "#FFFFFF" },
      })),
      output: { video: "out/pip.mp4", poster: "out/pip.jpg" },
    };
    const state = await render(manager("libx264", true), "pip", input);
    assert.equal(state.status, "succeeded", state.error);
    const frame = (at: number) => rawFrame("out/pip.mp4", at);
    const pixel = (raw: Buffer, x: number, y: number) => [...raw.subarray((y * 640 + x) * 3, (y * 640 + x) * 3 + 3)];
    const magenta = ([r, g, b]: number[]) => r! > 200 && g! < 70 && b! > 200;
    const white = ([r, g, b]: number[]) => r! > 200 && g! > 200 && b! > 200;
    // 0.3 of 640x360: a 192x108 box; the 200x100 picture fits as 188x94, framed by 2 pixels:
    // 192x98 at x = 640 - 192 - 14, y = 14.
    for (const at of [0.5, 1.5, 3.0]) {
      const raw = frame(at);
      assert.equal(raw.length, 640 * 360 * 3);
      assert.ok(magenta(pixel(raw, 436, 16)) && magenta(pixel(raw, 623, 107)) && magenta(pixel(raw, 530, 60)), `the inset fills its place at ${at}s`);
      assert.ok(white(pixel(raw, 434, 14)) && white(pixel(raw, 625, 111)), `the frame surrounds it at ${at}s`);
      assert.ok(!magenta(pixel(raw, 432, 60)) && !magenta(pixel(raw, 530, 114)), `nothing outside it at ${at}s`);
      let elsewhere = 0;
      for (let y = 150; y < 360; y += 3) for (let x = 0; x < 640; x += 3) if (magenta(pixel(raw, x, y))) elsewhere++;
      assert.ok(elsewhere < 20, `no inset elsewhere at ${at}s: ${elsewhere} magenta pixels`);
    }
  });

  test("the text watermark is really drawn, in its corner and nowhere else", async () => {
    const plain = {
      ...base,
      chapters: false,
      captions: { enabled: false, cues: [] },
      watermark: null,
      output: { video: "out/plain.mp4", poster: "out/plain.jpg" },
    };
    const marked = {
      ...plain,
      watermark: { source: { kind: "text" as const, text: "AURA WATERMARK" }, position: "top-right" as const, opacity: 1, margin: 0.05 },
      output: { video: "out/marked.mp4", poster: "out/marked.jpg" },
    };
    for (const [id, input] of [
      ["plain", plain],
      ["marked", marked],
    ] as const)
      assert.equal((await render(manager("libx264"), id, input)).status, "succeeded");
    // Mean absolute difference of grey pixels between the two renders, in one corner.
    const corner = (file: string, x: number, y: number) => rawFrame(file, 0.5, `120:40:${x}:${y}`);
    const diff = (x: number, y: number) => {
      const [a, b] = [corner("out/plain.mp4", x, y), corner("out/marked.mp4", x, y)];
      assert.equal(a.length, 4800);
      return a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;
    };
    const topRight = diff(190, 0);
    const bottomLeft = diff(0, 140);
    assert.ok(topRight > 2, `the top-right corner changed by ${topRight.toFixed(1)} on average`);
    assert.ok(bottomLeft < topRight / 4, `the bottom-left corner changed by ${bottomLeft.toFixed(1)}, the top-right by ${topRight.toFixed(1)}`);
  });

  test("a clipped mono narration is fixed and reported; a silent one fails the render, naming the scene", async () => {
    const ff = (args: string[]) => spawnSync("ffmpeg", ["-v", "error", "-y", ...args]);
    ff(["-f", "lavfi", "-i", "sine=f=440:d=1:sample_rate=22050", "-af", "volume=24dB", "-ac", "1", path.join(storageDir, "in/clipped.wav")]);
    ff(["-f", "lavfi", "-i", "anullsrc=r=48000:cl=stereo", "-t", "1", path.join(storageDir, "in/silent.wav")]);
    const scenes = (narration: string) => base.scenes.map((s, i) => ({ ...s, narration: i === 1 ? narration : s.narration }));
    const simple = { ...base, chapters: false, watermark: null, captions: { enabled: false, cues: [] } };
    const fixed = await render(manager("libx264"), "clipped", {
      ...simple,
      scenes: scenes("in/clipped.wav"),
      output: { video: "out/c.mp4", poster: "out/c.jpg" },
    });
    assert.equal(fixed.status, "succeeded", fixed.error);
    const report = fixed.result!.narration!.find((n) => n.scene === 2)!;
    assert.equal(report.gainDb, -3);
    assert.ok(
      report.fixes.some((f) => f.startsWith("clipped")),
      report.fixes.join("; "),
    );
    assert.ok(report.fixes.includes("mono: played on both channels"));
    const silent = await render(manager("libx264"), "silent", {
      ...simple,
      scenes: scenes("in/silent.wav"),
      output: { video: "out/s.mp4", poster: "out/s.jpg" },
    });
    assert.equal(silent.status, "failed");
    assert.match(silent.error!, /scene 2's narration is silent/);
  });

  test("WebM VP9, ProRes and HDR10 renders carry the codecs, pixel formats and colour metadata they promise", async () => {
    const simple = { ...base, chapters: false, watermark: null, captions: { enabled: false, cues: [] } };
    const expected = {
      "webm-vp9": { ext: ".webm", codec: "vp9", pix: "yuv420p", audio: "opus", trc: undefined },
      "mov-prores": { ext: ".mov", codec: "prores", pix: "yuv422p10le", audio: "pcm_s16le", trc: undefined },
      "mp4-hevc-hdr10": { ext: ".mp4", codec: "hevc", pix: "yuv420p10le", audio: "aac", trc: "smpte2084" },
    } as const;
    for (const [format, want] of Object.entries(expected) as [keyof typeof expected, (typeof expected)[keyof typeof expected]][]) {
      const key = `out/${format}${want.ext}`;
      const state = await render(manager("libx264"), format, { ...simple, format, output: { video: key, poster: `out/${format}.jpg` } });
      assert.equal(state.status, "succeeded", `${format}: ${state.error}`);
      const probe = JSON.parse(
        spawnSync("ffprobe", ["-v", "error", "-print_format", "json", "-show_streams", path.join(storageDir, key)], { encoding: "utf8" }).stdout,
      ) as {
        streams: { codec_type: string; codec_name: string; pix_fmt?: string; color_transfer?: string; color_primaries?: string }[];
      };
      const v = probe.streams.find((s) => s.codec_type === "video")!;
      const a = probe.streams.find((s) => s.codec_type === "audio")!;
      assert.deepEqual([v.codec_name, v.pix_fmt, a.codec_name], [want.codec, want.pix, want.audio], format);
      if (want.trc) assert.deepEqual([v.color_transfer, v.color_primaries], [want.trc, "bt2020"]);
    }
  });

  test("in segments: the same frames as one FFmpeg run; a repeat comes from the cache; editing one scene re-renders its segments only", async () => {
    // The middle scene has a picture-in-picture: its inset is split among three pieces in one run.
    const scenes = base.scenes.map((s, i) => (i === 1 ? { ...s, inset: { image: "in/img0.png", position: "bottom-left" as const } } : s));
    const lossless = { ...base, scenes, watermark: null, output: { video: "out/one.mp4", poster: "out/one.jpg" } };
    const one = await render(manager("libx264"), "one", lossless);
    const seg = await render(manager("libx264", true), "seg", { ...lossless, output: { video: "out/seg.mp4", poster: "out/seg.jpg" } });
    assert.equal(seg.status, "succeeded", seg.error);
    assert.deepEqual(seg.result!.segments, { total: 5, cached: 0 });
    const frames = (file: string) =>
      spawnSync(
        "ffprobe",
        ["-v", "error", "-count_frames", "-select_streams", "v", "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path.join(storageDir, file)],
        { encoding: "utf8" },
      ).stdout.trim();
    assert.equal(frames("out/seg.mp4"), String(computeTiming(spec).totalFrames));
    assert.equal(frames("out/seg.mp4"), frames("out/one.mp4"));
    assert.equal(seg.result!.video.chapters, 3);
    assert.ok(Math.abs(seg.result!.video.durationSec - one.result!.video.durationSec) < 0.05);
    // Frame by frame the two encodes show the same pictures (lossy, so close, not equal).
    const psnr = spawnSync(
      "ffmpeg",
      ["-i", path.join(storageDir, "out/seg.mp4"), "-i", path.join(storageDir, "out/one.mp4"), "-lavfi", "psnr", "-f", "null", "-"],
      { encoding: "utf8" },
    ).stderr;
    const min = Number(/min:([\d.]+)/.exec(psnr)?.[1]);
    assert.ok(min > 30, `the worst frame differs: PSNR ${min} dB`);
    const decode = spawnSync("ffmpeg", ["-v", "error", "-i", path.join(storageDir, "out/seg.mp4"), "-f", "null", "-"], { encoding: "utf8" });
    assert.equal(decode.stderr.trim(), "", "the joined file decodes cleanly");
    // The poster, cut from the segment that holds its frame (here a transition), is that frame of the joined file.
    const fromOutput = path.join(storageDir, "out/seg-poster-check.jpg");
    spawnSync("ffmpeg", buildPosterArgs(path.join(storageDir, "out/seg.mp4"), posterFrame(computeTiming(spec), 30) / 30, fromOutput));
    assert.ok(readFileSync(fromOutput).equals(readFileSync(path.join(storageDir, "out/seg.jpg"))), "the poster is the frame at 1.5 s of the video");

    const again = await render(manager("libx264", true), "seg-again", { ...lossless, output: { video: "out/seg2.mp4", poster: "out/seg2.jpg" } });
    assert.deepEqual(again.result!.segments, { total: 5, cached: 5 });
    // New motion for the middle scene: its body and both transitions render again.
    const edited = {
      ...lossless,
      scenes: lossless.scenes.map((s, i) => (i === 1 ? { ...s, motion: { kind: "pan-right" as const, strength: 0.1 } } : s)),
      output: { video: "out/seg3.mp4", poster: "out/seg3.jpg" },
    };
    const after = await render(manager("libx264", true), "seg-edit", edited);
    assert.deepEqual(after.result!.segments, { total: 5, cached: 2 });
    assert.deepEqual(readdirSync(tmpDir), []);
  });

  test("a render no one asks about for its lease is cancelled as abandoned, its FFmpeg stopped; one that is asked about runs on", async () => {
    const leased = new RenderManager({
      storage: new WorkerStorage(new LocalStore(storageDir)),
      tmpDir,
      maxConcurrent: 2,
      timeoutMs: 120_000,
      log,
      chooseEncoder: async () => "libx264",
      leaseMs: 800,
    });
    const long = { ...base, chapters: false, scenes: base.scenes.map((s) => ({ ...s, duration: 60 })) };
    leased.submit("left", renderSpecSchema.parse({ ...long, output: { video: "out/left.mp4", poster: "out/left.jpg" } }));
    leased.submit("watched", renderSpecSchema.parse({ ...long, output: { video: "out/watched.mp4", poster: "out/watched.jpg" } }));
    for (let i = 0; i < 20; i++) {
      leased.get("watched"); // polled every 100 ms, as the app does
      await new Promise((r) => setTimeout(r, 100));
    }
    const left = leased.get("left")!;
    assert.equal(left.status, "cancelled");
    assert.match(left.error ?? "", /^abandoned: no one asked about it for 1 s$/);
    assert.equal(leased.get("watched")!.status, "running");
    await leased.cancel("watched");
    assert.equal(leased.get("watched")!.error, "cancelled");
    assert.equal(spawnSync("pgrep", ["-f", "render-left-"], { encoding: "utf8" }).stdout.trim(), "", "no FFmpeg of the abandoned render is left");
  });

  test("a hardware encoder that fails mid-render is replaced by software and the render finishes", async (t) => {
    // The fallback needs NVENC to fail: on a machine where it truly works there is nothing to fall back from.
    if ((await detectEncoders()).find((e) => e.name === "h264_nvenc")?.works) return t.skip("NVENC works on this machine");
    const state = await render(manager("h264_nvenc"), "fallback", {
      ...base,
      chapters: false,
      watermark: null,
      output: { video: "out/f.mp4", poster: "out/f.jpg" },
    });
    assert.equal(state.status, "succeeded", state.error);
    assert.deepEqual([state.result!.encoder, state.result!.fellBackFrom], ["libx264", "h264_nvenc"]);
    const probe = spawnSync(
      "ffprobe",
      ["-v", "error", "-select_streams", "v", "-show_entries", "stream=codec_name", "-of", "csv=p=0", path.join(storageDir, "out/f.mp4")],
      { encoding: "utf8" },
    );
    assert.equal(probe.stdout.trim(), "h264");
    // The same with CUDA frames asked for (NVENC fed from GPU memory), in segments: on a machine
    // without the device every segment falls back, and the render finishes in software.
    const withCuda = await render(manager("h264_nvenc", true, true), "fallback-cuda", {
      ...base,
      chapters: false,
      watermark: null,
      output: { video: "out/fc.mp4", poster: "out/fc.jpg" },
    });
    assert.equal(withCuda.status, "succeeded", withCuda.error);
    assert.deepEqual([withCuda.result!.encoder, withCuda.result!.fellBackFrom], ["libx264", "h264_nvenc"]);
    assert.deepEqual(readdirSync(tmpDir), []);
  });
});
