// A shot's picture replaced from the media library in the scene editor: the picker shows the
// library as thumbnails, the chosen picture is saved, the video is made again, the new file
// plays, and its frames in that shot show the chosen picture (a flat red, read back here).
import { createHash } from "node:crypto";
import { expect, test } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { signUp, submitBrief, uniqueEmail } from "./helpers.ts";

const dir = mkdtempSync(path.join(os.tmpdir(), "aura-e2e-shot-"));
test.afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ffmpeg = (...args: string[]) => execFileSync("ffmpeg", ["-v", "error", "-nostdin", "-y", ...args], { maxBuffer: 64 * 1024 * 1024 });

test("replace a shot's picture with one from the media library; the new video plays and shows it", async ({ page }) => {
  await signUp(page, uniqueEmail("shot-library"));
  const red = ffmpeg("-f", "lavfi", "-i", "color=c=#d01010:s=640x360", "-frames:v", "1", "-f", "image2", "-c:v", "png", "-");
  const added = await page.request.post("/api/library?name=red%20lamp.png", { data: red, headers: { "content-type": "image/png" } });
  expect(added.status()).toBe(201);

  await submitBrief(page, {
    topic: "How lighthouses guide ships. Their lamps turn all night. Each one flashes its own pattern.",
    audience: "sailors",
    length: 15,
  });
  await expect(page.getByTestId("player")).toBeVisible({ timeout: 120_000 });
  const src = (await page.getByTestId("player").getAttribute("src"))!;
  const bytesOf = async () => Buffer.from(await (await page.request.get(src)).body());
  const digest = async () =>
    createHash("sha256")
      .update(await bytesOf())
      .digest("hex");
  const before = await digest();

  await page.getByTestId("edit-scene-1").click();
  await page.getByTestId("scene-1-shot-0-library").click();
  const picker = page.getByTestId("scene-1-shot-0-picker");
  await picker.getByLabel("Search the media library").fill("lamp");
  const choice = picker.getByRole("button", { name: /red lamp\.png/ });
  await expect(choice.locator("img")).toHaveJSProperty("complete", true);
  expect(await choice.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await choice.click();
  await expect(page.getByTestId("scene-1-shot-0-picked")).toContainText("red lamp.png");
  await page.getByRole("button", { name: "Save and re-render" }).click();

  // Made again: the render replaces the video's file (same URL, new bytes); the shot says
  // where its picture came from, and the new file plays.
  await expect.poll(digest, { timeout: 150_000, intervals: [2000] }).not.toBe(before);
  await expect(page.getByTestId("job-progress")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await page.reload();
  await expect(page.getByTestId("shot-1-0")).toContainText("From the media library: red lamp.png");
  const player = page.getByTestId("player");
  await player.evaluate((video: HTMLVideoElement) => {
    video.muted = true;
    return video.play();
  });
  await expect.poll(() => player.evaluate((video: HTMLVideoElement) => video.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);

  // The second chapter (scene 2) starts with the picked shot: a frame a second into it is red
  // (its top half, above the captions and the lower third).
  const file = path.join(dir, "video.mp4");
  writeFileSync(file, await bytesOf());
  const chapters = JSON.parse(execFileSync("ffprobe", ["-v", "error", "-print_format", "json", "-show_chapters", file], { encoding: "utf8" })) as {
    chapters: { start_time: string }[];
  };
  const at = Number(chapters.chapters[1]!.start_time) + 1;
  const rgb = ffmpeg("-ss", at.toFixed(2), "-i", file, "-frames:v", "1", "-vf", "crop=iw:ih/2:0:0,scale=16:9", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");
  const mean = [0, 1, 2].map((c) => rgb.filter((_, i) => i % 3 === c).reduce((a, b) => a + b, 0) / (rgb.length / 3));
  expect(mean[0]).toBeGreaterThan(150);
  expect(mean[1]).toBeLessThan(90);
  expect(mean[2]).toBeLessThan(90);
});
