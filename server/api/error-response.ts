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

/** How a route answers errors: plainNotFound says only "Not found" for any not-found (the
 *  media doors name nothing); text answers with the message as plain text (the metrics
 *  endpoint, read by Prometheus) instead of the JSON body. */
export type ErrorResponseOptions = { plainNotFound?: boolean; text?: boolean };

/** The response for any error; `logAs` is what an internal error is logged as. */
export function errorResponse(error: unknown, logAs = "request failed", options: ErrorResponseOptions = {}) {
  const known = toAppError(error);
  // An internal error is logged and says nothing more, even one thrown as an AppError.
  const found = known?.code === "INTERNAL" ? null : known;
  if (!found) log.error(logAs, { error: (error as Error)?.message ?? String(error) });
  const app = !found
    ? new AppError("INTERNAL", INTERNAL_MESSAGE)
    : found.code === "NOT_FOUND" && options.plainNotFound
      ? new AppError("NOT_FOUND", "Not found")
      : found;
  const { fields, quota, headers } = app.data;
  const init = { status: ERROR_CODES[app.code].status, headers };
  return options.text ? new Response(`${app.message}\n`, init) : Response.json(errorBodySchema.parse({ error: app.message, fields, quota }), init);
}

/** A route handler whose thrown errors become responses the one way. */
export function handleErrors<A extends unknown[]>(logAs: string, fn: (...args: A) => Promise<Response>, options: ErrorResponseOptions = {}) {
  return async (...args: A) => {
    try {
      return await fn(...args);
    } catch (error) {
      return errorResponse(error, logAs, options);
    }
  };
}
