// The worker's renders by id: starts them within a bound on how many run at once, answers
// their state, cancels them (which kills FFmpeg's whole process group) and forgets old
// finished ones. Each render itself runs in render-job.ts. A render holds a lease: one that
// no one has asked about (submitted or polled) for `leaseMs` is cancelled as abandoned, so
// that when the app has moved it to another worker (after a longer wait), it never runs on
// two workers at once.
import { ABANDONED_RENDER, type RenderSpec, type RenderState } from "@aura/render-contract";
import type { Logger } from "../log.ts";
import type { MusicTools } from "../music/bed.ts";
import type { EncoderName } from "../quality.ts";
import type { WorkerStorage } from "../storage.ts";
import { runRender } from "./render-job.ts";
import { SegmentCache } from "./segment-cache.ts";

export class BusyError extends Error {}

type Entry = { state: RenderState; abort: AbortController; done: Promise<void>; askedAt: number };

export class RenderManager {
  private readonly renders = new Map<string, Entry>();
  private readonly cache: SegmentCache | null;
  constructor(
    private readonly options: {
      storage: WorkerStorage;
      tmpDir: string;
      maxConcurrent: number;
      timeoutMs: number;
      log: Logger;
      /** Which encoder a render starts with (encoders.ts: the best one that passed its trial). */
      chooseEncoder: () => Promise<EncoderName>;
      /** Whether CUDA frames work (encoders.ts detectCuda): NVENC then reads frames from GPU memory. */
      cuda?: () => Promise<boolean>;
      /** Where rendered segments are kept for reuse; without it, renders are one FFmpeg run. */
      cacheDir?: string;
      /** Largest size of the segment cache; the least recently used go first. */
      cacheMaxBytes?: number;
      /** FFmpeg runs at once within one render (segments). */
      parallel?: number;
      /** A running render no one asks about for this long is cancelled (0: never). */
      leaseMs?: number;
      /** fluidsynth and the sound font that play generated music (render-job.ts). */
      music?: Pick<MusicTools, "fluidsynth" | "soundFont">;
    },
  ) {
    const leaseMs = options.leaseMs ?? 0;
    if (leaseMs > 0) setInterval(() => this.expireLeases(leaseMs), Math.max(100, Math.min(5000, leaseMs / 4))).unref();
    // On a bucket, segments are shared through it with every other worker; on a local store,
    // workers on one host share the cache directory itself.
    const shared = options.storage.store.kind === "s3" ? options.storage.store : null;
    this.cache = options.cacheDir
      ? new SegmentCache(options.cacheDir, options.cacheMaxBytes ?? 4 * 1024 ** 3, shared, (error) =>
          options.log.warn("segment not shared", { error: error.message.slice(0, 300) }),
        )
      : null;
  }

  get running() {
    return [...this.renders.values()].filter((e) => e.state.status === "running" || e.state.status === "queued").length;
  }

  get(id: string) {
    const entry = this.renders.get(id);
    if (entry) entry.askedAt = Date.now();
    return entry?.state;
  }

  private expireLeases(leaseMs: number) {
    for (const entry of this.renders.values()) {
      if (entry.state.status !== "running" || entry.abort.signal.aborted || Date.now() - entry.askedAt < leaseMs) continue;
      const reason = `${ABANDONED_RENDER}: no one asked about it for ${Math.round(leaseMs / 1000)} s`;
      this.options.log.warn("render abandoned", { renderId: entry.state.id, leaseSec: leaseMs / 1000 });
      entry.abort.abort(new Error(reason));
    }
  }

  /** Starts a render; a second submit with the same id returns the first one's state. */
  submit(id: string, spec: RenderSpec, correlationId?: string): RenderState {
    const existing = this.renders.get(id);
    if (existing && existing.state.status !== "failed" && existing.state.status !== "cancelled") {
      existing.askedAt = Date.now();
      return existing.state;
    }
    if (this.running >= this.options.maxConcurrent) throw new BusyError("all render slots are busy");
    const state: RenderState = {
      id,
      status: "running",
      progress: { percent: 0, outTimeSec: 0, fps: null, speed: null, etaSec: null },
      createdAt: new Date().toISOString(),
    };
    const abort = new AbortController();
    const log = this.options.log.child({ renderId: id, correlationId });
    const { storage, tmpDir, timeoutMs, chooseEncoder, cuda, parallel, music } = this.options;
    const done = runRender(state, spec, abort.signal, log, { storage, tmpDir, timeoutMs, chooseEncoder, cuda, cache: this.cache, parallel, music })
      .then(
        (result) => {
          if (abort.signal.aborted) {
            // Cancelled (or abandoned) as it finished: not a success the app may take.
            state.status = "cancelled";
            state.error = (abort.signal.reason as Error | undefined)?.message ?? "cancelled";
            return;
          }
          state.status = "succeeded";
          state.result = result;
          state.progress.percent = 100;
          log.info("render succeeded", { elapsedSec: result.elapsedSec, durationSec: result.video.durationSec });
        },
        (error: Error) => {
          state.status = abort.signal.aborted ? "cancelled" : "failed";
          state.error = abort.signal.aborted ? ((abort.signal.reason as Error | undefined)?.message ?? "cancelled") : error.message;
          log[abort.signal.aborted ? "info" : "error"](`render ${state.status}`, { error: error.message });
        },
      )
      .finally(() => {
        state.finishedAt = new Date().toISOString();
        this.forgetOldRenders();
      });
    this.renders.set(id, { state, abort, done, askedAt: Date.now() });
    return state;
  }

  async cancel(id: string) {
    const entry = this.renders.get(id);
    if (!entry) return undefined;
    entry.abort.abort(new Error("cancelled"));
    await entry.done;
    return entry.state;
  }

  async cancelAll() {
    await Promise.all([...this.renders.keys()].map((id) => this.cancel(id)));
  }

  private forgetOldRenders() {
    const finished = [...this.renders.entries()].filter(([, e]) => e.state.finishedAt);
    for (const [id] of finished.slice(0, Math.max(0, finished.length - 200))) this.renders.delete(id);
  }
}
