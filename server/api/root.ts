import { jobsRouter } from "./routers/jobs.ts";
import { knowledgeRouter } from "./routers/knowledge.ts";
import { providersRouter } from "./routers/providers.ts";
import { videosRouter } from "./routers/videos.ts";
import { router } from "./trpc.ts";

export const appRouter = router({ videos: videosRouter, jobs: jobsRouter, providers: providersRouter, knowledge: knowledgeRouter });
export type AppRouter = typeof appRouter;
