// The brief form helps: four sections with the rest folded (opened by keyboard too), presets
// that fill several fields and say which (the fields stay editable, and the brief goes through),
// a voice sample that plays (its audio answers as audio with a length) and changes with the
// voice, a sample picture per visual style, and a refused brief — by the browser's check or by
// the server — summarised at the top in plain words with the focus on the first refused field.
import { expect, type Page, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers";

/** The stored brief of a video, as the app's own API answers it. */
async function storedBrief(page: Page, videoId: string) {
  const input = encodeURIComponent(JSON.stringify({ json: { videoId } }));
  const answer = await page.request.get(`/api/trpc/videos.get?input=${input}`);
  expect(answer.ok()).toBe(true);
  return ((await answer.json()).result.data.json as { brief: Record<string, unknown> }).brief;
}

test("sections with folded options; a preset fills fields, says which, and the brief goes through", async ({ page }) => {
  await signUp(page, uniqueEmail("brief-preset"));
  await page.goto("/videos/new");
  for (const [id, title] of [
    ["content", "Content"],
    ["look", "Look"],
    ["sound", "Sound"],
    ["output", "Output"],
  ] as const) {
    await expect(page.getByTestId(`brief-section-${id}`).locator("legend").first()).toHaveText(title);
  }
  // The common choices show; the rest are folded until asked for, by mouse or keyboard.
  await expect(page.getByLabel("Music bed")).toBeVisible();
  await expect(page.getByLabel("Transition sound")).toBeHidden();
  await expect(page.getByLabel("Format")).toBeHidden();
  await page.getByText("More sound options").click();
  await expect(page.getByLabel("Transition sound")).toBeVisible();
  await page.getByText("More output options").focus();
  await page.keyboard.press("Enter");
  await expect(page.getByLabel("Format")).toBeVisible();

  await page.getByRole("button", { name: "Short or Reel" }).click();
  await expect(page.getByLabel("Aspect ratio")).toHaveValue("9:16");
  await expect(page.getByLabel("Target length (seconds, 15–180)")).toHaveValue("60");
  await expect(page.getByLabel("Tone")).toHaveValue("playful");
  await expect(page.getByLabel("Captions", { exact: true })).toHaveValue("burned");
  await expect(page.getByLabel("Caption size")).toHaveValue("large");
  const note = page.getByTestId("preset-note");
  await expect(note).toHaveText("Short or Reel changed 4 fields: Aspect ratio: 9:16; Tone: Playful; Caption size: Large; Word highlighting: on.");
  await expect(page.getByRole("button", { name: "Short or Reel" })).toHaveAttribute("aria-pressed", "true");

  // Another preset over it names what it changes from there.
  await page.getByRole("button", { name: "LinkedIn square" }).click();
  await expect(page.getByLabel("Aspect ratio")).toHaveValue("1:1");
  await expect(page.getByLabel("Target length (seconds, 15–180)")).toHaveValue("90");
  await expect(note).toContainText("Target length: 90 s");
  await expect(note).toContainText("Tone: Serious");

  // Every field stays the user's: a shorter video than the preset's.
  await page.getByLabel("Target length (seconds, 15–180)").fill("15");
  await page.getByLabel("Topic or prompt").fill("Why bridges sway. Wind pushes the deck. Dampers calm the motion.");
  await page.getByLabel("Audience").fill("engineering students");
  await page.getByRole("button", { name: "Generate video" }).click();
  await expect(page).toHaveURL(/\/videos\/(?!new$)[a-z0-9]+$/);
  const brief = await storedBrief(page, page.url().split("/").pop()!);
  expect(brief).toMatchObject({ aspectRatio: "1:1", tone: "serious", targetLengthSec: 15, captions: true });
});

test("a voice sample plays and follows the voice; every visual style shows its picture", async ({ page }) => {
  await signUp(page, uniqueEmail("brief-samples"));
  await page.goto("/videos/new");

  await page.getByRole("button", { name: "Hear a sample of American English — male" }).click();
  const audio = page.getByTestId("voice-sample-audio");
  await expect(audio).toHaveCount(1);
  const src = await audio.getAttribute("src");
  const answer = await page.request.get(src!);
  expect(answer.status()).toBe(200);
  expect(answer.headers()["content-type"]).toMatch(/^audio\//);
  const duration = await audio.evaluate(
    (a: HTMLAudioElement) =>
      new Promise<number>((resolve, reject) => {
        if (a.readyState >= 1) return resolve(a.duration);
        a.addEventListener("loadedmetadata", () => resolve(a.duration), { once: true });
        a.addEventListener("error", () => reject(new Error(`audio error ${a.error?.code}`)), { once: true });
      }),
  );
  expect(duration).toBeGreaterThan(1);
  await expect(page.getByTestId("voice-sample-provider")).toContainText("spoken by flite (rms)");

  // Another language, another voice: its own sample, in its own words.
  await page.getByRole("combobox", { name: /^Language/ }).selectOption("es");
  await expect(audio).toHaveCount(0);
  await page.getByRole("button", { name: "Hear a sample of Spanish — male" }).click();
  await expect(page.getByTestId("voice-sample-provider")).toContainText("Hola");
  await expect(page.getByTestId("voice-sample-provider")).toContainText("espeak-ng (es)");
  expect(await page.getByTestId("voice-sample-audio").getAttribute("src")).not.toBe(src);

  for (const style of ["modern", "warm", "minimal", "bold", "midnight"]) {
    const picture = page.getByTestId(`style-sample-${style}`);
    await expect(picture).toBeVisible();
    await expect.poll(() => picture.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  }
  // A style is chosen by its picture.
  await page.getByTestId("style-sample-bold").click();
  await expect(page.locator("#visualStyle-bold")).toBeChecked();
});

test("a refused brief: a summary at the top in plain words, the focus on the first refused field", async ({ page }) => {
  await signUp(page, uniqueEmail("brief-refused"));
  await page.goto("/videos/new");

  // Refused in the browser: nothing is sent.
  await page.getByLabel("Target length (seconds, 15–180)").fill("500");
  await page.getByRole("button", { name: "Generate video" }).click();
  const summary = page.getByTestId("error-summary");
  await expect(summary.getByRole("heading")).toHaveText("3 fields need attention");
  await expect(summary.getByRole("link")).toHaveText([
    "Topic or prompt: Topic must be at least 3 characters",
    "Audience: Audience must be at least 2 characters",
    "Target length: Target length must be at most 180 seconds",
  ]);
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("topic");
  await expect(page.getByLabel("Topic or prompt")).toHaveAttribute("aria-invalid", "true");
  const words = await summary.textContent();
  expect(words).not.toMatch(/targetLengthSec|brief\.|expected|received/i);
  // A link in the summary takes the focus to its field.
  await summary.getByRole("link", { name: /^Target length/ }).click();
  expect(await page.evaluate(() => document.activeElement?.id)).toBe("targetLengthSec");

  // Refused by the server (what the browser sends is changed on its way): the same summary.
  await page.route("**/api/trpc/videos.create**", async (route) => {
    const body = JSON.parse(route.request().postData()!) as Record<string, { json: Record<string, unknown> }>;
    Object.assign(body["0"]!.json, { audience: "x", targetLengthSec: 9999 });
    await route.continue({ postData: JSON.stringify(body) });
  });
  await page.getByLabel("Topic or prompt").fill("Why owls hunt at night. Their eyes gather light. Soft feathers hush their flight.");
  await page.getByLabel("Audience").fill("bird watchers");
  await page.getByLabel("Target length (seconds, 15–180)").fill("15");
  await page.getByRole("button", { name: "Generate video" }).click();
  await expect(summary.getByRole("heading")).toHaveText("2 fields need attention");
  await expect(summary.getByRole("link")).toHaveText([
    "Audience: Audience must be at least 2 characters",
    "Target length: Target length must be at most 180 seconds",
  ]);
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("audience");
  expect(await summary.textContent()).not.toMatch(/targetLengthSec|expected|received/i);
  await expect(page).toHaveURL(/\/videos\/new$/);

  // A refused field inside a folded section opens it and takes the focus.
  await page.unroute("**/api/trpc/videos.create**");
  await page.route("**/api/trpc/videos.create**", async (route) => {
    const body = JSON.parse(route.request().postData()!) as Record<string, { json: Record<string, unknown> }>;
    Object.assign(body["0"]!.json, { format: "avi" });
    await route.continue({ postData: JSON.stringify(body) });
  });
  await page.getByRole("button", { name: "Generate video" }).click();
  await expect(summary.getByRole("heading")).toHaveText("1 field needs attention");
  await expect(page.getByLabel("Format")).toBeVisible();
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("format");
  expect(await summary.textContent()).not.toMatch(/expected|received|avi/i);
});
