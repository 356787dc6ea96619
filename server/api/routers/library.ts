// The active workspace's media library: list and search, one item, rename and tag, delete.
// Uploads go through /api/library (the file as the request body).
import { z } from "zod";
import { tagsSchema } from "../../lib/tags.ts";
import { MEDIA_KINDS } from "../../library/kinds.ts";
import { getMediaItemOrThrow, listMediaItems, mediaNameSchema, removeMediaItem, updateMediaItem } from "../../library/service.ts";
import { removedSchema } from "../schemas/common.ts";
import { mediaItemSchema, mediaPageSchema } from "../schemas/library.ts";
import { requirePermission, router, workspaceProcedure } from "../trpc.ts";

const itemId = z.string().min(1, "itemId is required").max(64);

export const libraryRouter = router({
  list: workspaceProcedure
    .input(
      z.object({
        q: z.string().trim().max(200, "Search must be at most 200 characters").default(""),
        kind: z.enum(MEDIA_KINDS).nullish(),
        page: z.number().int().min(1).max(10_000).default(1),
        pageSize: z.number().int().min(1).max(100).default(24),
      }),
    )
    .use(requirePermission("library.view"))
    .output(mediaPageSchema)
    .query(({ ctx, input }) => listMediaItems(ctx, { ...input, kind: input.kind ?? undefined })),
  get: workspaceProcedure
    .input(z.object({ itemId }))
    .use(requirePermission("library.view"))
    .output(mediaItemSchema)
    .query(({ ctx, input }) => getMediaItemOrThrow(ctx, input.itemId)),
  update: workspaceProcedure
    .input(z.object({ itemId, name: mediaNameSchema.optional(), tags: tagsSchema.optional() }))
    .use(requirePermission("library.upload"))
    .output(mediaItemSchema)
    .mutation(({ ctx, input: { itemId: id, ...update } }) => updateMediaItem(ctx, id, update)),
  remove: workspaceProcedure
    .input(z.object({ itemId }))
    .use(requirePermission("library.upload"))
    .output(removedSchema)
    .mutation(({ ctx, input }) => removeMediaItem(ctx, input.itemId)),
});
