// The media library in the browser, on a phone-sized screen: upload a picture and a video clip
// (made with FFmpeg here), see their thumbnails, a refused file named with its reason, tag the
// clip and find it by search, play it in the preview, delete the picture after confirming.
import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openFromHeader, signUp, uniqueEmail } from "./helpers.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "aura-e2e-media-"));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeFiles() {
  const ffmpeg = (...args: string[]) => execFileSync("ffmpeg", ["-v", "error", "-nostdin", "-y", ...args]);
  const picture = path.join(dir, "harbour.png");
  const clip = path.join(dir, "waves.webm");
  ffmpeg("-f", "lavfi", "-i", "testsrc2=s=640x360", "-frames:v", "1", picture);
  ffmpeg(
    "-f",
    "lavfi",
    "-i",
    "testsrc2=s=320x240:r=25:d=3",
    "-f",
    "lavfi",
    "-i",
    "sine=f=440:d=3",
    "-shortest",
    "-c:v",
    "libvpx",
    "-b:v",
    "300k",
    "-c:a",
    "libopus",
    clip,
  );
  return { picture: readFileSync(picture), clip: readFileSync(clip) };
}

test.use({ viewport: { width: 390, height: 844 } });

test("upload a picture and a clip, tag and find the clip, play it, delete the picture", async ({ page, browser }) => {
  const files = makeFiles();
  await signUp(page, uniqueEmail("media"));
  await openFromHeader(page, "Media");
  await expect(page.getByRole("heading", { name: "Media library" })).toBeVisible();

  await page.getByLabel("Add media").setInputFiles([
    { name: "harbour.png", mimeType: "image/png", buffer: files.picture },
    { name: "waves.webm", mimeType: "video/webm", buffer: files.clip },
    { name: "notes.mp4", mimeType: "video/mp4", buffer: Buffer.from("These are notes, not a video.\n".repeat(10)) },
  ]);
  const status = page.getByTestId("upload-status");
  await expect(status).toContainText("harbour.png: added");
  await expect(status).toContainText("waves.webm: added");
  await expect(status.getByRole("alert")).toHaveText(/^notes\.mp4: it is not a video file ffprobe can read/);

  // Both thumbnails are shown (loaded pictures, not broken ones), with their kinds and the clip's length.
  const items = page.getByTestId("media-item");
  await expect(items).toHaveCount(2);
  for (const thumbnail of await page.getByTestId("media-thumbnail").all()) {
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  }
  const clipCard = page.getByRole("button", { name: "Open waves.webm" });
  await expect(clipCard).toContainText("Video");
  await expect(clipCard).toContainText("0:03");
  await expect(page.getByRole("button", { name: "Open harbour.png" })).toContainText("Picture");

  // Tag the clip in its preview, and play it there.
  await clipCard.click();
  const preview = page.getByTestId("media-preview");
  await preview.getByLabel("Tags (separated by commas)").fill("Ocean, b-roll");
  await preview.getByRole("button", { name: "Save" }).click();
  await expect(preview.getByText("Saved")).toBeVisible();
  const video = preview.getByTestId("preview-video");
  await video.evaluate((v: HTMLVideoElement) => {
    v.muted = true;
    return v.play();
  });
  await expect.poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);
  // The phone's screen holds the page and the preview without scrolling sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await preview.getByRole("button", { name: "Close" }).click();
  await expect(clipCard).toContainText("#ocean");

  // Found by its tag, in any case; the picture is not.
  await page.getByPlaceholder("Search names and tags").fill("OCEAN");
  await expect(items).toHaveCount(1);
  await expect(items.first()).toHaveAccessibleName("Open waves.webm");
  await page.getByPlaceholder("Search names and tags").fill("");
  await page.getByLabel("Kind").selectOption("image");
  await expect(items).toHaveCount(1);
  await expect(items.first()).toHaveAccessibleName("Open harbour.png");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  // Another user's session gets 404 for the file and the thumbnail, with or without a range.
  const thumbnailUrl = (await page.getByTestId("media-thumbnail").first().getAttribute("src"))!;
  const fileUrl = thumbnailUrl.replace(/\/thumbnail$/, "");
  expect((await page.request.get(fileUrl, { headers: { range: "bytes=0-9" } })).status()).toBe(206);
  const outsiderContext = await browser.newContext();
  const outsider = await outsiderContext.newPage();
  await signUp(outsider, uniqueEmail("media-outsider"));
  for (const url of [fileUrl, thumbnailUrl]) expect((await outsider.request.get(url)).status()).toBe(404);
  expect((await outsider.request.get(fileUrl, { headers: { range: "bytes=0-9" } })).status()).toBe(404);
  await outsiderContext.close();

  // Delete the picture, after saying yes.
  await items.first().click();
  await preview.getByRole("button", { name: "Delete" }).click();
  await expect(preview).toContainText("Delete “harbour.png” for everyone in this workspace?");
  await preview.getByRole("button", { name: "Yes, delete" }).click();
  await expect(preview).toHaveCount(0);
  await expect(page.getByText("Nothing matches this search.")).toBeVisible();
  await page.getByLabel("Kind").selectOption("");
  await expect(items).toHaveCount(1);
});
