// The quality measures of real renders, measured by the worker itself: a normal one (loudness
// at the target, no silence, black or freeze), one with a 3 s hole in a narration and a still
// shot without motion (the silence found where it is, ±0.3 s, and the still reported frozen),
// and one with a black shot and a still held across a cut. Each is rendered twice: in one
// FFmpeg run, measured in the finished file, and in segments, measured in pieces (each
// segment's detectors and the sound alone), where the frozen still spans two segments and is
// found only if the pieces are joined; rendered again from the cache, the pieces' measures
// come from the cache and are the same. The pass's arguments and its readers on fixed text are
// in quality-parse.test.ts.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { before, describe, test } from "node:test";
import { computeTiming, renderSpecSchema, type RenderSpecInput } from "@aura/render-contract";
import { LocalStore } from "@aura/object-store";
import { RenderManager } from "../src/renders/registry.ts";
import { WorkerStorage } from "../src/storage.ts";

for (const mode of ["one run", "segments"] as const)
  describe(`quality measures (${mode})`, () => {
    const root = mkdtempSync(path.join(os.tmpdir(), "aura-quality-"));
    const storageDir = path.join(root, "storage");
    const warnings: string[] = [];
    const log = { info() {}, warn: (msg: string) => warnings.push(msg), error() {}, child: () => log };
    const manager = new RenderManager({
      storage: new WorkerStorage(new LocalStore(storageDir)),
      tmpDir: path.join(root, "tmp"),
      maxConcurrent: 1,
      timeoutMs: 120_000,
      log,
      chooseEncoder: async () => "libx264",
      ...(mode === "segments" ? { cacheDir: path.join(root, "cache") } : {}),
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
      spawnSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "color=black:s=640x360", "-frames:v", "1", path.join(storageDir, "in/black.png")]);
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
    async function renderOnce(id: string, input: RenderSpecInput) {
      manager.submit(id, renderSpecSchema.parse(input));
      for (;;) {
        const state = manager.get(id)!;
        if (state.status !== "running" && state.status !== "queued") return state;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    /** In segments, rendered again: from the cache, which must measure the same, and after
     *  the cache's marks were removed (segments cached by an older worker), which are then
     *  measured from the segments' files and kept. */
    async function render(id: string, input: RenderSpecInput) {
      const cache = path.join(root, "cache");
      // The cache's segments a render used: those it wrote or reused (which touches them) since `from`.
      const used = (from: number) => readdirSync(cache).filter((f) => f.endsWith(".mp4") && statSync(path.join(cache, f)).mtimeMs >= from);
      const keepsMarks = (files: string[]) => files.length > 0 && files.every((f) => existsSync(path.join(cache, `${f}.marks.json`)));
      const started = Date.now() - 1000;
      const state = await renderOnce(id, input);
      if (mode === "one run" || state.status !== "succeeded") return state;
      assert.ok(keepsMarks(used(started)), "every segment it used keeps its marks");
      const again = await renderOnce(`${id}-again`, input);
      assert.equal(again.status, "succeeded", again.error);
      assert.equal(again.result!.segments!.cached, again.result!.segments!.total);
      const { elapsedSec: _a, ...first } = state.result!.quality!;
      const { elapsedSec: _b, ...second } = again.result!.quality!;
      assert.deepEqual(second, first, "measured again from the cached pieces");
      for (const f of used(started)) rmSync(path.join(cache, `${f}.marks.json`));
      const before = Date.now() - 1000;
      const old = await renderOnce(`${id}-old`, input);
      assert.equal(old.status, "succeeded", old.error);
      const { elapsedSec: _c, ...third } = old.result!.quality!;
      assert.deepEqual(third, first, "measured from the cached segments' files");
      assert.ok(keepsMarks(used(before)), "the marks are kept again");
      assert.deepEqual(
        warnings.filter((w) => /measur/.test(w)),
        [],
        "measured in pieces, not in the joined file",
      );
      return state;
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

    test("a black shot is black; a still held without motion across a cut is one freeze", async () => {
      // Scenes 1 and 2 show the same still without motion and meet at a cut (no transition):
      // frozen from 2 s to 8 s, across the two scenes' segments. Scene 3 is black for 2 s.
      const input = spec({
        music: null,
        transition: { kind: "crossfade", duration: 0 },
        scenes: [
          { image: "in/img0.png", narration: "in/full.wav", duration: 2, motion: { kind: "zoom-in", strength: 0.12 } },
          { image: "in/img1.png", narration: "in/full.wav", duration: 3, motion: { kind: "none", strength: 0 } },
          { image: "in/img1.png", narration: "in/full.wav", duration: 3, motion: { kind: "none", strength: 0 } },
          { image: "in/black.png", narration: "in/full.wav", duration: 2, motion: { kind: "none", strength: 0 } },
          { image: "in/img2.png", narration: "in/full.wav", duration: 2, motion: { kind: "zoom-in", strength: 0.12 } },
        ],
      });
      const state = await render("cut", input);
      assert.equal(state.status, "succeeded", state.error);
      const q = state.result!.quality!;
      assert.equal(q.freezes.length, 1, JSON.stringify(q.freezes));
      assert.ok(Math.abs(q.freezes[0]!.start - 2) <= 0.3 && Math.abs(q.freezes[0]!.end - 8) <= 0.3, JSON.stringify(q.freezes));
      assert.equal(q.blacks.length, 1, JSON.stringify(q.blacks));
      assert.ok(Math.abs(q.blacks[0]!.start - 8) <= 0.3 && Math.abs(q.blacks[0]!.end - 10) <= 0.3, JSON.stringify(q.blacks));
    });

    test("a still held without motion through short crossfades is one freeze", async () => {
      // Three scenes show the same still without motion, joined by 0.3 s crossfades (9 frames):
      // frozen once the first scene's titles have gone (by the first crossfade's end) to the end,
      // across the second crossfade (segments shorter than the detector's usual minimum).
      const still = { image: "in/img1.png", narration: "in/full.wav", duration: 4, motion: { kind: "none", strength: 0 } } as const;
      const input = spec({ music: null, transition: { kind: "crossfade", duration: 0.3 }, scenes: [still, still, still] });
      const state = await render("held", input);
      assert.equal(state.status, "succeeded", state.error);
      const q = state.result!.quality!;
      const total = computeTiming(renderSpecSchema.parse(input)).totalSec;
      assert.equal(q.freezes.length, 1, JSON.stringify(q.freezes));
      const crossfade = computeTiming(renderSpecSchema.parse(input)).scenes[1]!.startSec;
      assert.ok(q.freezes[0]!.start <= crossfade + 0.3 && q.freezes[0]!.end >= total - 0.3, `${JSON.stringify(q.freezes)} of ${total} s`);
    });
  });
