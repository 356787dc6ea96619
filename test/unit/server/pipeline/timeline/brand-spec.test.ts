// The brand kit in the render spec: the logo as an image watermark (over the brief's text),
// the intro card and clips as shots without narration before and after the scenes (captions,
// titles and chapters move with them), the caption colours and font, the kit's music; and a
// spec without a kit is the same as before kits.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chapterList, computeTiming, renderSpecSchema } from "@aura/render-contract";
import { TRANSITION_SEC } from "../../../../../server/pipeline/pacing.ts";
import { writeOfflineScript } from "../../../../../server/pipeline/script/offline-writer.ts";
import { buildRenderSpec, INTRO_CARD_SEC, type SpecBrand } from "../../../../../server/pipeline/timeline/build-spec.ts";
import { briefSchema } from "../../../../../server/videos/brief.ts";

const brief = briefSchema.parse({
  topic: "Tides. The moon pulls the oceans.",
  audience: "sailors",
  tone: "serious",
  targetLengthSec: 30,
  aspectRatio: "16:9",
  voice: "en-gb-male",
  visualStyle: "midnight",
  music: "calm",
  titles: true,
  watermark: { text: "Tide Co", position: "top-left" },
  brand: { use: true },
});
const script = writeOfflineScript(brief);
const media = script.scenes.map((_, i) => ({ narrationKey: `n/${i}.wav`, narrationSec: 3 + i * 0.5, imageKey: `v/${i}.png` }));
const output = { video: "o/v.mp4", poster: "o/p.jpg" };
const kit: SpecBrand = {
  captionColor: "#FF00AA",
  captionHighlightColor: "#00FF00",
  watermark: { key: "b/logo.png", position: "top-right", opacity: 0.9 },
  introCard: null,
  intro: null,
  outro: null,
  font: { key: "b/caption-font.ttf", family: "Brand Sans" },
  music: { key: "b/music.mp3" },
};

describe("render spec with a brand kit", () => {
  const plain = renderSpecSchema.parse(buildRenderSpec({ brief, script, media, output }));
  const branded = renderSpecSchema.parse(buildRenderSpec({ brief, script, media, output, brand: kit }));

  test("the logo is the watermark, in the kit's corner at the kit's opacity", () => {
    assert.deepEqual(branded.watermark, { source: { kind: "image", key: "b/logo.png" }, position: "top-right", opacity: 0.9, margin: 0.04 });
    assert.equal(plain.watermark?.source.kind, "text", "without a kit, the brief's own text");
  });

  test("captions take the kit's colours and font; the music is the kit's track", () => {
    assert.equal(branded.captions.style.color, "#FF00AA");
    assert.equal(branded.captions.style.highlightColor, "#00FF00");
    assert.equal(branded.captions.style.fontKey, "b/caption-font.ttf");
    assert.equal(branded.captions.style.fontFamily, "Brand Sans");
    assert.deepEqual(branded.music?.source, { kind: "asset", key: "b/music.mp3" });
    assert.deepEqual(plain.music?.source, { kind: "generated", mood: "calm" });
    assert.equal(plain.captions.style.fontKey, undefined);
  });

  test("generated music carries the video's id as its seed; the kit's track needs none", () => {
    const seeded = renderSpecSchema.parse(buildRenderSpec({ brief, script, media, output, musicSeed: "cm0video1" }));
    assert.deepEqual(seeded.music?.source, { kind: "generated", mood: "calm", seed: "cm0video1" });
    const withKit = renderSpecSchema.parse(buildRenderSpec({ brief, script, media, output, brand: kit, musicSeed: "cm0video1" }));
    assert.deepEqual(withKit.music?.source, { kind: "asset", key: "b/music.mp3" });
  });

  test("the intro card, intro and outro clips are shots without narration around the scenes", () => {
    const clip = { durationSec: 4, width: 1920, height: 1080, hasAudio: true };
    const spec = renderSpecSchema.parse(
      buildRenderSpec({
        brief,
        script,
        media,
        output,
        brand: {
          ...kit,
          watermark: null,
          introCard: { key: "b/intro-card.png" },
          intro: { key: "b/intro.mp4", ...clip },
          outro: { key: "b/outro.mp4", ...clip, hasAudio: false },
        },
      }),
    );
    const n = spec.scenes.length;
    assert.equal(n, plain.scenes.length + 3);
    assert.deepEqual(
      { image: spec.scenes[0]!.image, narration: spec.scenes[0]!.narration, duration: spec.scenes[0]!.duration },
      { image: "b/intro-card.png", narration: null, duration: INTRO_CARD_SEC + TRANSITION_SEC },
    );
    assert.deepEqual(spec.scenes[1]!.clip, { key: "b/intro.mp4", start: 0, volumeDb: 0, fit: "crop" });
    assert.equal(spec.scenes[1]!.narration, null);
    assert.deepEqual(spec.scenes[n - 1]!.clip, { key: "b/outro.mp4", start: 0, volumeDb: null, fit: "crop" });
    assert.equal(spec.scenes[2]!.narration, "n/0.wav", "the first scene follows the intro");
    assert.equal(spec.watermark?.source.kind, "text", "the logo as an intro card leaves the brief's watermark");

    // Captions, the title and chapters move with the scenes, by the intro's length.
    const timing = computeTiming(spec);
    const shift = timing.scenes[2]!.startSec;
    assert.ok(shift > INTRO_CARD_SEC + 3);
    assert.ok(Math.abs(spec.captions.cues[0]!.start - (plain.captions.cues[0]!.start + shift)) < 0.002);
    const title = spec.overlays.find((o) => o.kind === "title")!;
    assert.ok(title.start > shift, "the title shows over the first scene, not the intro");
    const chapters = chapterList(spec, timing).map((c) => c.title);
    assert.deepEqual([chapters[0], chapters[1], chapters.at(-1)], ["Intro", "Intro", "Outro"]);
    assert.equal(chapters.length, script.scenes.length + 3);
  });

  test("an intro clip longer than 30 s plays its first 30 s", () => {
    const spec = buildRenderSpec({
      brief,
      script,
      media,
      output,
      brand: { ...kit, intro: { key: "b/long.mp4", durationSec: 95, width: 640, height: 480, hasAudio: false } },
    });
    assert.equal(spec.scenes[0]!.duration, 30);
    assert.equal(spec.scenes[0]!.clip?.fit, "crop");
  });
});
