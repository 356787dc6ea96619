// Knowledge in the browser: upload references, a refused file named with its reason, a search
// that finds the passage with the answer, and a video whose script lists the passages used.
import { expect, test } from "@playwright/test";
import { signUp, submitBrief, uniqueEmail } from "./helpers.ts";

const MOON =
  "# Apollo 11\n\nApollo 11 was the first crewed mission to land on the Moon. The lunar module Eagle landed on July 20, 1969.\n\nNeil Armstrong stepped onto the surface first.";

test("upload references, search them, and see them used by a script", async ({ page }) => {
  await signUp(page, uniqueEmail("knowledge"));
  await page.getByRole("link", { name: "Knowledge" }).click();
  const input = page.getByLabel(/Add documents/);
  await input.setInputFiles({ name: "moon.md", mimeType: "text/markdown", buffer: Buffer.from(MOON) });
  await expect(page.getByTestId("documents")).toContainText("moon.md");
  await input.setInputFiles({ name: "photo.png", mimeType: "image/png", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]) });
  await expect(page.getByTestId("upload-error")).toHaveText("file: photo.png: only text, Markdown and PDF files can be used");

  await page.getByLabel("Try a topic").fill("When did Apollo 11 land?");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("passages")).toContainText("landed on July 20, 1969");

  await submitBrief(page, { topic: "The Apollo 11 Moon landing", audience: "students", length: 15 });
  await expect(page.getByTestId("script-sources")).toContainText("moon.md", { timeout: 120_000 });
  await expect(page.getByTestId("script-meta")).toContainText("Written by offline");
});
