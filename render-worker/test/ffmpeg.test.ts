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

  test("every stderr line reaches onStderrLine, though the stderr returned keeps only its end", async () => {
    const lines: string[] = [];
    // Node stands in for FFmpeg: 5,000 numbered lines, the last one without its newline.
    const script = "for (let i = 0; i < 4999; i++) console.error('line ' + i); process.stderr.write('line 4999')";
    const { stderr } = await runFfmpeg(["-e", script], { binary: process.execPath, onStderrLine: (line) => lines.push(line) });
    assert.deepEqual(
      lines,
      Array.from({ length: 5000 }, (_, i) => `line ${i}`),
    );
    assert.ok(!stderr.includes("line 0\n"), "the returned stderr lost its start");
  });
});
