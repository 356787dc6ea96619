// The contract between the workflow and the engines that run it. It is a subset of
// Inngest's step API with the same meaning, so the same workflow runs on Inngest and on the
// built-in engine (engine/builtin.ts).
export type JobEventData = { jobId: string; workspaceId: string };

export type WorkflowEvent<D = Record<string, unknown>> = { id?: string; name: string; data: D };

export interface StepTools {
  /** Runs fn once; its result is checkpointed and returned on every replay. */
  run<T>(id: string, fn: () => Promise<T>): Promise<T>;
  /** Pauses the run for ms without holding a worker. */
  sleep(id: string, ms: number): Promise<void>;
  /** Parks the run until an event with this job's id arrives, or null after timeoutMs. */
  waitForEvent<D>(id: string, options: { event: string; timeoutMs: number; jobId: string }): Promise<WorkflowEvent<D> | null>;
  /** Runs another workflow function (on its own queue and concurrency) and returns its result. */
  invoke<D extends JobEventData, T>(id: string, options: { function: WorkflowFunction<D, T>; data: D }): Promise<T>;
}

export type WorkflowContext<D = JobEventData> = {
  event: WorkflowEvent<D>;
  step: StepTools;
  /** Aborted when the job is cancelled: long steps pass it on (FFmpeg, TTS). */
  signal: AbortSignal;
};

export type WorkflowFunction<D = JobEventData, R = unknown> = {
  id: string;
  /** The event that starts it. */
  event: string;
  /** The built-in engine's queue for it. */
  queue: string;
  handler: (ctx: WorkflowContext<D>) => Promise<R>;
};
