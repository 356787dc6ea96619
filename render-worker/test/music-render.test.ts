// Whole renders with generated music: the result says which bed played ("composed"), a second
// render after a one-scene edit of the same length reuses the bed (fluidsynth not run again);
// a worker without fluidsynth plays the held chord, warns, and says "chord"; the user's own
// track is "file" and no music "none".
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import { LocalStore } from "@aura/object-store";
import { renderSpecSchema, type RenderSpecInput } from "@aura/render-contract";
import { createLogger } from "../src/log.ts";
import { RenderManager } from "../src/renders/registry.ts";
import { WorkerStorage } from "../src/storage.ts";

const root = mkdtempSync(path.join(os.tmpdir(), "aura-music-render-"));
const storageDir = path.join(root, "storage");
const cacheDir = path.join(root, "cache");
const lines: { msg: string; level: string; reused?: boolean; reason?: string }[] = [];
const log = createLogger({}, (line) => void lines.push(JSON.parse(line)));

const manager = (music?: { fluidsynth: string; soundFont: string }) =>
  new RenderManager({
    storage: new WorkerStorage(new LocalStore(storageDir)),
    tmpDir: path.join(root, "tmp"),
    maxConcurrent: 1,
    timeoutMs: 120_000,
    log,
    chooseEncoder: async () => "libx264",
    cacheDir,
    parallel: 2,
    ...(music ? { music } : {}),
  });

function spec(name: string, image: string, music: RenderSpecInput["music"]) {
  return renderSpecSchema.parse({
    version: 1,
    width: 320,
    height: 180,
    fps: 30,
    quality: "draft",
    scenes: [0, 1].map((i) => ({
      image: i === 0 ? image : "in/b.png",
      narration: `in/voice${i}.wav`,
      duration: 3,
      narrationOffset: 0.2,
      motion: { kind: "none", strength: 0 },
    })),
    transition: { kind: "crossfade", duration: 0.5 },
    captions: { enabled: false, cues: [] },
    music,
    loudness: { integratedLufs: -16, truePeakDb: -1.5 },
    output: { video: `out/${name}.mp4`, poster: `out/${name}.jpg` },
  });
}

async function render(workers: RenderManager, name: string, image: string, music: RenderSpecInput["music"]) {
  workers.submit(name, spec(name, image, music));
  for (let i = 0; i < 1200; i++) {
    const state = workers.get(name)!;
    if (state.status !== "running") {
      assert.equal(state.status, "succeeded", state.error);
      return state.result!;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not finish`);
}

const generated = { source: { kind: "generated" as const, mood: "bright" as const, seed: "video-1" }, volumeDb: -16, duck: true };

describe("renders with music", () => {
  after(() => rmSync(root, { recursive: true, force: true }));

  before(() => {
    mkdirSync(path.join(storageDir, "in"), { recursive: true });
    mkdirSync(path.join(root, "tmp"));
    for (const [name, pattern] of [
      ["a", "testsrc2"],
      ["a2", "smptebars"],
      ["b", "rgbtestsrc"],
    ]) {
      spawnSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", `${pattern}=s=320x180`, "-frames:v", "1", path.join(storageDir, `in/${name}.png`)]);
    }
    for (const i of [0, 1]) spawnSync("espeak-ng", ["-w", path.join(storageDir, `in/voice${i}.wav`), "Music under the voice."]);
    spawnSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "sine=f=330:d=2", path.join(storageDir, "in/song.wav")]);
  });

  test("generated music is composed; a one-scene edit of the same length reuses the bed", async () => {
    const workers = manager();
    const first = await render(workers, "first", "in/a.png", generated);
    assert.equal(first.music, "composed");
    const edited = await render(workers, "edited", "in/a2.png", generated);
    assert.equal(edited.music, "composed");
    assert.equal(edited.segments!.cached > 0 && edited.segments!.cached < edited.segments!.total, true, "one scene changed");
    const beds = lines.filter((l) => l.msg === "music bed");
    assert.deepEqual(
      beds.map((l) => l.reused),
      [false, true],
      "fluidsynth ran for the first render only",
    );
    assert.equal(readdirSync(path.join(cacheDir, "music")).length, 1);
  });

  test("without fluidsynth, the held chord plays, with a warning; a file is 'file', none is 'none'", async () => {
    const workers = manager({ fluidsynth: path.join(root, "no-fluidsynth"), soundFont: "/usr/share/sounds/sf3/MuseScore_General_Lite.sf3" });
    const chord = await render(workers, "chord", "in/a.png", generated);
    assert.equal(chord.music, "chord");
    assert.ok(chord.video.hasAudio);
    const warning = lines.find((l) => l.level === "warn" && l.msg.startsWith("music: playing the held chord"));
    assert.match(warning?.reason ?? "", /fluidsynth \(.*no-fluidsynth\) is not there/);
    const noFont = manager({ fluidsynth: "fluidsynth", soundFont: path.join(root, "none.sf3") });
    assert.equal((await render(noFont, "nofont", "in/a.png", generated)).music, "chord");
    const file = await render(workers, "file", "in/a.png", { source: { kind: "asset", key: "in/song.wav" }, volumeDb: -16, duck: true });
    assert.equal(file.music, "file");
    assert.equal((await render(workers, "none", "in/a.png", null)).music, "none");
  });
});
