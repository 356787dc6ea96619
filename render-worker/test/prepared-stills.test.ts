// Stills decoded and fitted once per render (build-command.ts buildStillPrepArgs) give every
// segment the very frames that decoding the still in the segment's own run gave: a body and a
// transition, with a pan (a picture larger than the frame) and a zoom, rendered both ways,
// decode to the same pixels. And with marks on, a segment's run also writes its detectors'
// marks and its edge pictures without changing its frames.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { test } from "node:test";
import { computeTiming, planSegments, renderSpecSchema } from "@aura/render-contract";
import { buildStillPrepArgs, stillFit } from "../src/build-command.ts";
import { formatSettings } from "../src/formats.ts";
import { readSegmentMarks } from "../src/quality-report.ts";
import { buildSegmentArgs, type SegmentFiles } from "../src/segments.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "aura-prepared-"));
const ffmpeg = (args: string[]) => {
  const run = spawnSync("ffmpeg", args, { encoding: "utf8" });
  assert.equal(run.status, 0, run.stderr);
};
/** The decoded frames' MD5 (FFmpeg's md5 muxer over the raw pictures). */
const pixels = (file: string) => execFileSync("ffmpeg", ["-v", "error", "-i", file, "-map", "0:v", "-f", "md5", "-"], { encoding: "utf8" }).trim();

test("a prepared still gives the segments the same pixels as the still itself; marks do not change them", async () => {
  const images = [0, 1].map((i) => {
    const file = path.join(dir, `still-${i}.png`);
    ffmpeg(["-v", "error", "-f", "lavfi", "-i", `testsrc2=s=1200x700:r=1:d=${i + 1}`, "-frames:v", "1", "-update", "1", file]);
    return file;
  });
  const spec = renderSpecSchema.parse({
    version: 1,
    width: 640,
    height: 360,
    fps: 30,
    quality: "draft",
    scenes: [
      { image: "a.png", narration: "a.wav", duration: 2, motion: { kind: "pan-right", strength: 0.2 } },
      { image: "b.png", narration: "b.wav", duration: 2, motion: { kind: "zoom-in", strength: 0.12 } },
    ],
    transition: { kind: "crossfade", duration: 0.5 },
    captions: { enabled: false, cues: [] },
    music: null,
    loudness: { integratedLufs: -16, truePeakDb: -1.5 },
    output: { video: "out/v.mp4", poster: "out/v.jpg" },
  });
  const timing = computeTiming(spec);
  const plan = planSegments(timing)!;
  const prepared = spec.scenes.map((scene, i) => {
    const file = path.join(dir, `prepared-${i}.yuv`);
    const fit = stillFit(scene, spec);
    ffmpeg(buildStillPrepArgs(images[i]!, fit, file));
    return { file, width: fit.width, height: fit.height };
  });
  assert.deepEqual([prepared[0]!.width, prepared[0]!.height], [768, 432], "a pan's picture is larger than the frame");
  const video = formatSettings("mp4-h264", "draft", spec).video;
  for (const [index, segment] of plan.slice(0, 2).entries()) {
    const files = (name: string, extra: Partial<SegmentFiles> = {}): SegmentFiles => ({
      images,
      imageHashes: [],
      insets: [null, null],
      insetHashes: [null, null],
      captionsFile: null,
      watermarkTextFile: null,
      watermarkImage: null,
      watermarkImageHash: null,
      output: path.join(dir, `${index}-${name}.mp4`),
      ...extra,
    });
    const fromStill = files("still");
    const fromPrepared = files("prepared", { prepared, marksFile: path.join(dir, `${index}.marks`) });
    const args = buildSegmentArgs(spec, timing, segment, fromPrepared, video);
    assert.ok(!args.some((a) => a.endsWith(".png")), "the prepared run does not read the stills");
    ffmpeg(buildSegmentArgs(spec, timing, segment, fromStill, video));
    ffmpeg(args);
    assert.equal(pixels(fromPrepared.output), pixels(fromStill.output), `${segment.kind}: the same pixels`);
    const marks = await readSegmentMarks(fromPrepared.marksFile!, segment.frames / spec.fps);
    assert.deepEqual([marks.blacks, marks.freezes], [[], []], "a moving test picture is neither black nor frozen");
    assert.equal(Buffer.from(marks.edges.first, "base64").length, 32 * 18);
    assert.notEqual(marks.edges.first, marks.edges.last, "the pan moved between its first and last frames");
  }
});
