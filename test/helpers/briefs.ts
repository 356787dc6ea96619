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
