import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { computeTiming, renderSpecSchema } from "@aura/render-contract";
import { base } from "../../packages/render-contract/test/fixtures.ts";
import { buildMixArgs, loudnessFilter, parseLoudness } from "../src/audio-mix.ts";

const spec = renderSpecSchema.parse(base);
const sources = { narrations: ["/s/a.wav", "/s/b.wav", null], musicFile: null };

describe("audio mix", () => {
  const timing = computeTiming(spec);
  const mix = buildMixArgs(spec, timing, sources, "/tmp/r/mix.wav");
  const graph = mix[mix.indexOf("-filter_complex") + 1]!;
  test("narration is delayed to its scene; a silent scene adds no input", () => {
    assert.equal(mix.filter((a) => a === "-i").length, 2);
    assert.match(graph, /\[0:a\]aresample=48000.*adelay=delays=300:all=1\[n0\]/);
    assert.match(graph, /\[1:a\]aresample=48000.*adelay=delays=3800:all=1\[n1\]/);
    assert.doesNotMatch(graph, /\[2:a\]/);
  });
  test("music is generated, ducked under the narration; the mix is measured and written as WAV", () => {
    assert.match(graph, /sine=f=220:sample_rate=48000:d=8\.5,volume=0\.48\[gm0\]/);
    assert.match(graph, /amix=inputs=6:normalize=0,volume=eval=frame:volume='0\.75\+0\.25\*sin\(2\*PI\*0\.08\*t\)',aresample=48000/);
    assert.match(graph, /\[music\]\[voicekey\]sidechaincompress/);
    assert.match(graph, /\[amix\]ebur128=peak=sample:framelog=verbose\[aout\]$/);
    assert.deepEqual(mix.slice(-7), ["-c:a", "pcm_f32le", "-t", "8.5", "-f", "wav", "/tmp/r/mix.wav"]);
    assert.match(
      buildMixArgs(renderSpecSchema.parse({ ...base, music: null }), timing, sources, "/m.wav").join(" "),
      /\[voice\]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,atrim=0:8\.5\[amix\]/,
    );
  });
  test("loudness: one gain to the target; a limiter only when a peak would pass the ceiling; silence untouched", () => {
    const stderr =
      "[Parsed_ebur128_30 @ 0x1] Summary:\n\n  Integrated loudness:\n    I:         -20.4 LUFS\n    Threshold: -33.5 LUFS\n\n  Sample peak:\n    Peak:       -4.4 dBFS\n";
    assert.deepEqual(parseLoudness(stderr), { integratedLufs: -20.4, samplePeakDb: -4.4 });
    assert.throws(() => parseLoudness("no summary"), /not measured/);
    const target = { integratedLufs: -16, truePeakDb: -1.5 };
    assert.equal(loudnessFilter({ integratedLufs: -20.4, samplePeakDb: -8 }, target), "volume=4.40dB");
    // -4.4 + 4.4 = 0 dBFS would pass the ceiling (-1.5 - 1 = -2.5 dBFS = 0.7499 linear).
    assert.equal(
      loudnessFilter({ integratedLufs: -20.4, samplePeakDb: -4.4 }, target),
      "volume=4.40dB,alimiter=limit=0.7499:attack=5:release=50:level=false:latency=true",
    );
    assert.equal(loudnessFilter({ integratedLufs: -70, samplePeakDb: -Infinity }, target), "anull");
    assert.equal(loudnessFilter({ integratedLufs: -60, samplePeakDb: -50 }, target), "volume=30.00dB", "the gain is bounded");
  });
});
