// One time limit for a whole render (RENDER_TIMEOUT): the deadline is set when the render
// starts and each process it runs gets the time left, so that the processes after the video
// (the quality pass) and beside it (the music bed, the mix) cannot stretch a render to about
// twice the limit.

/** The least a process is given when the render's time is nearly spent, so that it stops with
 *  a time-out that says so rather than not starting at all. */
export const MIN_PROCESS_MS = 5_000;

/** The deadline of something that may take `timeoutMs` from now. */
export function deadlineIn(timeoutMs: number, now = Date.now()) {
  return now + timeoutMs;
}

/** The time left before `deadline` for the next process, at least MIN_PROCESS_MS. */
export function timeLeftMs(deadline: number, now = Date.now()) {
  return Math.max(MIN_PROCESS_MS, Math.round(deadline - now));
}
