import { expect, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";

export function uniqueEmail(prefix: string) {
  return `${prefix}-${randomBytes(4).toString("hex")}@example.test`;
}

export async function signUp(page: Page, email: string, password = "correct-horse-battery") {
  await page.goto("/sign-up");
  await page.getByLabel("Name").fill("Test User");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/videos$/);
  await expect(page.getByTestId("user-email")).toHaveText(email);
}

export async function submitBrief(
  page: Page,
  brief: { topic: string; audience: string; length: number; aspect?: string; transitionSound?: string; quality?: string },
) {
  await page.goto("/videos/new");
  await page.getByLabel("Topic or prompt").fill(brief.topic);
  await page.getByLabel("Audience").fill(brief.audience);
  await page.getByLabel("Target length (seconds, 15–180)").fill(String(brief.length));
  if (brief.aspect) await page.getByLabel("Aspect ratio").selectOption(brief.aspect);
  if (brief.quality) await page.getByLabel("Quality").selectOption(brief.quality);
  // The transition sound is folded under the Sound section's more options.
  if (brief.transitionSound) {
    await page.getByText("More sound options").click();
    await page.getByLabel("Transition sound").selectOption(brief.transitionSound);
  }
  await page.getByRole("button", { name: "Generate video" }).click();
  // Wait for the video's own page: /videos/new itself matches a naive pattern.
  await expect(page).toHaveURL(/\/videos\/(?!new$)[a-z0-9]+$/);
  await expect(page.getByTestId("video-title")).toBeVisible();
  return page.url().split("/").pop()!;
}

/** Follows a link of the header: on a phone its links are behind the Menu button. */
export async function openFromHeader(page: Page, name: string) {
  const menu = page.getByRole("button", { name: "Menu" });
  if (await menu.isVisible()) await menu.click();
  await page.getByRole("banner").getByRole("link", { name, exact: true }).click();
}
