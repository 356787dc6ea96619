import { adminRouter } from "./routers/admin.ts";
import { brandKitRouter } from "./routers/brand-kit.ts";
import { automationRouter } from "./routers/automation.ts";
import { jobsRouter } from "./routers/jobs.ts";
import { knowledgeRouter } from "./routers/knowledge.ts";
import { libraryRouter } from "./routers/library.ts";
import { providersRouter } from "./routers/providers.ts";
import { sharesRouter } from "./routers/shares.ts";
import { workspacesRouter } from "./routers/workspaces.ts";
import { videosRouter } from "./routers/videos.ts";
import { router } from "./trpc.ts";

export const appRouter = router({
  videos: videosRouter,
  jobs: jobsRouter,
  providers: providersRouter,
  knowledge: knowledgeRouter,
  library: libraryRouter,
  brandKit: brandKitRouter,
  workspaces: workspacesRouter,
  shares: sharesRouter,
  admin: adminRouter,
  automation: automationRouter,
});
export type AppRouter = typeof appRouter;
