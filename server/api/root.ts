import { jobsRouter } from "./routers/jobs.ts";
import { videosRouter } from "./routers/videos.ts";
import { router } from "./trpc.ts";

export const appRouter = router({ videos: videosRouter, jobs: jobsRouter });
export type AppRouter = typeof appRouter;
