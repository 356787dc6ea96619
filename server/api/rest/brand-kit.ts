// REST endpoints for the API key's workspace's brand kit: read it, change it, set or remove its
// caption font (the file as the body). Bodies go through the schemas the OpenAPI document is
// made from (brand/schema.ts).
import { brandKitSchema, brandKitUpdateSchema } from "../../brand/schema.ts";
import { getBrandKit, removeBrandFont, setBrandFont, updateBrandKit } from "../../brand/service.ts";
import { declaredLength } from "../../lib/capped-stream.ts";
import { apiRoute, readJson, shapeResponse } from "./handler.ts";

export const getBrandKitRoute = apiRoute("brand.view", async (ctx) => Response.json(shapeResponse(brandKitSchema, await getBrandKit(ctx))));

export const updateBrandKitRoute = apiRoute("brand.manage", async (ctx) => {
  const kit = await updateBrandKit(ctx, brandKitUpdateSchema.parse(await readJson(ctx.request)));
  return Response.json(shapeResponse(brandKitSchema, kit));
});

export const uploadBrandFontRoute = apiRoute("brand.manage", async (ctx) => {
  const name = new URL(ctx.request.url).searchParams.get("name") ?? "";
  const kit = await setBrandFont(ctx, { name, body: ctx.request.body, declaredBytes: declaredLength(ctx.request) }, ctx.request.signal);
  return Response.json(shapeResponse(brandKitSchema, kit));
});

export const removeBrandFontRoute = apiRoute("brand.manage", async (ctx) => Response.json(shapeResponse(brandKitSchema, await removeBrandFont(ctx))));
