// What the media library's procedures return (and the upload routes' item, and the REST API's).
import { z } from "zod";
import type { getMediaItemOrThrow, listMediaItems, removeMediaItem } from "../../library/service.ts";
import type { removedSchema, Expect, Returned, Same } from "./common.ts";

export const mediaKindSchema = z.enum(["image", "video", "audio"]);

export const mediaItemSchema = z.object({
  id: z.string(),
  kind: mediaKindSchema,
  name: z.string(),
  tags: z.array(z.string()),
  mimeType: z.string(),
  bytes: z.number().describe("Size of the original file"),
  width: z.number().int().nullable().describe("Pixels as shown; null for audio"),
  height: z.number().int().nullable(),
  durationSec: z.number().nullable().describe("Length of a clip or audio; null for a picture"),
  hasAudio: z.boolean().describe("A clip with its own sound; true for audio"),
  createdById: z.string().nullable(),
  createdAt: z.date(),
  fileUrl: z.string().describe("The original, for signed-in members (supports Range)"),
  thumbnailUrl: z.string().describe("A small JPEG, for signed-in members"),
});

export const mediaPageSchema = z.object({
  items: z.array(mediaItemSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export type LibrarySchemaChecks = [
  Expect<Same<z.output<typeof mediaItemSchema>, Returned<typeof getMediaItemOrThrow>>>,
  Expect<Same<z.output<typeof mediaPageSchema>, Returned<typeof listMediaItems>>>,
  Expect<Same<z.output<typeof removedSchema>, Returned<typeof removeMediaItem>>>,
];
