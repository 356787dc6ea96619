// The quality report's assembly on fixed inputs: caption reading speeds, pictures a minute,
// frozen stretches expected on a still shot without motion, fallbacks to a built-in offline
// provider (by its tier) as "degraded", and the verdict.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { renderSpecSchema, type RenderQuality, type RenderSpecInput } from "@aura/render-contract";
import { assembleQualityReport, captionSpeeds, clock, fallbacksOf, picturesPerMinute } from "../../../../server/pipeline/render/quality-report.ts";

const input: RenderSpecInput = {
  version: 1,
  width: 640,
  height: 360,
  fps: 30,
  scenes: [
    { image: "in/a.png", narration: "in/1.wav", duration: 10, motion: { kind: "zoom-in", strength: 0.1 } },
    { image: "in/a.png", continues: true, narration: null, duration: 10, motion: { kind: "none", strength: 0.1 } },
    { clip: { key: "in/c.mp4" }, narration: "in/2.wav", duration: 10, motion: { kind: "none", strength: 0 } },
    { image: "in/b.png", narration: "in/3.wav", duration: 10.5, motion: { kind: "pan-left", strength: 0.1 } },
  ],
  transition: { kind: "crossfade", duration: 0.5 },
  captions: {
    enabled: true,
    cues: [
      { start: 0, end: 2, text: "Four words at ease." },
      { start: 2, end: 3, text: "This caption is far too long to be read in one second" },
    ],
  },
  music: null,
  loudness: { integratedLufs: -14, truePeakDb: -1.5 },
  output: { video: "out/v.mp4", poster: "out/p.jpg" },
};
const spec = renderSpecSchema.parse(input);
const clean: RenderQuality = { integratedLufs: -14.2, truePeakDb: -1.8, silences: [], blacks: [], freezes: [], elapsedSec: 1 };

