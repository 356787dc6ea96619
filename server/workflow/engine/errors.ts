export class CancelledError extends Error {
  constructor() {
    super("the job was cancelled");
  }
}

/** A step that failed for good: names the stage, the provider and the reason. */
export class StepFailedError extends Error {
  constructor(readonly stage: string, readonly provider: string | null, readonly reason: string, readonly stepId: string) {
    super(`${stage} failed${provider ? ` (${provider})` : ""}: ${reason}`);
  }
}

/** Throw (or set `retriable = false` on an error) to fail a step without retrying it. */
export class NonRetriableError extends Error {
  readonly retriable = false;
}
