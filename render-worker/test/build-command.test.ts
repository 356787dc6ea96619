import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderSpecSchema } from "@aura/render-contract";
import { base } from "../../packages/render-contract/test/fixtures.ts";
import { buildFilterGraph, buildMotionFilter, buildRenderArgs } from "../src/build-command.ts";

const spec = renderSpecSchema.parse(base);
const inputs = {
  images: ["/s/a.png", "/s/b.png", "/s/c.png"],
  audio: { file: "/tmp/r/mix.wav", filter: "volume=2.50dB" },
  captionsFile: "/tmp/r/captions.ass",
  output: "/tmp/r/out.mp4",
};

describe("filter graph", () => {
  const graph = buildFilterGraph(spec, inputs);
  test("bodies and 15-frame crossfades, joined by concat at 1/fps", () => {
    // Scene 0: frames 0-104 alone, 105-119 fade into scene 1 (its frames 0-14), and so on.
    assert.match(
      graph,
      /\[p0_0\]scale=1920:1080:.*loop=loop=104:size=1:start=0,settb=1\/30,setpts=N,scale=w='2\*trunc\(\(1920\*\(1\+0\.1\*\(n\/119\)\)\)\/2\)'.*\[c0\]/,
    );
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
    assert.deepEqual(buildMotionFilter({ motion: { kind: "pan-right", strength: 0.1 } }, 1920, 1080, 91), {
      width: 2112,
      height: 1188,
      perFrame: "crop=w=1920:h=1080:x='192*(n/90)':y=54",
    });
    assert.deepEqual(
      buildMotionFilter({ motion: { kind: "pan-left", strength: 0.1 } }, 1920, 1080, 91, 30).perFrame,
      "crop=w=1920:h=1080:x='192*(1-((n+30)/90))':y=54",
    );
    assert.equal(buildMotionFilter({ motion: { kind: "none", strength: 0.1 } }, 1920, 1080, 10).perFrame, "null");
    const graph = buildFilterGraph(spec, inputs);
    assert.match(
      graph,
      /\[p1_1\]scale=2112:1188:force_original_aspect_ratio=increase:out_range=tv,crop=2112:1188,format=yuv420p,setsar=1,loop=loop=74:size=1:start=0,settb=1\/30,setpts=N,crop=w=1920/,
    );
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
