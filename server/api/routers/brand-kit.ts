// The active workspace's brand kit: every member reads it, admins and owners change it. The
// caption font is uploaded through /api/brand-kit/font (the file as the request body).
import { brandKitSchema, brandKitUpdateSchema } from "../../brand/schema.ts";
import { getBrandKit, removeBrandFont, updateBrandKit } from "../../brand/service.ts";
import { requirePermission, router, workspaceProcedure } from "../trpc.ts";

export const brandKitRouter = router({
  get: workspaceProcedure
    .use(requirePermission("brand.view"))
    .output(brandKitSchema)
    .query(({ ctx }) => getBrandKit(ctx)),
  update: workspaceProcedure
    .input(brandKitUpdateSchema)
    .use(requirePermission("brand.manage"))
    .output(brandKitSchema)
    .mutation(({ ctx, input }) => updateBrandKit(ctx, input)),
  removeFont: workspaceProcedure
    .use(requirePermission("brand.manage"))
    .output(brandKitSchema)
    .mutation(({ ctx }) => removeBrandFont(ctx)),
});
