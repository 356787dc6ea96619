// The one way an error becomes an HTTP response, for the REST API and every route handler:
// an AppError by its code's status (server/lib/errors.ts) with a JSON body { error, fields?,
// quota? }, invalid input (zod) as a 400 naming each field, anything else as a logged 500
// that says nothing more.
import { z, ZodError } from "zod";
import { AppError, ERROR_CODES, QUOTA_NAMES } from "../lib/errors.ts";
import { log } from "../lib/log.ts";
import { fieldErrors } from "../videos/brief.ts";

export const INTERNAL_MESSAGE = "Something went wrong on our side. It has been logged.";

/** Every error response's body: a message for people, each invalid field's message, the quota reached. */
export const errorBodySchema = z.object({
  error: z.string(),
  fields: z.record(z.string(), z.string()).optional().describe("Invalid input: a message per field"),
  quota: z.enum(QUOTA_NAMES).optional().describe("The workspace quota that was reached (429)"),
});

/** The error as an AppError: itself, invalid input as BAD_REQUEST with its fields, or null (internal). */
export function toAppError(error: unknown) {
  if (error instanceof AppError) return error;
  if (error instanceof ZodError) {
    const fields = fieldErrors(error);
    return new AppError(
      "BAD_REQUEST",
      Object.entries(fields)
        .map(([f, m]) => `${f}: ${m}`)
        .join("; "),
      { fields },
    );
  }
  return null;
}

/** The response for any error; `logAs` is what an internal error is logged as. With
 *  plainNotFound, a not-found says only "Not found" (the media doors name nothing). */
export function errorResponse(error: unknown, logAs = "request failed", options: { plainNotFound?: boolean } = {}) {
  const found = toAppError(error);
  const app = found?.code === "NOT_FOUND" && options.plainNotFound ? new AppError("NOT_FOUND", "Not found") : found;
  if (!app) {
    log.error(logAs, { error: (error as Error)?.message ?? String(error) });
    return Response.json(errorBodySchema.parse({ error: INTERNAL_MESSAGE }), { status: ERROR_CODES.INTERNAL.status });
  }
  const { fields, quota, headers } = app.data;
  return Response.json(errorBodySchema.parse({ error: app.message, fields, quota }), { status: ERROR_CODES[app.code].status, headers });
}

/** A route handler whose thrown errors become responses the one way. */
export function handleErrors<A extends unknown[]>(logAs: string, fn: (...args: A) => Promise<Response>, options: { plainNotFound?: boolean } = {}) {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      return errorResponse(error, logAs, options);
    }
  };
}
