// Captions once: the brief's captions mode decides what the worker burns into the picture and
// what the player offers, and the two never show together.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { renderSpecSchema } from "@aura/render-contract";
import { Player } from "../../../../../app/_components/player.tsx";
import { writeOfflineScript } from "../../../../../server/pipeline/script/offline-writer.ts";
import { buildRenderSpec } from "../../../../../server/pipeline/timeline/build-spec.ts";
import { briefSchema, CAPTIONS_MODES, captionsModeOf, captionsTrackOf, storedBriefSchema, type CaptionsMode } from "../../../../../server/videos/brief.ts";

const input = {
  topic: "Tides. The moon pulls the oceans.",
  audience: "sailors",
  tone: "serious",
  targetLengthSec: 30,
  aspectRatio: "16:9",
  voice: "en-gb-male",
  visualStyle: "midnight",
  music: "none",
} as const;
const script = writeOfflineScript(briefSchema.parse(input));
const media = script.scenes.map((_, i) => ({ narrationKey: `n/${i}.wav`, narrationSec: 4, imageKey: `v/${i}.png` }));
const specFor = (mode: CaptionsMode) =>
  renderSpecSchema.parse(
    buildRenderSpec({
      brief: briefSchema.parse({ ...input, captionsMode: mode }),
      script,
      media,
      output: { video: "o/v.mp4", poster: "o/p.jpg", srt: "o/v.srt", vtt: "o/v.vtt" },
    }),
  );

const playerHtml = (mode: CaptionsMode, brief: Record<string, unknown> = { captions: true, language: "es" }) =>
  renderToStaticMarkup(
    createElement(Player, {
      src: "/v.mp4",
      poster: null,
      vtt: "/v.vtt",
      track: captionsTrackOf({ ...brief, captionsMode: mode }),
      portrait: false,
      chapters: [],
      testId: "player",
    }),
  );

describe("captions mode", () => {
  test("a brief without it, new or stored, burns captions in, as every video did", () => {
    assert.equal(briefSchema.parse(input).captionsMode, "burned");
    assert.equal(storedBriefSchema.parse(input).captionsMode, "burned");
    assert.equal(captionsModeOf({ ...input }), "burned");
    assert.equal(captionsModeOf(null), "burned");
    assert.equal(captionsModeOf({ captionsMode: "sideways" }), "burned");
    assert.equal(captionsModeOf({ captionsMode: "track" }), "track");
    assert.throws(() => briefSchema.parse({ ...input, captionsMode: "sideways" }), /Captions mode must be one of: burned, track, both/);
  });

  test("the worker burns the cues in for burned and both, not for a track; the cues (the sidecar track) are there in every mode", () => {
    const burned = Object.fromEntries(CAPTIONS_MODES.map((mode) => [mode, specFor(mode).captions.enabled]));
    assert.deepEqual(burned, { burned: true, track: false, both: true });
    for (const mode of CAPTIONS_MODES) assert.ok(specFor(mode).captions.cues.length > 0, `${mode}: cues for the sidecar files`);
    assert.equal(
      renderSpecSchema.parse(
        buildRenderSpec({
          brief: briefSchema.parse({ ...input, captions: false, captionsMode: "both" }),
          script,
          media,
          output: { video: "o/v.mp4", poster: "o/p.jpg" },
        }),
      ).captions.enabled,
      false,
    );
  });

  test("the player offers no track over burned captions, and never turns one on by itself", () => {
    assert.doesNotMatch(playerHtml("burned"), /<track/);
    for (const mode of ["track", "both"] as const) {
      const html = playerHtml(mode);
      assert.match(html, /<track kind="captions" srcLang="es"[^>]*src="\/v.vtt"/, mode);
      assert.doesNotMatch(html, /<track[^>]*default/, `${mode}: the track is off until the viewer turns it on`);
      assert.doesNotMatch(playerHtml(mode, { captions: false }), /<track/, `${mode}: no track when captions are off`);
    }
  });
});
