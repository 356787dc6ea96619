import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { computeTiming, EXPORT_PROFILES, FORMAT_EXTENSION, renderSpecSchema } from "@aura/render-contract";
import { NARRATION_LEAD_SEC, sceneDurationSec } from "../../../../../server/pipeline/pacing.ts";
import { writeOfflineScript } from "../../../../../server/pipeline/script/offline-writer.ts";
import { alignWords, buildRenderSpec, splitCaptions } from "../../../../../server/pipeline/timeline/build-spec.ts";
import { ASPECT_RATIOS, briefSchema, RESOLUTIONS } from "../../../../../server/videos/brief.ts";

const brief = briefSchema.parse({
  topic: "Tides. The moon pulls the oceans.",
  audience: "sailors",
  tone: "serious",
  targetLengthSec: 30,
  aspectRatio: "9:16",
  voice: "en-gb-male",
  visualStyle: "midnight",
  music: "none",
});
const script = writeOfflineScript(brief);
const media = script.scenes.map((_, i) => ({ narrationKey: `n/${i}.wav`, narrationSec: 3 + i * 0.5, imageKey: `v/${i}.png` }));

describe("render spec from the timeline", () => {
  const spec = buildRenderSpec({ brief, script, media, output: { video: "o/v.mp4", poster: "o/p.jpg" } });

  test("is a valid render spec at the brief's resolution", () => {
    const parsed = renderSpecSchema.parse(spec);
    assert.equal(parsed.width, 1080);
    assert.equal(parsed.height, 1920);
    assert.equal(parsed.music, null);
    assert.equal(parsed.scenes.length, script.scenes.length);
  });

  test("every export profile is a brief away: aspect ratio, resolution and format give its size and codec", () => {
    for (const [name, profile] of Object.entries(EXPORT_PROFILES)) {
      const match = ASPECT_RATIOS.flatMap((aspectRatio) =>
        RESOLUTIONS.map((resolution) => ({ ...brief, aspectRatio, resolution, format: profile.format })),
      ).find((b) => {
        const made = buildRenderSpec({ brief: b, script, media, output: { video: `o/v${FORMAT_EXTENSION[b.format]}`, poster: "o/p.jpg" } });
        return made.width === profile.width && made.height === profile.height && renderSpecSchema.parse(made).format === profile.format;
      });
      assert.ok(match, `${name} (${profile.label}) can be asked for in a brief`);
    }
    // 4:5 at 4K: 2160 x 2700.
    const big = renderSpecSchema.parse(
      buildRenderSpec({
        brief: briefSchema.parse({ ...brief, aspectRatio: "4:5", resolution: "2160p" }),
        script,
        media,
        output: { video: "o/v.mp4", poster: "o/p.jpg" },
      }),
    );
    assert.deepEqual([big.width, big.height], [2160, 2700]);
    assert.equal(briefSchema.parse({ ...brief, resolution: undefined }).resolution, "1080p");
    assert.throws(() => briefSchema.parse({ ...brief, resolution: "8k" }), /Resolution must be one of: 1080p, 2160p/);
  });

  test("picture-in-picture: a scene shows another scene's picture in the corner it names", () => {
    const withInset = {
      ...script,
      scenes: script.scenes.map((s, i) => (i === 2 ? { ...s, inset: { sceneId: script.scenes[0]!.id, position: "bottom-left" as const } } : s)),
    };
    const parsed = renderSpecSchema.parse(buildRenderSpec({ brief, script: withInset, media, output: { video: "o/v.mp4", poster: "o/p.jpg" } }));
    assert.deepEqual(
      parsed.scenes.map((s) => s.inset?.image ?? null),
      media.map((_, i) => (i === 2 ? "v/0.png" : null)),
    );
    assert.deepEqual(parsed.scenes[2]!.inset, { image: "v/0.png", position: "bottom-left", size: 0.3, margin: 0.04, border: "#FFFFFF" });
    // A scene that names itself or a scene that is gone shows no inset.
    const dangling = {
      ...script,
      scenes: script.scenes.map((s, i) =>
        i === 1
          ? { ...s, inset: { sceneId: "gone", position: "top-left" as const } }
          : i === 2
            ? { ...s, inset: { sceneId: s.id, position: "top-left" as const } }
            : s,
      ),
    };
    assert.ok(
      renderSpecSchema
        .parse(buildRenderSpec({ brief, script: dangling, media, output: { video: "o/v.mp4", poster: "o/p.jpg" } }))
        .scenes.every((s) => s.inset === null),
    );
  });

  test("defaults: Standard H.264, crossfades, no watermark, no transition sound", () => {
    const parsed = renderSpecSchema.parse(spec);
    assert.deepEqual(
      [parsed.quality, parsed.format, parsed.transition.kind, parsed.watermark, parsed.effects],
      ["standard", "mp4-h264", "crossfade", null, []],
    );
  });

  test("a transition sound plays at every cut, starting 0.1 s before the next scene comes in", () => {
    const parsed = renderSpecSchema.parse(
      buildRenderSpec({ brief: briefSchema.parse({ ...brief, transitionSound: "whoosh" }), script, media, output: { video: "o/v.mp4", poster: "o/p.jpg" } }),
    );
    const starts = computeTiming(parsed)
      .scenes.slice(1)
      .map((s) => Math.round((s.startSec - 0.1) * 1000) / 1000);
    assert.ok(starts.length > 0);
    assert.deepEqual(
      parsed.effects,
      starts.map((at) => ({ sound: { kind: "generated", name: "whoosh" }, at, volumeDb: -10 })),
    );
    const refused = briefSchema.safeParse({ ...brief, transitionSound: "airhorn" });
    assert.deepEqual(
      refused.error?.issues.map((i) => [i.path.join("."), i.message]),
      [["transitionSound", "Transition sound must be one of: none, whoosh, chime, pop"]],
    );
  });

  test("the brief's quality, transition, format and watermark reach the render spec", () => {
    const chosen = briefSchema.parse({
      ...brief,
      quality: "draft",
      transition: "fade-black",
      format: "webm-vp9",
      watermark: { text: '50% "off" {sale}', position: "top-left" },
    });
    const parsed = renderSpecSchema.parse(buildRenderSpec({ brief: chosen, script, media, output: { video: "o/v.webm", poster: "o/p.jpg" } }));
    assert.deepEqual([parsed.quality, parsed.format, parsed.transition.kind], ["draft", "webm-vp9", "fade-black"]);
    assert.deepEqual(parsed.watermark, { source: { kind: "text", text: '50% "off" {sale}' }, position: "top-left", opacity: 0.6, margin: 0.04 });
    assert.throws(
      () => renderSpecSchema.parse(buildRenderSpec({ brief: chosen, script, media, output: { video: "o/v.mp4", poster: "o/p.jpg" } })),
      /must end in \.webm/,
    );
    const refused = briefSchema.safeParse({ ...brief, format: "avi", watermark: { text: "" } });
    assert.ok(!refused.success);
    assert.deepEqual(refused.error.issues.map((i) => i.path.join(".")).sort(), ["format", "watermark.text"]);
  });

  test("caption style and word highlight: every cue's words follow each other across the cue", () => {
    const chosen = briefSchema.parse({ ...brief, captionSize: "large", captionPosition: "top", captionHighlight: true });
    const parsed = renderSpecSchema.parse(buildRenderSpec({ brief: chosen, script, media, output: { video: "o/v.mp4", poster: "o/p.jpg" } }));
    assert.deepEqual([parsed.captions.style.size, parsed.captions.style.position, parsed.captions.style.highlightWords], ["large", "top", true]);
    for (const cue of parsed.captions.cues) {
      const words = cue.words!;
      assert.equal(words.map((w) => w.text).join(" "), cue.text);
      assert.ok(Math.abs(words[0]!.start - cue.start) < 0.002 && Math.abs(words.at(-1)!.end - cue.end) < 0.002, "the words span the cue");
      words.forEach((w, i) => {
        assert.ok(w.end >= w.start && (i === 0 || Math.abs(w.start - words[i - 1]!.end) < 0.002));
      });
    }
    assert.equal(renderSpecSchema.parse(spec).captions.cues[0]!.words, undefined, "no word times unless asked for");
  });

  test("titles: the video's title over the opening, then each scene's name as a lower third inside its own frames", () => {
    assert.deepEqual(renderSpecSchema.parse(spec).overlays, [], "none unless asked for");
    const chosen = briefSchema.parse({ ...brief, titles: true });
    const parsed = renderSpecSchema.parse(buildRenderSpec({ brief: chosen, script, media, output: { video: "o/v.mp4", poster: "o/p.jpg" } }));
    const timing = computeTiming(parsed);
    const [title, ...thirds] = parsed.overlays;
    assert.deepEqual([title!.kind, title!.text, title!.animation], ["title", script.title, "fade"]);
    assert.ok(title!.end <= timing.scenes[1]!.startSec, "the title is gone before the first transition");
    assert.ok(thirds.length >= 1);
    for (const o of thirds) {
      const i = timing.scenes.findIndex((s) => o.start >= s.startSec && o.start < s.startSec + s.durationSec);
      assert.deepEqual([o.kind, o.text, o.animation], ["lower-third", script.scenes[i]!.title, "slide"]);
      assert.ok(o.start >= timing.scenes[i]!.startSec + timing.transitionFrames / 30, "after the transition into its scene");
      assert.ok(i === timing.scenes.length - 1 || o.end <= timing.scenes[i + 1]!.startSec, "before the transition out of it");
    }
  });

  test("the voice's own word timings place captions and highlighted words where they were said", () => {
    // The voice paused after "Hello,": estimated times would spread the words evenly.
    const spoken = [
      { word: "Hello,", startSec: 0.1, endSec: 0.5 },
      { word: "world.", startSec: 1.5, endSec: 1.9 },
      { word: "Again", startSec: 2.0, endSec: 2.4 },
    ];
    const cues = splitCaptions("Hello, world. Again", 10, 2.6, 42, { words: true, spoken });
    assert.deepEqual(
      cues.map((c) => [c.start, c.end, c.text]),
      [[10.1, 12.4, "Hello, world. Again"]],
    );
    assert.deepEqual(
      cues[0]!.words!.map((w) => [w.text, w.start, w.end]),
      [
        ["Hello,", 10.1, 11.5],
        ["world.", 11.5, 12],
        ["Again", 12, 12.4],
      ],
    );
    // Written "In 1999 it rained." was read "In nineteen ninety-nine it rained.": placed by position in the text.
    const read = ["In", "nineteen", "ninety-nine", "it", "rained."].map((word, i) => ({ word, startSec: i * 0.5, endSec: i * 0.5 + 0.4 }));
    const times = alignWords(["In", "1999", "it", "rained."], read, 3)!;
    assert.equal(times.length, 4);
    times.forEach((t, i) => {
      assert.ok(t.end >= t.start && (i === 0 || t.start >= times[i - 1]!.start), `word ${i} in order`);
    });
    assert.ok(times[2]!.start > 1 && times[2]!.start < 1.6, `"it" lands near where it was said (1.5 s): ${times[2]!.start}`);
    assert.equal(times[3]!.end, 2.4);
    assert.equal(alignWords(["a"], [], 1), null);
  });

  test("each scene lasts as long as its narration plus the pause", () => {
    spec.scenes.forEach((scene, i) => {
      assert.equal(scene.duration, sceneDurationSec(media[i]!.narrationSec));
      assert.equal(scene.narration, media[i]!.narrationKey);
      assert.equal(scene.image, media[i]!.imageKey);
    });
  });

  test("captions follow each scene's narration, in order, without overlaps", () => {
    const timing = computeTiming(renderSpecSchema.parse(spec));
    const cues = spec.captions.cues;
    assert.ok(cues.length >= script.scenes.length);
    for (let i = 1; i < cues.length; i++) assert.ok(cues[i]!.start >= cues[i - 1]!.end - 1e-6);
    const firstOfScene2 = splitCaptions(script.scenes[1]!.narration, timing.scenes[1]!.startSec + NARRATION_LEAD_SEC, media[1]!.narrationSec)[0]!;
    assert.ok(cues.some((c) => c.start === firstOfScene2.start && c.text === firstOfScene2.text));
    assert.ok(cues.at(-1)!.end <= timing.totalSec);
  });

  test("caption cues are short and cover the narration exactly", () => {
    const cues = splitCaptions("One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen.", 2, 6, 30);
    assert.ok(cues.every((c) => c.text.length <= 30));
    assert.equal(cues[0]!.start, 2);
    assert.ok(Math.abs(cues.at(-1)!.end - 8) < 0.01);
    assert.equal(cues.map((c) => c.text).join(" "), "One two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen.");
  });
});

