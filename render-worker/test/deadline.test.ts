// One time limit for a whole render: each process gets what is left of it, never less than
// the small floor, so the processes after the video cannot run the render past its limit.
import assert from "node:assert/strict";
import { test } from "node:test";
import { deadlineIn, MIN_PROCESS_MS, timeLeftMs } from "../src/deadline.ts";

test("each process gets the time left before the render's deadline, at least the floor", () => {
  const start = 1_000_000;
  const deadline = deadlineIn(60_000, start);
  assert.equal(timeLeftMs(deadline, start), 60_000, "the first process: the whole limit");
  assert.equal(timeLeftMs(deadline, start + 45_000), 15_000, "after 45 s of video: what is left, not the whole limit again");
  assert.equal(timeLeftMs(deadline, start + 58_000), MIN_PROCESS_MS, "nearly spent: the floor");
  assert.equal(timeLeftMs(deadline, start + 90_000), MIN_PROCESS_MS, "past the deadline: the floor, so it stops with a time-out");
});
