// What the knowledge procedures return (and the upload route's document).
import { z } from "zod";
import type { listDocuments, removeDocument, searchKnowledge } from "../../knowledge/service.ts";
import type { removedSchema, Expect, Returned, Same } from "./common.ts";

export const documentSchema = z.object({
  id: z.string(),
  name: z.string(),
  mimeType: z.string(),
  bytes: z.number(),
  chunkCount: z.number(),
  embeddingProvider: z.string().nullable(),
  embeddingModel: z.string().nullable(),
  createdAt: z.date(),
});
export const passageSchema = z.object({
  documentId: z.string(),
  document: z.string(),
  chunk: z.number(),
  text: z.string(),
  score: z.number(),
  method: z.enum(["keyword", "hybrid"]),
});

export type KnowledgeSchemaChecks = [
  Expect<Same<z.output<typeof documentSchema>[], Returned<typeof listDocuments>>>,
  Expect<Same<z.output<typeof passageSchema>[], Returned<typeof searchKnowledge>>>,
  Expect<Same<z.output<typeof removedSchema>, Returned<typeof removeDocument>>>,
];
