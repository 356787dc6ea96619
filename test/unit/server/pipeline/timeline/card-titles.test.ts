// The titles a video's cards leave to the render: each card's title is drawn over its shot
// only between transitions, after the opening title, and a scene whose card shows its name
// gets no lower third repeating it.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { computeTiming, renderSpecSchema } from "@aura/render-contract";
import { writeOfflineScript } from "../../../../../server/pipeline/script/offline-writer.ts";
import { buildRenderSpec, type SceneMedia } from "../../../../../server/pipeline/timeline/build-spec.ts";
import { briefSchema } from "../../../../../server/videos/brief.ts";

const brief = briefSchema.parse({
  topic: "Tides. The moon pulls the oceans.",
  audience: "sailors",
  tone: "serious",
  targetLengthSec: 30,
  aspectRatio: "9:16",
  voice: "en-gb-male",
  visualStyle: "midnight",
  music: "none",
  titles: true,
});
const script = writeOfflineScript(brief);
const box = { x: 0.1, y: 0.2, width: 0.8, height: 0.4 };
/** Scene 2 (index 1) is a photograph; the others are cards, the first of two shots. */
const media: SceneMedia[] = script.scenes.map((scene, i) => ({
  narrationKey: `n/${i}.wav`,
  narrationSec: 7,
  imageKey: `v/${i}.png`,
  shots:
    i === 1
      ? [{ kind: "image", key: `v/${i}.png` }]
      : (i === 0 ? [0, 1] : [0]).map((k) => ({
          kind: "image" as const,
          key: `v/${i}-${k}.png`,
          cardTitle: { text: k ? "Second shot" : scene.title, box, color: "#E0E7FF" },
        })),
}));
const spec = renderSpecSchema.parse(buildRenderSpec({ brief, script, media, output: { video: "o/v.mp4", poster: "o/p.jpg" } }));
const timing = computeTiming(spec);
const transitions = timing.scenes.slice(1).map((s) => [s.startSec, s.startSec + timing.transitionFrames / spec.fps] as const);

describe("cards' titles drawn by the render", () => {
  test("each card's title is an overlay in its box and colour; the photograph's scene keeps its lower third, the cards' scenes have none", () => {
    const cards = spec.overlays.filter((o) => o.kind === "card");
    assert.deepEqual(
      cards.map((o) => o.text),
      // The first shot is the opening title's: its card's title has no time left to be read.
      ["Second shot", ...script.scenes.slice(2).map((s) => s.title)],
    );
    for (const card of cards) assert.deepEqual([card.box, card.color], [box, "#E0E7FF"]);
    assert.deepEqual(
      spec.overlays.filter((o) => o.kind === "lower-third").map((o) => o.text),
      [script.scenes[1]!.title],
    );
  });

  test("no title shows during a transition, and none over another", () => {
    for (const o of spec.overlays.filter((o) => o.kind === "card"))
      for (const [from, to] of transitions) assert.ok(o.end <= from || o.start >= to, `"${o.text}" is gone during the transition at ${from} s`);
    const sorted = [...spec.overlays].sort((a, b) => a.start - b.start);
    for (const [i, o] of sorted.slice(1).entries()) assert.ok(o.start >= sorted[i]!.end, `"${o.text}" starts after "${sorted[i]!.text}" ends`);
    const title = spec.overlays.find((o) => o.kind === "title")!;
    assert.ok(spec.overlays.find((o) => o.kind === "card")!.start >= title.end + 0.2, "the first card's title waits for the opening title");
  });
});
