// Time limits for outbound calls and child processes.

/**
 * A signal that aborts after `ms` (with a TimeoutError, like AbortSignal.timeout) or as soon
 * as `parent` aborts (with its reason). Its own timer holds it strongly: on Node 20 the
 * AbortSignal.timeout inside an AbortSignal.any can be garbage-collected before it fires, and
 * the call then waited for the socket's own 300 s timeout instead (seen in the full test run:
 * a 0.3 s limit that ended after 301 s).
 */
export function deadlineSignal(ms: number, parent?: AbortSignal) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException("The operation was aborted due to timeout", "TimeoutError")), ms);
  timer.unref();
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener("abort", () => controller.abort(parent.reason), { once: true, signal: controller.signal });
  return controller.signal;
}