describe("quality report", () => {
  test("caption reading speed per cue: characters a second with spaces, words a minute, fast above 20/s", () => {
    const [slow, fast] = captionSpeeds(spec.captions.cues);
    assert.deepEqual(slow, { start: 0, end: 2, charsPerSec: 9.5, wordsPerMin: 120, fast: false });
    assert.equal(fast!.charsPerSec, 53);
    assert.equal(fast!.wordsPerMin, 720);
    assert.equal(fast!.fast, true);
    assert.equal(fast!.text, "This caption is far too long to be read in one second");
    assert.deepEqual(captionSpeeds([{ start: 5, end: 5, text: "zero length" }]), [], "a cue without length has no speed");
  });

  test("pictures a minute count distinct stills and clips over the length", () => {
    assert.deepEqual(picturesPerMinute(spec, 39), { distinct: 3, perMinute: 4.6 });
    assert.deepEqual(picturesPerMinute(spec, 0), { distinct: 3, perMinute: 0 });
  });

  test("a clean render, but for a fast caption: warnings; a freeze on the still without motion is expected, on a clip it is not", () => {
    const report = assembleQualityReport({
      spec,
      durationSec: 39,
      measured: { ...clean, freezes: [{ start: 10.2, end: 19.5 }] },
      steps: [],
    });
    assert.equal(report.verdict, "warnings");
    assert.deepEqual(
      report.warnings.map((w) => w.kind),
      ["captions"],
    );
    assert.equal(report.freezes[0]!.expected, true);
    assert.deepEqual(report.loudness, { integratedLufs: -14.2, truePeakDb: -1.8, targetLufs: -14, ceilingDb: -1.5 });
    const onClip = assembleQualityReport({ spec, durationSec: 39, measured: { ...clean, freezes: [{ start: 20, end: 28 }] }, steps: [] });
    assert.equal(onClip.freezes[0]!.expected, false);
    assert.match(onClip.warnings.find((w) => w.kind === "freeze")!.message, /frozen for 8 s at 0:20/);
  });

  test("loud, clipped, a long silence, black: each a warning in plain words; a short silence is listed only", () => {
    const noCaptions = renderSpecSchema.parse({ ...input, captions: { enabled: false, cues: input.captions.cues } });
    const report = assembleQualityReport({
      spec: noCaptions,
      durationSec: 39,
      measured: {
        ...clean,
        integratedLufs: -11.9,
        truePeakDb: -0.4,
        silences: [
          { start: 3, end: 4.2 },
          { start: 41.2, end: 44.4 },
        ],
        blacks: [{ start: 30, end: 31.5 }],
      },
      steps: [],
    });
    assert.equal(report.verdict, "warnings");
    assert.deepEqual(
      report.warnings.map((w) => w.message),
      [
        "loud: -11.9 LUFS against a target of -14",
        "true peak -0.4 dBTP, above the -1.5 dBTP ceiling",
        "silence of 3.2 s at 0:41",
        "black picture for 1.5 s at 0:30",
      ],
    );
    assert.equal(report.silences.length, 2);
    assert.deepEqual(report.captions.cues, [], "captions turned off: no cues were drawn");
    assert.equal(clock(61.9), "1:01");
  });

  test("a fallback answered by a built-in offline provider is degraded; one answered by another configured provider is a warning", () => {
    const steps = [
      { stepId: "script", stage: "script", output: { provider: "openai", attempts: [] } },
      ...[1, 2].map((n) => ({
        stepId: `narration-${n}`,
        stage: "narration",
        output: { provider: "espeak-ng", attempts: [], fallbacks: [{ provider: "openai", reason: "429 rate limited" }] },
      })),
      { stepId: "visual-1", stage: "visuals", output: { provider: "sd-webui", attempts: [], fallbacks: [{ provider: "openai", reason: "HTTP 500" }] } },
      { stepId: "visual-2", stage: "visuals", output: { provider: "offline-card", attempts: [], fallbacks: [{ provider: "pexels", reason: "offline mode" }] } },
      { stepId: "timeline", stage: "timeline", output: { key: "x" } },
    ];
    // A scene whose first shot came from the configured provider and whose second fell back to the cards.
    const shotSteps = [
      {
        stepId: "visual-3",
        stage: "visuals",
        output: {
          provider: "openai",
          attempts: [],
          shots: [{ provider: "openai" }, { provider: "offline-card" }],
          fallbacks: [{ provider: "openai", reason: "HTTP 500" }],
        },
      },
    ];
    assert.deepEqual(
      fallbacksOf(shotSteps).degraded.map((d) => [d.stage, d.from.id, d.to.id, d.reason]),
      [["visuals", "openai", "offline-card", "HTTP 500"]],
    );
    const { degraded, fellBack } = fallbacksOf(steps);
    assert.deepEqual(degraded, [
      {
        stage: "narration",
        steps: ["narration-1", "narration-2"],
        from: { id: "openai", label: "OpenAI text-to-speech" },
        to: { id: "espeak-ng", label: "espeak-ng, last resort (built in)" },
        reason: "429 rate limited",
      },
    ]);
    assert.equal(fellBack.length, 1);
    assert.equal(fellBack[0]!.to.id, "sd-webui");
    const report = assembleQualityReport({ spec, durationSec: 39, measured: clean, steps, music: "chord" });
    assert.equal(report.verdict, "degraded");
    assert.deepEqual(
      report.degraded.map((d) => [d.stage, d.from.id, d.to.id]),
      [["narration", "openai", "espeak-ng"]],
    );
    assert.ok(report.warnings.some((w) => w.kind === "fallback" && /Pictures fell back from .* HTTP 500/.test(w.message)));
    // The music's chord stands in for the composer, built in both: a warning, not a downgrade.
    assert.ok(report.warnings.some((w) => w.kind === "fallback" && /fell back from composed music to a held chord: .*fluidsynth/.test(w.message)));
    assert.ok(
      !assembleQualityReport({ spec, durationSec: 39, measured: clean, steps, music: "composed" }).warnings.some((w) => /composed music/.test(w.message)),
    );
  });

  test("one built-in voice standing in for another (festival missing, espeak-ng spoke) is a warning, not a downgrade", () => {
    const steps = [
      {
        stepId: "narration-1",
        stage: "narration",
        output: { provider: "espeak-ng", attempts: [], fallbacks: [{ provider: "festival", reason: "festival could not run: ENOENT" }] },
      },
    ];
    const report = assembleQualityReport({ spec, durationSec: 39, measured: clean, steps });
    assert.deepEqual(report.degraded, []);
    assert.equal(report.verdict, "warnings");
    assert.ok(
      report.warnings.some((w) => w.kind === "fallback" && /Voice fell back from .*festival.* to espeak-ng.*ENOENT/i.test(w.message)),
      JSON.stringify(report.warnings),
    );
  });

  test("a worker that measures nothing: the report says so rather than calling it clean", () => {
    const report = assembleQualityReport({
      spec: renderSpecSchema.parse({ ...input, captions: { enabled: false, cues: [] } }),
      durationSec: 39,
      measured: undefined,
      steps: [],
    });
    assert.equal(report.verdict, "warnings");
    assert.equal(report.loudness, null);
    assert.equal(report.warnings[0]!.kind, "unmeasured");
    const cleanOne = assembleQualityReport({
      spec: renderSpecSchema.parse({ ...input, captions: { enabled: false, cues: [] } }),
      durationSec: 39,
      measured: clean,
      steps: [],
    });
    assert.equal(cleanOne.verdict, "clean");
  });
});
