// The active workspace's reference documents: list, search (to see what a script would get)
// and remove. Uploads go through /api/knowledge (multipart).
import { z } from "zod";
import { listDocuments, removeDocument, searchKnowledge } from "../../knowledge/service.ts";
import { requirePermission, router, workspaceProcedure } from "../trpc.ts";
import { removedSchema } from "../schemas/common.ts";
import { documentSchema, passageSchema } from "../schemas/knowledge.ts";

export const knowledgeRouter = router({
  list: workspaceProcedure
    .use(requirePermission("knowledge.view"))
    .output(z.array(documentSchema))
    .query(({ ctx }) => listDocuments(ctx)),
  search: workspaceProcedure
    .input(z.object({ query: z.string().trim().min(2, "Query must be at least 2 characters").max(500) }))
    .use(requirePermission("knowledge.view"))
    .output(z.array(passageSchema))
    .query(({ ctx, input }) => searchKnowledge(ctx, input.query, { limit: 5 })),
  remove: workspaceProcedure
    .input(z.object({ documentId: z.string().min(1) }))
    .use(requirePermission("knowledge.manage"))
    .output(removedSchema)
    .mutation(({ ctx, input }) => removeDocument(ctx, input.documentId)),
});
