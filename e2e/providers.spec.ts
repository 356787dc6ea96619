// Provider settings in the browser: a wrong key is refused by name and nothing is saved; a
// good key is tested, saved and shown masked; the next video's script comes from that
// provider. Quick Demo makes a video from its fixed script in one click.
import { expect, test } from "@playwright/test";
import { startFakeOpenAi, type FakeProvider } from "../test/helpers/fake-providers.ts";
import { fakeOpenAiPort } from "../playwright.config.ts";
import { signUp, submitBrief, uniqueEmail } from "./helpers.ts";

let openai: FakeProvider;
test.beforeAll(async () => {
  openai = await startFakeOpenAi({ port: fakeOpenAiPort });
});
test.afterAll(async () => {
  await openai.close();
});

test("an admin configures OpenAI: a wrong key is refused, a good one is saved masked and writes the next script", async ({ page }) => {
  await signUp(page, uniqueEmail("providers"));
  await page.getByRole("link", { name: "Providers" }).click();
  await expect(page.getByRole("heading", { name: "Providers" })).toBeVisible();

  const form = page.getByTestId("provider-form-script");
  await form.getByLabel("Add or change a provider").selectOption("openai");
  await form.getByLabel("Base URL").fill(`${openai.url}/v1`);
  await form.getByLabel("API key").fill("sk-wrong");
  await form.getByRole("button", { name: "Test and save" }).click();
  // In plain words: no HTTP status, no reply from the provider.
  await expect(form.getByTestId("save-error")).toHaveText("Not saved: OpenAI refused the API key.");
  await expect(page.getByTestId("setting-script:openai")).toHaveCount(0);

  await form.getByLabel("API key").fill("sk-test-good-key");
  await form.getByRole("button", { name: "Test and save" }).click();
  await expect(form.getByTestId("probe-result")).toContainText(/Connected in \d+ ms: 3 models available/);
  const row = page.getByTestId("setting-script:openai");
  await expect(row).toContainText("••••-key");
  await expect(row).toContainText("up");
  expect(await page.content()).not.toContain("sk-test-good-key");
  await row.getByRole("button", { name: "Test connection" }).click();
  await expect(row.getByTestId("probe-result")).toContainText("Connected in");

  const chatsBefore = openai.hitsOn("/v1/chat/completions").length;
  await submitBrief(page, { topic: "Why the sky is blue", audience: "curious kids", length: 15 });
  await expect(page.getByTestId("provider-script")).toHaveText("openai", { timeout: 60_000 });
  expect(openai.hitsOn("/v1/chat/completions").length).toBe(chatsBefore + 1);
  await expect(page.getByTestId("scenes")).toContainText("written by the model");
});

test("Quick demo makes a video from its fixed script in one click", async ({ page }) => {
  await signUp(page, uniqueEmail("demo"));
  await page.getByTestId("quick-demo").click();
  await expect(page).toHaveURL(/\/videos\/(?!new$)[a-z0-9]+$/);
  await expect(page.getByTestId("video-title")).toHaveText("Aura Quick Demo");
  await expect(page.locator("video")).toBeVisible({ timeout: 120_000 });
  await expect(page.getByTestId("provider-script")).toHaveText("preset");
  // The demo's voice is female: festival speaks it.
  await expect(page.getByTestId("provider-narration-1")).toContainText("festival");
});
