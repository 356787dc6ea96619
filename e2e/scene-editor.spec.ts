// Editing one scene of a ready video in the browser: the new narration and a picture-in-picture
// are saved, the video is made again (only that scene's steps and the render run), and the
// page shows the new text and the inset.
import { createHash } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signUp, submitBrief, uniqueEmail } from "./helpers.ts";

test("edit one scene of a ready video; it is made again with the new words", async ({ page }) => {
  await signUp(page, uniqueEmail("editor"));
  await submitBrief(page, { topic: "How bridges stand. Arches push forces outward. Cables pull them up.", audience: "engineers", length: 15 });
  await expect(page.getByTestId("player")).toBeVisible({ timeout: 120_000 });
  // The first render made every piece; none came from the cache.
  const reused = async () =>
    /^(\d+) of (\d+) pieces reused$/
      .exec((await page.getByTestId("segments-encode").textContent()) ?? "")!
      .slice(1)
      .map(Number);
  const [firstCached, total] = await reused();
  expect(firstCached).toBe(0);
  const src = (await page.getByTestId("player").getAttribute("src"))!;
  const digest = async () =>
    createHash("sha256")
      .update(await (await page.request.get(src)).body())
      .digest("hex");
  const before = await digest();

  await page.getByTestId("edit-scene-1").click();
  await page.getByLabel("Narration").fill("");
  await page.getByRole("button", { name: "Save and re-render" }).click();
  await expect(page.getByText(/narration/i).and(page.locator(".text-red-700"))).toBeVisible();

  const words = "Suspension bridges hang their decks from steel cables.";
  await page.getByLabel("Narration").fill(words);
  // And the first scene's picture in the bottom-left corner of this one.
  await page.getByLabel("Picture in picture").selectOption({ index: 1 });
  await page.getByLabel("Corner").selectOption("bottom-left");
  await page.getByRole("button", { name: "Save and re-render" }).click();
  await expect(page.getByTestId("scenes")).toContainText(words, { timeout: 30_000 });
  // Made again: the render replaces the video's file (same URL, new bytes).
  await expect.poll(digest, { timeout: 120_000, intervals: [2000] }).not.toBe(before);
  await expect(page.getByTestId("job-progress")).toHaveAttribute("data-status", "succeeded", { timeout: 60_000 });
  await page.reload();
  await expect(page.getByTestId("player")).toBeVisible();
  await expect(page.getByTestId("scenes")).toContainText(words);
  await expect(page.getByTestId("inset-1")).toHaveText("Picture in picture: scene 1's picture, bottom left");
  // Only the edited scene's pieces were made again: its body and the transitions on each side.
  const sceneCount = await page.getByTestId("scenes").locator(":scope > li").count();
  expect(await reused()).toEqual([total! - (sceneCount > 2 ? 3 : 2), total]);
});
