// Where a render's CPU goes beyond its encode floor: each segment of the render bench's video
// (bench-video.ts) rendered alone, one at a time, as the worker would render it, and the CPU
// time (user and system) and wall time summed by kind (bodies, transitions). A variant takes
// one thing away, so the difference is that thing's cost:
//   base      as the worker renders them, but at libx264's default threads (on 2 cores the
//             worker now gives each process one thread: that is threads1)
//   nocaps    without the captions (libass)
//   null      without encoding (FFmpeg's null output): start-up, pictures, motion, captions
//   threads1  libx264 on one thread
// Run: node --import tsx render-worker/bench/segment-costs.ts [base|nocaps|null|threads1] [draft|standard]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { computeTiming } from "@aura/render-contract";
import { formatSettings } from "../src/formats.ts";
import { buildSegmentArgs, planSegments, segmentAss } from "../src/segments.ts";
import { benchSpec, makeBenchInputs } from "./bench-video.ts";
import { childrenCpuSec } from "./measure.ts";

const variant = process.argv[2] ?? "base";
const quality = process.argv[3] === "draft" ? "draft" : "standard";
const root = mkdtempSync(path.join(os.tmpdir(), "aura-bench-segments-"));
makeBenchInputs(root);
const spec = benchSpec(quality, false, "costs");
const timing = computeTiming(spec);
const plan = planSegments(timing)!;
const settings = formatSettings("mp4-h264", quality, spec);
const sums = new Map<string, { count: number; frames: number; wall: number; cpu: number }>();
try {
  for (const [i, segment] of plan.entries()) {
    const ass = variant === "nocaps" ? null : segmentAss(spec, segment);
    const captionsFile = ass ? path.join(root, `segment-${i}.ass`) : null;
    if (captionsFile) writeFileSync(captionsFile, ass!);
    const files = {
      images: spec.scenes.map((s) => path.join(root, s.image!)),
      imageHashes: [],
      insets: [],
      insetHashes: [],
      captionsFile,
      watermarkTextFile: null,
      watermarkImage: null,
      watermarkImageHash: null,
      output: path.join(root, `segment-${i}.mp4`),
    };
    let args = buildSegmentArgs(spec, timing, segment, files, settings.video);
    const encoderAt = args.indexOf("-c:v");
    if (variant === "threads1") args.splice(encoderAt, 0, "-threads", "1");
    if (variant === "null") args = [...args.slice(0, encoderAt), "-frames:v", String(segment.frames), "-f", "null", "-"];
    const cpuBefore = childrenCpuSec();
    const started = performance.now();
    const run = spawnSync("ffmpeg", args, { encoding: "utf8" });
    if (run.status !== 0) throw new Error(`segment ${i}: ${run.stderr}`);
    const sum = sums.get(segment.kind) ?? { count: 0, frames: 0, wall: 0, cpu: 0 };
    sums.set(segment.kind, {
      count: sum.count + 1,
      frames: sum.frames + segment.frames,
      wall: sum.wall + (performance.now() - started) / 1000,
      cpu: sum.cpu + childrenCpuSec() - cpuBefore,
    });
  }
  console.log(
    `segment costs, ${variant}, ${quality}, one at a time; load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
  for (const [kind, s] of sums)
    console.log(
      `${kind.padEnd(10)} ${s.count} segments, ${s.frames} frames: CPU ${s.cpu.toFixed(1)} s (${((1000 * s.cpu) / s.frames).toFixed(1)} ms a frame, ${(s.cpu / s.count).toFixed(2)} s a segment), wall ${s.wall.toFixed(1)} s`,
    );
} finally {
  rmSync(root, { recursive: true, force: true });
}
