// Quick Demo: one click makes a short video from a known-good script. The script is fixed, so
// a failure can only come from the voice, picture or render stages: a first run and an
// end-to-end health check of the workspace's providers in one.
import type { Prisma } from "../db/client.ts";
import type { ServiceContext } from "../lib/service-context.ts";
import { DEMO_WRITER, scriptSchema, type Script } from "../pipeline/script/types.ts";
import { briefSchema } from "./brief.ts";
import { createVideo } from "./service.ts";

export const DEMO_BRIEF = briefSchema.parse({
  language: "en",
  topic: "Quick demo: how Aura turns a brief into a narrated video",
  audience: "people trying Aura for the first time",
  tone: "friendly",
  targetLengthSec: 20,
  aspectRatio: "16:9",
  voice: "en-us-female",
  visualStyle: "modern",
  music: "calm",
  captions: true,
});

export const DEMO_SCRIPT: Script = scriptSchema.parse({
  title: "Aura Quick Demo",
  writer: DEMO_WRITER,
  scenes: [
    {
      id: "scene-1",
      role: "hook",
      title: "From Words to Video",
      narration: "What if a short brief could become a finished, narrated video in a minute?",
      visualPrompt: "a notebook page turning into a film strip, soft light",
      keywords: ["notebook", "film"],
    },
    {
      id: "scene-2",
      role: "body",
      title: "Voice and Pictures",
      narration: "Aura writes the script, gives every scene a voice, and finds a picture for each one.",
      visualPrompt: "a microphone beside a stack of colourful photographs on a desk",
      keywords: ["microphone", "photographs"],
    },
    {
      id: "scene-3",
      role: "close",
      title: "Ready to Share",
      narration: "Then it renders the video with captions and music. Now write your own brief!",
      visualPrompt: "a laptop playing a video in a bright, friendly workspace",
      keywords: ["laptop", "video"],
    },
  ],
});

export async function createDemoVideo(ctx: ServiceContext) {
  const { db } = ctx;
  const created = await createVideo(ctx, DEMO_BRIEF);
  await db.video.update({ where: { id: created.video.id }, data: { script: DEMO_SCRIPT as unknown as Prisma.InputJsonValue, title: DEMO_SCRIPT.title } });
  return created;
}
