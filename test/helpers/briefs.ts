// A plain brief for the script writers' unit tests, with any field changed.
import { briefSchema, type Brief } from "../../server/videos/brief.ts";

/** "The history of coffee" for curious teenagers, 60 s, friendly; `over` changes any field. */
export const coffeeBrief = (over: Partial<Brief> = {}): Brief =>
  briefSchema.parse({
    topic: "The history of coffee",
    audience: "curious teenagers",
    tone: "friendly",
    targetLengthSec: 60,
    aspectRatio: "16:9",
    voice: "en-us-male",
    visualStyle: "modern",
    ...over,
  });

/** A short Draft brief about a harbour (15 s, no music), as the many-video tests and benches
 *  send it: the plain input, before the schema (`label` tells the videos apart). */
export const harbourBriefInput = (label: string) => ({
  topic: `Harbour ${label}. Ships rest there at night. Cranes unload them by day.`,
  audience: "sailors",
  tone: "informative",
  targetLengthSec: 15,
  aspectRatio: "16:9",
  voice: "en-gb-male",
  visualStyle: "minimal",
  music: "none",
  quality: "draft",
});
