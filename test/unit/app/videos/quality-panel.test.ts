// The video page's quality panel rendered to HTML from a fixed report: the verdict in words,
// the plain-words lines (loudness against the target, a silence and its time, fast captions,
// pictures a minute) and the degraded stage with its providers and reason.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { renderSpecSchema } from "@aura/render-contract";
import { QualityPanel } from "../../../../app/(app)/videos/[id]/quality-panel.tsx";
import { assembleQualityReport } from "../../../../server/pipeline/render/quality-report.ts";

const spec = renderSpecSchema.parse({
  version: 1,
  width: 640,
  height: 360,
  fps: 30,
  scenes: [0, 1, 2].map((i) => ({ image: `in/${i}.png`, narration: null, duration: 20, motion: { kind: "zoom-in", strength: 0.1 } })),
  transition: { kind: "crossfade", duration: 0.5 },
  captions: { enabled: true, cues: [{ start: 1, end: 2, text: "Twenty-three characters" }] },
  music: null,
  loudness: { integratedLufs: -14, truePeakDb: -1.5 },
  output: { video: "out/v.mp4", poster: "out/p.jpg" },
});

describe("quality panel", () => {
  test("verdict, lines and the degraded stage in plain words", () => {
    const report = assembleQualityReport({
      spec,
      durationSec: 59,
      measured: { integratedLufs: -14.1, truePeakDb: -1.6, silences: [{ start: 41.2, end: 44.4 }], blacks: [], freezes: [], elapsedSec: 1 },
      steps: [
        {
          stepId: "narration-1",
          stage: "narration",
          output: { provider: "espeak-ng", attempts: [], fallbacks: [{ provider: "openai", reason: "429 rate limited" }] },
        },
      ],
    });
    const html = renderToStaticMarkup(createElement(QualityPanel, { report }));
    assert.match(html, /<h2[^>]*>Quality report<\/h2>/);
    assert.match(html, /data-testid="quality-verdict">✗ Degraded</);
    assert.match(html, /Loudness −14\.1 LUFS \(target −14\), true peak −1\.6 dBTP/);
    assert.match(html, /Silence 3\.2 s at 0:41/);
    assert.match(html, /1 caption read fast \(up to 23 characters\/s; the guideline is 20\)/);
    assert.match(html, /3\.1 pictures a minute \(3 distinct\)/);
    assert.match(html, /Voice fell back from OpenAI text-to-speech to espeak-ng, last resort \(built in\): 429 rate limited/);
  });
});
