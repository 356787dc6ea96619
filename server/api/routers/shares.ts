// Public share links of the active workspace's videos (editors and up create and revoke).
import { z } from "zod";
import { createShareLink, listShareLinks, revokeShareLink, shareInputSchema } from "../../sharing/service.ts";
import { requirePermission, router, workspaceProcedure } from "../trpc.ts";
import { revokedSchema } from "../schemas/common.ts";
import { shareLinkSchema } from "../schemas/shares.ts";

const manage = requirePermission("share.manage");
export const sharesRouter = router({
  list: workspaceProcedure
    .input(z.object({ videoId: z.string().min(1) }))
    .use(manage)
    .output(z.array(shareLinkSchema))
    .query(({ ctx, input }) => listShareLinks(ctx, input.videoId)),
  create: workspaceProcedure
    .input(shareInputSchema)
    .use(manage)
    .output(shareLinkSchema)
    .mutation(({ ctx, input }) => createShareLink(ctx, input)),
  revoke: workspaceProcedure
    .input(z.object({ linkId: z.string().min(1) }))
    .use(manage)
    .output(revokedSchema)
    .mutation(({ ctx, input }) => revokeShareLink(ctx, input.linkId)),
});
