// The brief's language in the browser: detected from the topic as it is typed, offering only
// that language's voices, changed by hand (and then no longer overridden), stored with the
// video and shown in the library; a topic in a language no voice speaks is refused by the field.
import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";

const SPANISH = "Cómo funcionan los paneles solares. Los fotones liberan electrones en el silicio y el inversor cambia la corriente para las casas.";

test("the language follows the topic until picked by hand; the voices follow the language", async ({ page }) => {
  await signUp(page, uniqueEmail("languages"));
  await page.goto("/videos/new");
  const language = page.getByRole("combobox", { name: /^Language/ });
  const voice = page.getByRole("combobox", { name: /^Voice/ });
  await expect(language).toHaveValue("en");
  await expect(voice).toHaveValue("en-us-male");

  await page.getByLabel("Topic or prompt").fill(SPANISH);
  await expect(page.getByTestId("detected-language")).toHaveText("Detected from the topic: Spanish");
  await expect(language).toHaveValue("es");
  await expect(language.locator("option:checked")).toHaveText("Español — Spanish");
  await expect(voice.locator("option")).toHaveText(["Spanish — female", "Spanish — male"]);
  await expect(voice).toHaveValue("es-male");

  // Picked by hand: Japanese voices only, the same gender; more Spanish typing changes nothing.
  await language.selectOption("ja");
  await expect(voice.locator("option")).toHaveText(["Japanese — female", "Japanese — male"]);
  await expect(voice).toHaveValue("ja-male");
  await page.getByLabel("Topic or prompt").fill(`${SPANISH} Los paneles duran muchos años.`);
  await expect(page.getByTestId("detected-language")).toContainText("you chose another language");
  await expect(language).toHaveValue("ja");

  await page.getByLabel("Audience").fill("estudiantes curiosos");
  await page.getByLabel("Target length (seconds, 15–180)").fill("15");
  await page.getByRole("button", { name: "Generate video" }).click();
  await expect(page).toHaveURL(/\/videos\/(?!new$)[a-z0-9]+$/);
  await expect(page.getByTestId("video-title")).toBeVisible();
  const videoId = page.url().split("/").pop()!;

  // The stored brief, as the app's own API answers it.
  const input = encodeURIComponent(JSON.stringify({ json: { videoId } }));
  const answer = await page.request.get(`/api/trpc/videos.get?input=${input}`);
  expect(answer.ok()).toBe(true);
  const video = (await answer.json()).result.data.json as { language: string; brief: { language: string; voice: string } };
  expect(video.language).toBe("ja");
  expect(video.brief).toMatchObject({ language: "ja", voice: "ja-male" });

  await page.goto("/videos");
  await expect(page.getByTestId("library-item").filter({ has: page.getByTestId("library-language") })).toHaveCount(1);
  await expect(page.getByTestId("library-language")).toHaveText("日本語");
});

test("a topic in a language no voice speaks is refused by the Language field, naming the language", async ({ page }) => {
  await signUp(page, uniqueEmail("languages-refused"));
  await page.goto("/videos/new");
  await page.getByLabel("Topic or prompt").fill("მზის პანელები მზის შუქს ელექტროენერგიად გარდაქმნიან ქალაქის სახლებისთვის.");
  await expect(page.getByTestId("detected-language")).toHaveText("The topic seems to be in Georgian, which Aura cannot narrate yet");
  await page.getByLabel("Audience").fill("students");
  await page.getByRole("button", { name: "Generate video" }).click();
  await expect(page.locator('[data-field-error="language"]')).toContainText("The topic is written in Georgian (ka), and no installed voice speaks Georgian");
  await expect(page).toHaveURL(/\/videos\/new$/);
});
