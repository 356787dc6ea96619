import { z } from "zod";
import { requestVideoGeneration } from "../../workflow/client.ts";
import { briefSchema } from "../../videos/brief.ts";
import { tagsSchema } from "../../lib/tags.ts";
import { getVideoDetail, listVideos, setVideoTags, videoFilterSchema } from "../../videos/queries.ts";
import { createDemoVideo } from "../../videos/demo.ts";
import { getVoiceSample, voiceSampleInputSchema, voiceSampleSchema } from "../../videos/samples.ts";
import { shotCandidates, shotCandidatesSchema } from "../../videos/shot-candidates.ts";
import { createVideo, editScene, sceneEditSchema } from "../../videos/service.ts";
import { requirePermission, router, workspaceProcedure } from "../trpc.ts";
import { createdVideoSchema, editSceneResultSchema, tagsResultSchema, videoDetailSchema, videoListItemSchema } from "../schemas/videos.ts";

export const videosRouter = router({
  create: workspaceProcedure
    .input(briefSchema)
    .use(requirePermission("video.create"))
    .output(createdVideoSchema)
    .mutation(async ({ ctx, input }) => {
      const { video, job } = await createVideo(ctx, input);
      await requestVideoGeneration(job);
      return { videoId: video.id, jobId: job.id };
    }),
  /** Quick Demo: a short video from a known-good script, as a first run and a health check. */
  createDemo: workspaceProcedure
    .use(requirePermission("video.create"))
    .output(createdVideoSchema)
    .mutation(async ({ ctx }) => {
      const { video, job } = await createDemoVideo(ctx);
      await requestVideoGeneration(job);
      return { videoId: video.id, jobId: job.id };
    }),
  /** Edits one scene of a ready video and renders the video again (that scene's segments only). */
  editScene: workspaceProcedure
    .input(sceneEditSchema)
    .use(requirePermission("video.edit"))
    .output(editSceneResultSchema)
    .mutation(({ ctx, input }) => editScene(ctx, input)),
  /** Stock clips to choose from for a shot: each stock provider's results for its query. */
  shotCandidates: workspaceProcedure
    .input(shotCandidatesSchema)
    .use(requirePermission("video.edit"))
    .query(({ ctx, input, signal }) => shotCandidates(ctx, input, signal)),
  /** A short sentence in a brief voice, spoken by the workspace's voice chain (stored once). */
  voiceSample: workspaceProcedure
    .input(voiceSampleInputSchema)
    .use(requirePermission("video.create"))
    .output(voiceSampleSchema)
    .mutation(({ ctx, input, signal }) => getVoiceSample(ctx, input, signal)),
  list: workspaceProcedure
    .input(videoFilterSchema.optional())
    .output(z.array(videoListItemSchema))
    .query(({ ctx, input }) => listVideos(ctx, input ?? {})),
  setTags: workspaceProcedure
    .input(z.object({ videoId: z.string().min(1), tags: tagsSchema }))
    .use(requirePermission("video.edit"))
    .output(tagsResultSchema)
    .mutation(({ ctx, input }) => setVideoTags(ctx, input.videoId, input.tags)),
  get: workspaceProcedure
    .input(z.object({ videoId: z.string().min(1) }))
    .output(videoDetailSchema)
    .query(({ ctx, input }) => getVideoDetail(ctx, input.videoId)),
});
