// The review gate: the workflow stops after the script; a scene with nothing to say aloud is
// refused by its number; the user edits a scene and approves; the video is made from the
// edited script (its narration and burned-in captions), the page following without a reload.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";

const EDITED = "Purple giraffes hum quietly at midnight in the reading room.";

test("a reviewer edits a scene and approves; the video narrates the edited text", async ({ page }) => {
  await signUp(page, uniqueEmail("reviewer"));
  await page.goto("/videos/new");
  await page.getByLabel("Topic or prompt").fill("How libraries work. Librarians sort books by subject. Readers borrow them for weeks.");
  await page.getByLabel("Audience").fill("new students");
  await page.getByLabel("Target length (seconds, 15–180)").fill("15");
  await page.getByTestId("review-script").check();
  await page.getByRole("button", { name: "Generate video" }).click();
  await expect(page).toHaveURL(/\/videos\/(?!new$)[a-z0-9]+$/);
  const videoId = page.url().split("/").pop()!;

  // The job waits for review, holding nothing: narration has not started.
  const review = page.getByTestId("script-review");
  await expect(review).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId("job-progress")).toHaveAttribute("data-status", "waiting");
  await expect(page.getByTestId("stage-review")).toHaveAttribute("data-state", "waiting");
  await expect(page.getByTestId("stage-narration")).toHaveAttribute("data-state", "pending");

  // An empty narration is refused, naming the scene's field; nothing is lost.
  const first = page.getByTestId("review-narration-0");
  const original = await first.inputValue();
  await first.fill("   ");
  await page.getByTestId("review-approve").click();
  await expect(review).toContainText("Narration must not be empty");
  await expect(page.getByTestId("job-progress")).toHaveAttribute("data-status", "waiting");
  // Nothing to say aloud (emoji and a link) is refused by the server, naming the scene.
  await first.fill("🎉 https://example.org/books");
  await page.getByTestId("review-approve").click();
  await expect(page.getByTestId("review-errors")).toHaveText("Scene 1 has nothing to say aloud");
  await expect(page.getByTestId("job-progress")).toHaveAttribute("data-status", "waiting");
  await expect(page.getByTestId("stage-narration")).toHaveAttribute("data-state", "pending");

  await first.fill(EDITED);
  await page.getByTestId("review-visual-0").fill("a giraffe reading a book under a lamp");
  await page.getByTestId("review-approve").click();

  await expect(page.getByTestId("job-progress")).toHaveAttribute("data-status", "succeeded", { timeout: 150_000 });
  await expect(page.getByTestId("stage-review")).toHaveAttribute("data-state", "done");
  await expect(page.getByTestId("script-review")).toHaveCount(0);
  await expect(page.getByTestId("player")).toBeVisible();
  const scenes = page.getByTestId("scenes");
  await expect(scenes).toContainText(EDITED);
  await expect(scenes).not.toContainText(original);
  await expect(scenes).toContainText("a giraffe reading a book under a lamp");

  // The render worker was given the edited words: the timeline's captions (cut from the
  // narration each scene was synthesised from) carry them.
  const storage = path.resolve(".data/e2e/storage/workspaces");
  // (A workspace with only library files or a brand kit has no videos folder.)
  const [workspace] = readdirSync(storage).filter((w) => existsSync(path.join(storage, w, "videos", videoId)));
  const timelines = path.join(storage, workspace!, "videos", videoId, "timeline");
  const spec = JSON.parse(readFileSync(path.join(timelines, readdirSync(timelines)[0]!), "utf8")) as { captions: { cues: { text: string }[] } };
  const captionText = spec.captions.cues.map((c) => c.text).join(" ");
  expect(captionText).toContain("Purple giraffes hum quietly");
});
