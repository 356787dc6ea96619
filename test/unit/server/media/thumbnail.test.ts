import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, describe, test } from "node:test";
import { makeThumbnail } from "../../../../server/media/thumbnail.ts";

// A folder whose name FFmpeg's filter syntax would choke on: paths never enter a graph.
const dir = mkdtempSync(path.join(tmpdir(), "aura-thumb [a];b,c'd:e-"));
after(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string) => path.join(dir, name);
const ffmpeg = (...args: string[]) => execFileSync("ffmpeg", ["-v", "error", "-nostdin", "-y", ...args]);
const sizeOf = (jpeg: string) =>
  execFileSync("ffprobe", ["-v", "error", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", jpeg]).toString().trim();
/** The RGB of the thumbnail's middle pixel. */
const middlePixel = (jpeg: string) => [...execFileSync("ffmpeg", ["-v", "error", "-i", jpeg, "-vf", "format=rgb24,crop=1:1", "-f", "rawvideo", "-"])];

describe("thumbnails", () => {
  test("a picture is scaled into 480 px, its transparent parts on white", async () => {
    ffmpeg("-f", "lavfi", "-i", "color=c=black@0.0:s=1600x900,format=rgba", "-frames:v", "1", file("clear.png"));
    await makeThumbnail({ kind: "image" }, file("clear.png"), file("clear.jpg"));
    assert.equal(sizeOf(file("clear.jpg")), "mjpeg,480,270");
    for (const channel of middlePixel(file("clear.jpg"))) assert.ok(channel > 240, `white, not ${channel}`);
    ffmpeg("-f", "lavfi", "-i", "color=c=red:s=200x300", "-frames:v", "1", file("small.png"));
    await makeThumbnail({ kind: "image" }, file("small.png"), file("small.jpg"));
    assert.equal(sizeOf(file("small.jpg")), "mjpeg,200,300", "a small picture is not enlarged");
  });

  test("a clip gives its middle frame, turned as it plays", async () => {
    // Blue for the first second, red for the second: the middle (1.5 s) is red.
    ffmpeg(
      "-f",
      "lavfi",
      "-i",
      "color=c=blue:s=640x360:r=25:d=1",
      "-f",
      "lavfi",
      "-i",
      "color=c=red:s=640x360:r=25:d=2",
      "-filter_complex",
      "[0:v][1:v]concat=n=2:v=1",
      "-c:v",
      "libx264",
      "-pix_fmt",
      "yuv420p",
      file("clip.mp4"),
    );
    await makeThumbnail({ kind: "video", durationSec: 3 }, file("clip.mp4"), file("clip.jpg"));
    assert.equal(sizeOf(file("clip.jpg")), "mjpeg,480,270");
    const [r, g, b] = middlePixel(file("clip.jpg"));
    assert.ok(r! > 200 && g! < 60 && b! < 60, `red, not ${[r, g, b]}`);
    ffmpeg("-i", file("clip.mp4"), "-c", "copy", "-metadata:s:v:0", "rotate=90", file("turned.mp4"));
    await makeThumbnail({ kind: "video", durationSec: 3 }, file("turned.mp4"), file("turned.jpg"));
    assert.equal(sizeOf(file("turned.jpg")), "mjpeg,270,480");
  });

  test("audio gives its waveform", async () => {
    ffmpeg("-f", "lavfi", "-i", "sine=f=440:d=2", file("tone.mp3"));
    await makeThumbnail({ kind: "audio" }, file("tone.mp3"), file("tone.jpg"));
    assert.equal(sizeOf(file("tone.jpg")), "mjpeg,480,270");
    assert.deepEqual([...readFileSync(file("tone.jpg")).subarray(0, 2)], [0xff, 0xd8]);
  });

  test("a file FFmpeg cannot read is an error", async () => {
    ffmpeg("-f", "lavfi", "-i", "sine=d=1", file("sound.wav"));
    await assert.rejects(makeThumbnail({ kind: "image" }, file("sound.wav"), file("nope.jpg")));
  });
});
