// What the share-link procedures return.
import { z } from "zod";
import type { revokeShareLink } from "../../sharing/service.ts";
import type { revokedSchema, Expect, Returned, Same } from "./common.ts";

/** A link as its owners see it (never the workspace or video behind it). */
export const shareLinkSchema = z.object({ id: z.string(), token: z.string(), expiresAt: z.date().nullable(), views: z.number(), createdAt: z.date() });

export type ShareSchemaChecks = [Expect<Same<z.output<typeof revokedSchema>, Returned<typeof revokeShareLink>>>];
