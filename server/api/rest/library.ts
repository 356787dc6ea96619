// REST endpoints for the media library: upload (the file as the body), list and search, one
// item, rename and tag, delete, and the file and thumbnail. Each acts only in the API key's
// workspace (another workspace's item is a 404); each JSON body goes through its schema in
// ./schemas.ts, the same the OpenAPI document is made from.
import type { z } from "zod";
import { declaredLength } from "../../lib/capped-stream.ts";
import {
  addMediaItem,
  getMediaFileOrThrow,
  getMediaItemOrThrow,
  listMediaItems,
  mediaListSchema,
  type MediaItemView,
  mediaUpdateSchema,
  removeMediaItem,
  updateMediaItem,
} from "../../library/service.ts";
import { mediaResponse } from "../../videos/media.ts";
import { apiRoute, readJson, shapeResponse } from "./handler.ts";
import { restMediaItemSchema, restMediaPageSchema, restRemovedSchema } from "./schemas.ts";

function restItem({ fileUrl: _file, thumbnailUrl: _thumbnail, ...item }: MediaItemView): z.input<typeof restMediaItemSchema> {
  const self = `/api/v1/library/${item.id}`;
  return { ...item, createdAt: item.createdAt.toISOString(), links: { self, file: `${self}/file`, thumbnail: `${self}/thumbnail` } };
}

export const uploadMediaRoute = apiRoute("library.upload", async (ctx) => {
  const name = new URL(ctx.request.url).searchParams.get("name") ?? "";
  const item = await addMediaItem(ctx, { name, body: ctx.request.body, declaredBytes: declaredLength(ctx.request) }, ctx.request.signal);
  return Response.json(shapeResponse(restMediaItemSchema, restItem(item)), { status: 201, headers: { location: `/api/v1/library/${item.id}` } });
});

export const listMediaRoute = apiRoute("library.view", async (ctx) => {
  const params = Object.fromEntries(new URL(ctx.request.url).searchParams);
  const page = await listMediaItems(ctx, mediaListSchema.parse({ ...params, kind: params.kind || undefined }));
  return Response.json(shapeResponse(restMediaPageSchema, { ...page, items: page.items.map(restItem) }));
});

export const getMediaRoute = apiRoute<{ id: string }>("library.view", async (ctx, { id }) =>
  Response.json(shapeResponse(restMediaItemSchema, restItem(await getMediaItemOrThrow(ctx, id)))),
);

export const updateMediaRoute = apiRoute<{ id: string }>("library.upload", async (ctx, { id }) => {
  const item = await updateMediaItem(ctx, id, mediaUpdateSchema.parse(await readJson(ctx.request)));
  return Response.json(shapeResponse(restMediaItemSchema, restItem(item)));
});

export const removeMediaRoute = apiRoute<{ id: string }>("library.upload", async (ctx, { id }) =>
  Response.json(shapeResponse(restRemovedSchema, await removeMediaItem(ctx, id))),
);

export const mediaFileRoute = apiRoute<{ id: string }>("library.view", async (ctx, { id }) => {
  const file = await getMediaFileOrThrow(ctx, id, "original");
  return mediaResponse(file, ctx.request, { download: new URL(ctx.request.url).searchParams.get("download") === "1" ? file.name : null });
});

export const mediaThumbnailRoute = apiRoute<{ id: string }>("library.view", async (ctx, { id }) =>
  mediaResponse(await getMediaFileOrThrow(ctx, id, "thumbnail"), ctx.request),
);
