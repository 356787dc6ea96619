// The quality measures of a finished render: the stderr reader on fixed text, then two real
// renders measured by the worker itself: a normal one (loudness at the target, no silence,
// black or freeze) and one with a 3 s hole in a narration and a still shot without motion
// (the silence found where it is, ±0.3 s, and the still reported frozen).
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { computeTiming, renderSpecSchema, type RenderSpecInput } from "@aura/render-contract";
import { LocalStore } from "@aura/object-store";
import { buildQualityArgs, parseQuality } from "../src/quality-report.ts";
import { RenderManager } from "../src/renders/registry.ts";
import { WorkerStorage } from "../src/storage.ts";

describe("quality measures", () => {
  test("one pass: audio into ebur128 and silencedetect, thinned and shrunk video into blackdetect and freezedetect", () => {
    const args = buildQualityArgs("/w/output.mp4");
    const graph = args[args.indexOf("-filter_complex") + 1]!;
    assert.equal(args.filter((a) => a === "-i").length, 1);
    assert.deepEqual(args.slice(args.indexOf("-i") - 2, args.indexOf("-i")), ["-skip_frame", "noref"], "the decoder skips frames nothing refers to");
    assert.match(graph, /^\[0:a\]ebur128=peak=true:framelog=verbose,silencedetect=n=-50dB:d=1\[a\];/);
    assert.match(graph, /\[0:v\]fps=5,scale=320:-2:flags=fast_bilinear,blackdetect=d=1:pix_th=0\.1:pic_th=0\.98,freezedetect=n=-60dB:d=5\[v\]$/);
  });

  test("the last ebur128 summary counts; a stretch still open at the end ends with the file", () => {
    const stderr = [
      "[Parsed_ebur128_0 @ 0x1] Summary:\n  Integrated loudness:\n    I:         -70.0 LUFS\n  True peak:\n    Peak:       -inf dBFS",
      "[silencedetect @ 0x2] silence_start: 4.01073",
      "[silencedetect @ 0x2] silence_end: 7.0186 | silence_duration: 3.00787",
      "[blackdetect @ 0x3] black_start:8 black_end:10.04 black_duration:2.04",
      "[freezedetect @ 0x4] lavfi.freezedetect.freeze_start: 12.2",
      "[silencedetect @ 0x2] silence_start: 18.5",
      "[Parsed_ebur128_0 @ 0x1] Summary:\n  Integrated loudness:\n    I:         -14.3 LUFS\n    Threshold: -24.5 LUFS\n  Loudness range:\n    LRA:  3.1 LU\n  True peak:\n    Peak:       -1.6 dBFS",
    ].join("\n");
    assert.deepEqual(parseQuality(stderr, 20), {
      integratedLufs: -14.3,
      truePeakDb: -1.6,
      silences: [
        { start: 4.01, end: 7.02 },
        { start: 18.5, end: 20 },
      ],
      blacks: [{ start: 8, end: 10.04 }],
      freezes: [{ start: 12.2, end: 20 }],
    });
    const silent = parseQuality(stderr.slice(0, stderr.indexOf("[silencedetect")), 20);
    assert.equal(silent.integratedLufs, null, "-70 LUFS is ebur128's gate: no sound");
    assert.equal(silent.truePeakDb, null);
    assert.throws(() => parseQuality("no summary here", 20), /loudness was not measured/);
  });

  const root = mkdtempSync(path.join(os.tmpdir(), "aura-quality-"));
  const storageDir = path.join(root, "storage");
  const log = { info() {}, warn() {}, error() {}, child: () => log };
  const manager = new RenderManager({
    storage: new WorkerStorage(new LocalStore(storageDir)),
    tmpDir: path.join(root, "tmp"),
    maxConcurrent: 1,
    timeoutMs: 120_000,
    log,
    chooseEncoder: async () => "libx264",
  });
  const noise = (name: string, parts: ["noise" | "silence", number][]) => {
    // Pink noise with holes of digital silence, mono 22 kHz (as a voice file might come).
    const inputs = parts.flatMap(([kind, d]) => [
      "-f",
      "lavfi",
      "-i",
      kind === "noise" ? `anoisesrc=c=pink:a=0.2:r=22050:d=${d}` : `anullsrc=r=22050:cl=mono:d=${d}`,
    ]);
    const concat = `${parts.map((_, k) => `[${k}:a]`).join("")}concat=n=${parts.length}:v=0:a=1`;
    const ff = spawnSync("ffmpeg", ["-v", "error", "-y", ...inputs, "-filter_complex", concat, "-ac", "1", path.join(storageDir, `in/${name}.wav`)]);
    assert.equal(ff.status, 0, String(ff.stderr));
  };
  before(() => {
    mkdirSync(path.join(storageDir, "in"), { recursive: true });
    mkdirSync(path.join(root, "tmp"));
    for (const i of [0, 1, 2]) {
      spawnSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", `testsrc2=s=640x360:r=1:d=${i + 1}`, "-update", "1", path.join(storageDir, `in/img${i}.png`)]);
    }
    noise("full", [["noise", 5]]);
    noise("gap", [
      ["noise", 1],
      ["silence", 3],
      ["noise", 3],
    ]);
  });

  const spec = (over: Partial<RenderSpecInput>): RenderSpecInput => ({
    version: 1,
    width: 640,
    height: 360,
    fps: 30,
    quality: "draft",
    scenes: [0, 1, 2].map((i) => ({ image: `in/img${i}.png`, narration: "in/full.wav", duration: 5, motion: { kind: "zoom-in", strength: 0.12 } })),
    transition: { kind: "crossfade", duration: 0.5 },
    captions: { enabled: false, cues: [] },
    music: { source: { kind: "generated", mood: "calm" }, volumeDb: -18, duck: true },
    loudness: { integratedLufs: -16, truePeakDb: -1.5 },
    output: { video: "out/q.mp4", poster: "out/q.jpg" },
    ...over,
  });
  async function render(id: string, input: RenderSpecInput) {
    manager.submit(id, renderSpecSchema.parse(input));
    for (;;) {
      const state = manager.get(id)!;
      if (state.status !== "running" && state.status !== "queued") return state;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  test("a normal render: loudness within 1 LU of the target, true peak under the ceiling, no silence, black or freeze", async () => {
    const state = await render("normal", spec({}));
    assert.equal(state.status, "succeeded", state.error);
    const q = state.result!.quality!;
    assert.ok(Math.abs(q.integratedLufs! + 16) <= 1, `integrated ${q.integratedLufs} LUFS`);
    assert.ok(q.truePeakDb! <= -1.5 + 0.5, `true peak ${q.truePeakDb} dBTP`);
    assert.deepEqual([q.silences, q.blacks, q.freezes], [[], [], []]);
  });

  test("a 3 s hole in scene 2's narration is found at its time; a still shot without motion is frozen", async () => {
    const input = spec({
      music: null,
      scenes: [0, 1, 2].map((i) => ({
        image: `in/img${i}.png`,
        narration: i === 1 ? "in/gap.wav" : "in/full.wav",
        duration: i === 1 ? 7 : 5,
        motion: { kind: i === 1 ? "none" : "zoom-in", strength: 0.12 },
      })),
    });
    const state = await render("gap", input);
    assert.equal(state.status, "succeeded", state.error);
    const q = state.result!.quality!;
    // Scene 2 starts at 4.5 s: its narration is silent from 1 s to 4 s into it, and nothing else plays then.
    const scene2 = computeTiming(renderSpecSchema.parse(input)).scenes[1]!.startSec;
    assert.equal(q.silences.length, 1, JSON.stringify(q.silences));
    assert.ok(Math.abs(q.silences[0]!.start - (scene2 + 1)) <= 0.3, `silence starts at ${q.silences[0]!.start}`);
    assert.ok(Math.abs(q.silences[0]!.end - (scene2 + 4)) <= 0.3, `silence ends at ${q.silences[0]!.end}`);
    // Between its two crossfades (5.0 s to 11.0 s) the still does not move.
    assert.equal(q.freezes.length, 1, JSON.stringify(q.freezes));
    assert.ok(q.freezes[0]!.start >= scene2 && q.freezes[0]!.end <= scene2 + 7 + 0.3, JSON.stringify(q.freezes));
    assert.deepEqual(q.blacks, []);
  });
});
