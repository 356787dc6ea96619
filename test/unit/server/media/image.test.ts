import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { describe, test } from "node:test";
import { ImageCheckError, inspectImage } from "../../../../server/media/image.ts";
import { pngHeader } from "../../../helpers/images.ts";

const LIMITS = { maxBytes: 1024 * 1024, maxPixels: 40_000_000, maxSide: 10_000, minSide: 16 };
const encode = (codec: string, format: string) =>
  execFileSync("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc2=s=320x200", "-frames:v", "1", "-c:v", codec, "-f", format, "-"]);

describe("a picture judged by its bytes", () => {
  test("PNG, JPEG and WebP are told by their magic bytes, their size read from the header", () => {
    assert.deepEqual(inspectImage(encode("png", "image2pipe"), LIMITS), { mime: "image/png", ext: "png", width: 320, height: 200 });
    assert.deepEqual(inspectImage(encode("mjpeg", "image2pipe"), LIMITS), { mime: "image/jpeg", ext: "jpg", width: 320, height: 200 });
    assert.deepEqual(inspectImage(encode("libwebp", "webp"), LIMITS), { mime: "image/webp", ext: "webp", width: 320, height: 200 });
  });

  test("anything else is refused, saying why", () => {
    const refusals: [Buffer, RegExp][] = [
      [Buffer.from("ID3\u0003 an MP3 would start like this"), /^it is not a PNG, JPEG or WebP image$/],
      [Buffer.from("GIF89a"), /^it is not a PNG, JPEG or WebP image$/],
      [pngHeader(60000, 60000), /^it is 60000×60000, more pixels than allowed \(at most 10000 px a side and 40 megapixels\)$/],
      [pngHeader(9000, 9000), /more pixels than allowed/],
      [pngHeader(8, 300), /^it is 8×300, smaller than 16 px on a side$/],
      [Buffer.alloc(LIMITS.maxBytes + 1), /more than 1048576/],
      [pngHeader(100, 100).subarray(0, 12), /header cannot be read|smaller than/],
    ];
    for (const [bytes, reason] of refusals)
      assert.throws(
        () => inspectImage(bytes, LIMITS),
        (e: Error) => e instanceof ImageCheckError && reason.test(e.message),
      );
  });
});
