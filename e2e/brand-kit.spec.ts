// The brand kit in the browser, on a phone-sized screen: upload a logo to the media library,
// pick it in the settings' brand kit with a caption colour, see the page fit 390 px, and find
// the logo in its corner of the next video's frames (read back with FFmpeg from the download).
import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { openFromHeader, signUp, uniqueEmail } from "./helpers.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "aura-e2e-brand-"));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));
test.use({ viewport: { width: 390, height: 844 } });

test("a brand kit's logo and caption colour show in the next video", async ({ page }) => {
  const logo = path.join(dir, "logo.png");
  execFileSync("ffmpeg", ["-v", "error", "-nostdin", "-y", "-f", "lavfi", "-i", "color=c=0xFF00FF:s=240x120", "-frames:v", "1", logo]);
  await signUp(page, uniqueEmail("brand"));

  await openFromHeader(page, "Media");
  await page.getByLabel("Add media").setInputFiles([{ name: "logo.png", mimeType: "image/png", buffer: readFileSync(logo) }]);
  await expect(page.getByTestId("upload-status")).toContainText("logo.png: added");

  await page.goto("/settings");
  const kit = page.getByTestId("brand-kit");
  await expect(kit).toContainText("No brand kit yet");
  await kit.getByRole("button", { name: "logo.png" }).click();
  await expect(kit.getByRole("button", { name: "logo.png" })).toHaveAttribute("aria-pressed", "true");
  await kit.getByLabel("Corner").selectOption("top-right");
  await kit.locator('input[name="logoOpacity"]').fill("1");
  await kit.getByLabel("Caption text", { exact: true }).fill("#00FF00");
  // A file that is not a font is refused, naming the reason.
  await kit.getByTestId("brand-font-file").setInputFiles([{ name: "Brand.ttf", mimeType: "font/ttf", buffer: readFileSync(logo) }]);
  await expect(kit.getByRole("alert")).toContainText("Brand.ttf: it is a PNG picture, not a TrueType or OpenType font");
  await kit.getByTestId("brand-save").click();
  await expect(kit.getByRole("status")).toHaveText("Saved. New videos use it.");
  expect(await page.evaluate(() => document.documentElement.scrollWidth), "no horizontal scroll at 390 px").toBeLessThanOrEqual(390);

  await page.goto("/videos/new");
  await expect(page.getByTestId("brief-brand")).toContainText("Show the logo (in the top right corner)");
  await page.getByLabel("Topic or prompt").fill("Lighthouses. Their lamps turn all night. Ships steer by them.");
  await page.getByLabel("Audience").fill("sailors");
  await page.getByLabel("Target length (seconds, 15–180)").fill("15");
  await page.getByLabel("Quality").selectOption("draft");
  await page.getByLabel("Music bed").selectOption("none");
  await page.getByRole("button", { name: "Generate video" }).click();
  await expect(page).toHaveURL(/\/videos\/(?!new$)[a-z0-9]+$/);
  await expect(page.getByTestId("job-progress")).toHaveAttribute("data-status", "succeeded", { timeout: 150_000 });

  const href = await page.getByTestId("download").getAttribute("href");
  const download = await page.request.get(href!);
  expect(download.status()).toBe(200);
  const video = path.join(dir, "video.mp4");
  writeFileSync(video, await download.body());
  // A frame from the middle: 1920×1080, the logo 108 px high in the top-right corner.
  const [W, H] = [1920, 1080];
  const rgb = execFileSync("ffmpeg", ["-v", "error", "-ss", "7", "-i", video, "-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"], {
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(rgb.length).toBe(W * H * 3);
  const magenta = (x0: number, x1: number, y0: number, y1: number) => {
    let n = 0;
    for (let y = y0; y < y1; y++)
      for (let x = x0; x < x1; x++) {
        const i = (y * W + x) * 3;
        if (rgb[i]! > 200 && rgb[i + 1]! < 60 && rgb[i + 2]! > 200) n++;
      }
    return n;
  };
  expect(magenta(W * 0.75, W, 0, H * 0.25), "the logo's pixels in the top-right corner").toBeGreaterThan(108 * 216 * 0.8);
  expect(magenta(0, W * 0.25, 0, H * 0.25), "and none in the top-left").toBe(0);
});