describe("shots in the render spec", () => {
  const long = media.map((m) => ({ ...m, narrationSec: 9 }));
  const shotMedia = long.map((m, i) =>
    i === 1
      ? {
          ...m,
          shots: [
            { kind: "image" as const, key: "v/1a.png" },
            { kind: "clip" as const, key: "v/1b.mp4", width: 1080, height: 1920, durationSec: 8 },
            { kind: "clip" as const, key: "v/1c.mp4", width: 1920, height: 1080, durationSec: 2 },
          ],
        }
      : m,
  );
  const one = renderSpecSchema.parse(buildRenderSpec({ brief, script, media: long, output: { video: "o/v.mp4", poster: "o/p.jpg" } }));
  const cut = renderSpecSchema.parse(buildRenderSpec({ brief, script, media: shotMedia, output: { video: "o/v.mp4", poster: "o/p.jpg" } }));

  test("a scene's shots follow each other; the first has its narration and title, the rest continue it", () => {
    assert.equal(cut.scenes.length, script.scenes.length + 2);
    const [a, b, c] = cut.scenes.slice(1, 4);
    assert.deepEqual([a!.image, b!.clip?.key, c!.clip?.key], ["v/1a.png", "v/1b.mp4", "v/1c.mp4"]);
    assert.deepEqual([a!.continues, b!.continues, c!.continues], [false, true, true]);
    assert.deepEqual([a!.narration, b!.narration, c!.narration], ["n/1.wav", null, null]);
    assert.equal(a!.title, script.scenes[1]!.title);
    assert.equal(b!.title, undefined);
    assert.deepEqual(b!.motion, { kind: "none", strength: 0 });
  });

  test("a clip the shape of the video is cropped to fill it; another shape is shown whole over a blur", () => {
    assert.equal(cut.scenes[2]!.clip?.fit, "crop");
    assert.equal(cut.scenes[3]!.clip?.fit, "blur");
  });

  test("cutting a scene into shots moves no other scene, caption or chapter", () => {
    const starts = (spec: typeof one) => chapterStarts(spec);
    assert.deepEqual(starts(cut), starts(one));
    assert.equal(computeTiming(cut).totalFrames, computeTiming(one).totalFrames);
    assert.deepEqual(cut.captions.cues, one.captions.cues);
    assert.deepEqual(cut.overlays, one.overlays);
    assert.deepEqual(cut.effects, one.effects);
  });
});

/** Where each chapter (a shot that does not continue a scene) starts, in frames. */
function chapterStarts(spec: ReturnType<typeof renderSpecSchema.parse>) {
  const timing = computeTiming(spec);
  return spec.scenes.flatMap((s, i) => (s.continues ? [] : [timing.scenes[i]!.startFrame]));
}
