// Pieces the procedures' output schemas share, and the check that keeps each schema equal
// to what its service returns: an output schema strips any field it does not name, so a
// field added to a service and not to its schema fails the typecheck instead of vanishing.
import { z } from "zod";
import type { Prisma } from "../../db/client.ts";

/** A row id sent back as a cursor (an event id, an audit entry id): digits that fit PostgreSQL's bigint. */
export const rowCursorSchema = z
  .string()
  .regex(/^\d{1,19}$/, "must be a row id")
  .refine((v) => BigInt(v) <= 9223372036854775807n, "must be a row id")
  .transform((v) => BigInt(v));

export const revokedSchema = z.object({ revoked: z.boolean() });
export const deletedSchema = z.object({ deleted: z.boolean() });
export const removedSchema = z.object({ removed: z.boolean() });

/** A stored JSON column, passed on as it is (not validated again). */
export const jsonValue = z.custom<Prisma.JsonValue>();

/** A failed job's error: its stage, the provider that failed, the reason. */
export const jobErrorSchema = z.object({ stage: z.string().nullable(), provider: z.string().nullable(), reason: z.string() });

/** True when each type is assignable to the other (so the schema names every field). */
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export type Expect<T extends true> = T;
/** Looser, for results that are unions of object shapes: the value fits the schema and no
 *  top-level field is missing from it. */
export type Fits<S, R> = [R] extends [S] ? ([Exclude<keyof R, keyof S>] extends [never] ? true : false) : false;
/** What a service function resolves to. */
export type Returned<F extends (...args: never[]) => unknown> = Awaited<ReturnType<F>>;
