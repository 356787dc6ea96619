// Public share links of the active workspace's videos (editors and up create and revoke).
import { z } from "zod";
import { createShareLink, listShareLinks, revokeShareLink, shareInputSchema } from "../../sharing/service.ts";
import { requirePermission, router, workspaceProcedure } from "../trpc.ts";
import { revokedSchema } from "../schemas/common.ts";
import { shareLinkSchema } from "../schemas/shares.ts";

const manage = requirePermission("share.manage");
const linkView = (l: { id: string; token: string; expiresAt: Date | null; views: number; createdAt: Date }) => ({
  id: l.id,
  token: l.token,
  expiresAt: l.expiresAt,
  views: l.views,
  createdAt: l.createdAt,
});

export const sharesRouter = router({
  list: workspaceProcedure
    .input(z.object({ videoId: z.string().min(1) }))
    .use(manage)
    .output(z.array(shareLinkSchema))
    .query(async ({ ctx, input }) => (await listShareLinks(ctx, input.videoId)).map(linkView)),
  create: workspaceProcedure
    .input(shareInputSchema)
    .use(manage)
    .output(shareLinkSchema)
    .mutation(async ({ ctx, input }) => linkView(await createShareLink(ctx, input))),
  revoke: workspaceProcedure
    .input(z.object({ linkId: z.string().min(1) }))
    .use(manage)
    .output(revokedSchema)
    .mutation(({ ctx, input }) => revokeShareLink(ctx, input.linkId)),
});
