// Encoder detection on a machine without GPU (issue 23 point 5): FFmpeg lists NVENC and the
// other hardware encoders anyway, so their trial encodes must fail here, CUDA's trial too,
// and the worker must choose libx264. On a machine with an NVIDIA device the GPU path is run
// by hand instead (docs/performance.md). Also how libx264's threads are set per process.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { spawnSync } from "node:child_process";
import { bestEncoder, detectCuda, detectEncoders } from "../src/encoders.ts";
import { encoderThreadArgs } from "../src/formats.ts";

const hasGpu = existsSync("/dev/nvidiactl") || existsSync("/dev/dri");

test("FFmpeg lists NVENC here though no NVIDIA device exists: a listed encoder is no proof", () => {
  const listed = spawnSync("ffmpeg", ["-hide_banner", "-encoders"], { encoding: "utf8" }).stdout;
  assert.match(listed, /h264_nvenc/);
});

test("without a GPU, the hardware trials fail with FFmpeg's reason, libx264's works, and libx264 is chosen", {
  skip: hasGpu && "a GPU device exists here",
}, async () => {
  const reports = await detectEncoders();
  const byName = Object.fromEntries(reports.map((r) => [r.name, r]));
  for (const name of ["h264_nvenc", "h264_vaapi", "h264_qsv", "h264_amf"]) {
    assert.equal(byName[name]?.works, false, `${name} passed its trial`);
    assert.ok(byName[name]?.error, `${name} failed without a reason`);
  }
  assert.equal(byName.libx264?.works, true, byName.libx264?.error);
  assert.equal(await bestEncoder(), "libx264");
  const cuda = await detectCuda();
  assert.equal(cuda.works, false);
  assert.ok(cuda.error, "CUDA failed without a reason");
});

test("the choice follows the trials: the first hardware encoder that works, else libx264", async () => {
  const works = new Set((await detectEncoders()).filter((r) => r.works).map((r) => r.name));
  const expected = ["h264_nvenc", "h264_qsv", "h264_vaapi", "h264_amf"].find((n) => works.has(n)) ?? "libx264";
  assert.equal(await bestEncoder(), expected);
});

test("libx264's threads: the cores split between the processes that encode at once; other encoders keep their own", () => {
  assert.deepEqual(encoderThreadArgs("libx264", 2, 2), ["-threads", "1"]);
  assert.deepEqual(encoderThreadArgs("libx264", 2, 16), ["-threads", "8"]);
  assert.deepEqual(encoderThreadArgs("libx264", 4, 2), ["-threads", "1"]);
  assert.deepEqual(encoderThreadArgs("libx264", 1, 2), ["-threads", "2"]);
  assert.deepEqual(encoderThreadArgs("h264_nvenc", 2, 2), []);
  assert.deepEqual(encoderThreadArgs("libx265", 2, 2), []);
});
