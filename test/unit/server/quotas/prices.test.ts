import assert from "node:assert/strict";
import { test } from "node:test";
import { formatUsd, imagePrice, videoClipPrice } from "../../../../server/quotas/prices.ts";
import { clipSecondsFor, videoSizeFor } from "../../../../server/providers/videos/openai-video.ts";

test("AI video is priced per second by model and size; snapshots as their model; an unknown model as the dearest", () => {
  assert.equal(videoClipPrice("sora-2", 8, "1280x720"), 0.8);
  assert.equal(videoClipPrice("sora-2-2025-10-06", 4, "720x1280"), 0.4);
  assert.equal(videoClipPrice("sora-2-pro", 8, "1280x720"), 2.4);
  assert.equal(videoClipPrice("sora-2-pro-2025-10-06", 12, "1792x1024"), 6);
  assert.equal(videoClipPrice("someone-elses-video-model", 4, "1280x720"), 2);
});

test("AI images are priced per picture by model and shape; an unknown model as the dearest", () => {
  assert.equal(imagePrice("gpt-image-1", "square"), 0.167);
  assert.equal(imagePrice("gpt-image-1", "landscape"), 0.25);
  assert.equal(imagePrice("dall-e-3", "portrait"), 0.08);
  assert.equal(imagePrice("dall-e-2", "square"), 0.02);
  assert.equal(imagePrice("gpt-image-1.5", "square"), 0.25);
  assert.equal(formatUsd(3.2), "$3.20");
});

test("a clip is the shortest length the API makes that covers the shot, at the 720p size of the orientation", () => {
  assert.deepEqual([3.9, 4, 4.1, 8, 9, 30].map(clipSecondsFor), [4, 4, 8, 8, 12, 12]);
  assert.deepEqual((["landscape", "portrait", "square"] as const).map(videoSizeFor), ["1280x720", "720x1280", "1280x720"]);
});
