// The one application error and the one table that says what each of its codes becomes:
// a tRPC error code (server/api/trpc.ts) and an HTTP status (the REST API and every route
// handler, through server/api/error-response.ts). Messages are written for the user;
// anything that is not an AppError is an internal error and is logged, not shown.
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";

export const ERROR_CODES = {
  BAD_REQUEST: { trpc: "BAD_REQUEST", status: 400 },
  UNAUTHORIZED: { trpc: "UNAUTHORIZED", status: 401 },
  FORBIDDEN: { trpc: "FORBIDDEN", status: 403 },
  NOT_FOUND: { trpc: "NOT_FOUND", status: 404 },
  CONFLICT: { trpc: "CONFLICT", status: 409 },
  PAYLOAD_TOO_LARGE: { trpc: "PAYLOAD_TOO_LARGE", status: 413 },
  TOO_MANY_REQUESTS: { trpc: "TOO_MANY_REQUESTS", status: 429 },
  INTERNAL: { trpc: "INTERNAL_SERVER_ERROR", status: 500 },
} as const satisfies Record<string, { trpc: TRPC_ERROR_CODE_KEY; status: number }>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** What an error carries besides its message: which quota was reached, per-field messages,
 *  headers its HTTP response needs (a 401's WWW-Authenticate). */
export type ErrorData = { quota?: QuotaName; fields?: Record<string, string>; headers?: Record<string, string> };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly data: ErrorData = {},
  ) {
    super(message);
  }
}

/** The object does not exist in the caller's workspace (another workspace's object too). */
export class NotFoundError extends AppError {
  constructor(what: string) {
    super("NOT_FOUND", `${what} not found`);
  }
}

/** The request conflicts with the object's state (a retry while one is running). */
export class ConflictError extends AppError {
  constructor(message: string) {
    super("CONFLICT", message);
  }
}

/** The input is well-formed but cannot be done as asked; the message says why. */
export class BadRequestError extends AppError {
  constructor(message: string) {
    super("BAD_REQUEST", message);
  }
}

/** The caller's role does not allow this; the message names the role and the action. */
export class ForbiddenError extends AppError {
  constructor(message: string) {
    super("FORBIDDEN", message);
  }
}

export const QUOTA_NAMES = ["concurrentJobs", "videosPerDay", "minutesPerMonth", "maxLengthSec", "libraryMb", "aiSpendPerMonth"] as const;
export type QuotaName = (typeof QUOTA_NAMES)[number];

/** A workspace quota is reached; the response names it. */
export class QuotaError extends AppError {
  constructor(
    readonly quota: QuotaName,
    message: string,
  ) {
    super("TOO_MANY_REQUESTS", message, { quota });
  }
}
