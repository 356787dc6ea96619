export class CancelledError extends Error {
  constructor() {
    super("the job was cancelled");
  }
}

/** A step that failed for good: names the stage, the provider and the reason. */
export class StepFailedError extends Error {
  constructor(
    readonly stage: string,
    readonly provider: string | null,
    readonly reason: string,
    readonly stepId: string,
  ) {
    super(`${stage} failed${provider ? ` (${provider})` : ""}: ${reason}`);
  }
}

/** Throw (or set `retriable = false` on an error) to fail a step without retrying it. */
export class NonRetriableError extends Error {
  readonly retriable = false;
}

/** A provider asked us to wait (HTTP 429 with Retry-After): retry no sooner than this. */
export class RetryAfterError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number,
    readonly provider?: string,
  ) {
    super(message);
  }
}

/** The workflow gave up waiting (a review left too long): the job ends as "expired". */
export class JobExpiredError extends Error {
  readonly retriable = false;
  override name = "JobExpiredError";
}
