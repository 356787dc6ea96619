// Stage failures that no retry can mend. Like Inngest's NonRetriableError, the engines read
// `retriable = false` and fail the step at once; stages import no engine.

/** The stage's input cannot work however often it is tried (a narration with no words). */
export class StageInputError extends Error {
  readonly retriable = false;
}
