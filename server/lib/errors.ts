// Errors services throw on purpose, each mapped to one response in one place
// (server/api/trpc.ts for tRPC, server/api/rest for the REST API). Their messages are
// written for the user; anything else is an internal error and is logged, not shown.

/** The object does not exist in the caller's workspace (another workspace's object too). */
export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} not found`);
  }
}

/** The request conflicts with the object's state (a retry while one is running). */
export class ConflictError extends Error {}

/** The input is well-formed but cannot be done as asked; the message says why. */
export class BadRequestError extends Error {}

/** The caller's role does not allow this; the message names the role and the action. */
export class ForbiddenError extends Error {}
