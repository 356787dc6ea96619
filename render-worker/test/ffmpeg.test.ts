import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseProgressBlock, runFfmpeg } from "../src/ffmpeg.ts";

describe("progress", () => {
  test("parses -progress blocks", () => {
    assert.deepEqual(parseProgressBlock({ frame: "75", out_time_us: "2500000", fps: "41.5", speed: "1.38x", progress: "continue" }), {
      outTimeSec: 2.5,
      frames: 75,
      fps: 41.5,
      speed: 1.38,
      done: false,
    });
    assert.deepEqual(parseProgressBlock({ out_time_us: "N/A", fps: "0.0", speed: "N/A", progress: "end" }), {
      outTimeSec: 0,
      frames: null,
      fps: null,
      speed: null,
      done: true,
    });
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
