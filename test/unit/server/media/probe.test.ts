import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { AUDIO_LIMITS, checkAudio, checkClip, parseRate, probeMedia } from "../../../../server/media/probe.ts";

const dir = mkdtempSync(path.join(tmpdir(), "aura-probe-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const ffmpeg = (...args: string[]) => execFileSync("ffmpeg", ["-v", "error", "-y", ...args]);
const file = (name: string) => path.join(dir, name);

describe("probing media by its bytes", () => {
  ffmpeg(
    "-f",
    "lavfi",
    "-i",
    "color=c=red:s=640x360:r=25:d=2",
    "-f",
    "lavfi",
    "-i",
    "sine=d=2",
    "-shortest",
    "-c:v",
    "libx264",
    "-c:a",
    "aac",
    file("plain.mp4"),
  );
  ffmpeg("-i", file("plain.mp4"), "-c", "copy", "-metadata:s:v:0", "rotate=90", file("turned.mp4"));
  ffmpeg(
    "-f",
    "lavfi",
    "-i",
    "color=c=blue:s=640x360:r=30:d=1",
    "-c:v",
    "libx265",
    "-x265-params",
    "log-level=none",
    "-pix_fmt",
    "yuv420p10le",
    file("hevc10.mp4"),
  );
  ffmpeg("-f", "lavfi", "-i", "sine=d=1", file("sound.wav"));
  ffmpeg("-f", "lavfi", "-i", "color=c=green:s=640x360:r=25:d=0.2", "-c:v", "libx264", file("short.mp4"));
  ffmpeg("-f", "lavfi", "-i", "color=c=green:s=100x80:r=25:d=1", "-c:v", "libx264", file("tiny.mp4"));
  writeFileSync(file("cut.mp4"), readFileSync(file("plain.mp4")).subarray(0, 3000));
  writeFileSync(file("text.mp4"), "not a video at all\n".repeat(100));
  ffmpeg("-f", "lavfi", "-i", "sine=f=220:d=2", "-c:a", "libmp3lame", file("tune.mp3"));
  ffmpeg("-f", "lavfi", "-i", "sine=f=220:d=2", "-c:a", "libopus", file("tune.ogg"));
  ffmpeg("-f", "lavfi", "-i", "sine=d=0.05", file("blip.wav"));
  ffmpeg("-f", "lavfi", "-i", "sine=d=1", "-c:a", "pcm_alaw", file("alaw.wav"));
  const tune = readFileSync(file("tune.mp3"));
  // An MP3 whose frames past the first few are garbage: its header reads, its sound does not.
  const garbled = Buffer.from(tune);
  for (let i = 2000; i < garbled.length; i++) garbled[i] = (i * 97) & 0xff;
  writeFileSync(file("garbled.mp3"), garbled);

  test("reads codec, size, rate, depth, rotation and audio", async () => {
    const plain = await probeMedia(file("plain.mp4"));
    assert.equal(plain.video?.codec, "h264");
    assert.deepEqual([plain.video?.width, plain.video?.height, plain.video?.fps], [640, 360, 25]);
    assert.equal(plain.audio?.codec, "aac");
    assert.ok(Math.abs(plain.durationSec - 2) < 0.1, String(plain.durationSec));
    const turned = await probeMedia(file("turned.mp4"));
    assert.equal(turned.video?.rotation, 90);
    assert.deepEqual([turned.video?.displayWidth, turned.video?.displayHeight], [360, 640]);
    const hevc = await probeMedia(file("hevc10.mp4"));
    assert.deepEqual([hevc.video?.codec, hevc.video?.bitDepth, hevc.audio], ["hevc", 10, null]);
  });

  test("a clip passes its checks or is refused saying why", async () => {
    assert.equal((await checkClip(file("hevc10.mp4"))).video.codec, "hevc");
    const refusals: [string, RegExp][] = [
      ["cut.mp4", /not a video file|cannot be decoded/],
      ["text.mp4", /not a video file/],
      ["sound.wav", /no video stream/],
      ["short.mp4", /less than 0.5 s/],
      ["tiny.mp4", /smaller than 144 px/],
    ];
    for (const [name, reason] of refusals) await assert.rejects(checkClip(file(name)), reason, name);
  });

  test("audio passes its checks or is refused saying why", async () => {
    const mp3 = await checkAudio(file("tune.mp3"));
    assert.deepEqual([mp3.format, mp3.audio.codec, mp3.video], ["mp3", "mp3", null]);
    assert.ok(Math.abs(mp3.durationSec - 2) < 0.1, String(mp3.durationSec));
    assert.equal((await checkAudio(file("tune.ogg"))).audio.codec, "opus");
    assert.equal((await checkAudio(file("sound.wav"))).audio.codec, "pcm_s16le");
    const refusals: [string, RegExp][] = [
      ["text.mp4", /not an audio file ffprobe can read/],
      ["hevc10.mp4", /no audio stream/],
      ["plain.mp4", /has a video stream/],
      ["blip.wav", /less than 0.1 s/],
      ["alaw.wav", /audio codec pcm_alaw is not supported/],
      ["garbled.mp3", /sound cannot be decoded|not an audio file/],
    ];
    for (const [name, reason] of refusals) await assert.rejects(checkAudio(file(name)), reason, name);
    await assert.rejects(checkAudio(file("tune.mp3"), { ...AUDIO_LIMITS, maxDurationSec: 1 }), /lasts 2 s, more than 1 s/);
  });

  test("frame rates as ffprobe writes them", () => {
    assert.equal(parseRate("30000/1001").toFixed(2), "29.97");
    assert.equal(parseRate("0/0"), 0);
    assert.equal(parseRate(undefined), 0);
  });
});
