// What the share-link procedures return.
import { z } from "zod";

export const shareLinkSchema = z.object({ id: z.string(), token: z.string(), expiresAt: z.date().nullable(), views: z.number(), createdAt: z.date() });
