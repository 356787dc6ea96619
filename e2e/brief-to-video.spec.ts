// Sign up → write a brief → watch the stages advance live → the MP4 plays → it is in the library.
import { expect, test } from "@playwright/test";
import superjson from "superjson";
import { signUp, submitBrief, uniqueEmail } from "./helpers";

test("a signed-up user turns a brief into a video they can watch", async ({ page }) => {
  await signUp(page, uniqueEmail("maker"));
  await expect(page.getByText("No videos yet")).toBeVisible();

  // Client-side validation names the field and sends nothing.
  await page.goto("/videos/new");
  await page.getByLabel("Target length (seconds, 15–180)").fill("500");
  await page.getByRole("button", { name: "Generate video" }).click();
  await expect(page.locator('[data-field-error="topic"]')).toHaveText("Topic must be at least 3 characters");
  await expect(page.locator('[data-field-error="targetLengthSec"]')).toHaveText("Target length must be at most 180 seconds");
  await expect(page).toHaveURL(/\/videos\/new$/);

  await submitBrief(page, {
    topic: "Why bees matter. Bees pollinate a third of our food crops. Colonies communicate by dancing.",
    audience: "primary school teachers",
    length: 30,
    // A sound effect at each cut: the render mixes it in (render-worker tests hear it).
    transitionSound: "chime",
  });

  // Stages advance on the page without a reload: record what the page shows as it changes.
  const seen = new Set<string>();
  const progress = page.getByTestId("job-progress");
  await expect(async () => {
    for (const stage of ["script", "narration", "visuals", "timeline", "render"]) {
      seen.add(`${stage}:${await page.getByTestId(`stage-${stage}`).getAttribute("data-state")}`);
    }
    expect(await progress.getAttribute("data-status")).toBe("succeeded");
  }).toPass({ timeout: 150_000, intervals: [200] });
  expect(seen.has("render:running"), `observed ${[...seen].join(", ")}`).toBe(true);
  expect(seen.has("script:done")).toBe(true);
  await expect(page.getByTestId("job-percent")).toHaveText("100%");
  for (const stage of ["script", "narration", "visuals", "timeline", "render"]) {
    await expect(page.getByTestId(`stage-${stage}`)).toHaveAttribute("data-state", "done");
  }

  // The player streams the MP4 and plays it.
  const player = page.getByTestId("player");
  await expect(player).toBeVisible();
  const duration = await player.evaluate(
    (v: HTMLVideoElement) =>
      new Promise<number>((resolve, reject) => {
        if (v.readyState >= 1) return resolve(v.duration);
        v.addEventListener("loadedmetadata", () => resolve(v.duration), { once: true });
        v.addEventListener("error", () => reject(new Error(`video error ${v.error?.code}`)), { once: true });
      }),
  );
  expect(duration).toBeGreaterThan(10);
  const playedTo = await player.evaluate(async (v: HTMLVideoElement) => {
    v.muted = true;
    await v.play();
    await new Promise((r) => setTimeout(r, 1500));
    v.pause();
    return v.currentTime;
  });
  expect(playedTo).toBeGreaterThan(0.3);
  await expect(page.getByTestId("scenes").locator("li")).not.toHaveCount(0);
  // Three sentences hold about 20 s of narration, not the 30 s asked for: the page says why.
  await expect(page.getByTestId("shortened-notice")).toContainText("not the 30 s asked for");

  // One chapter per scene; choosing one moves the player to where it starts.
  const chapters = page.getByTestId("chapters").locator("li");
  await expect(chapters).toHaveCount(await page.getByTestId("scenes").locator(":scope > li").count());
  await expect(chapters.first()).toHaveAttribute("data-start-ms", "0");
  const second = chapters.nth(1);
  const startSec = Number(await second.getAttribute("data-start-ms")) / 1000;
  expect(startSec, "the second chapter starts after where the player stands").toBeGreaterThan(playedTo + 1);
  await player.evaluate((v: HTMLVideoElement) => (v.muted = true));
  await second.getByRole("button").click();
  await expect(async () => {
    const at = await player.evaluate((v: HTMLVideoElement) => v.currentTime);
    expect(at).toBeGreaterThanOrEqual(startSec - 0.05);
    expect(at).toBeLessThan(startSec + 3);
  }).toPass({ timeout: 5_000 });
  // The chapter playing is marked, and only that one.
  await expect(second.getByRole("button")).toHaveAttribute("aria-current", "true");
  await expect(chapters.first().getByRole("button")).not.toHaveAttribute("aria-current", "true");
  // The form's default voice is American male: flite speaks it.
  await expect(page.getByTestId("step-table")).toContainText("flite");

  // The download is the same MP4, served as an attachment.
  const href = await page.getByTestId("download").getAttribute("href");
  const download = await page.request.get(href!);
  expect(download.status()).toBe(200);
  expect(download.headers()["content-type"]).toBe("video/mp4");
  expect(download.headers()["content-disposition"]).toContain("attachment");

  // Caption sidecars download beside the MP4.
  const vtt = await page.request.get((await page.getByTestId("download-vtt").getAttribute("href"))!);
  expect(vtt.status()).toBe(200);
  expect(vtt.headers()["content-disposition"]).toMatch(/attachment; filename=".+\.vtt"/);
  expect(await vtt.text()).toMatch(/^WEBVTT\n\n00:00:/);
  await expect(page.getByTestId("download-srt")).toBeVisible();

  // Range requests work, so players can seek.
  const src = await player.getAttribute("src");
  const partial = await page.request.get(src!, { headers: { range: "bytes=0-99" } });
  expect(partial.status()).toBe(206);
  expect((await partial.body()).length).toBe(100);

  const title = await page.getByTestId("video-title").textContent();
  await page.goto("/videos");
  const item = page.getByTestId("library-item").filter({ hasText: title! });
  await expect(item).toBeVisible();
  await expect(item).toContainText("ready");
});

test("the server refuses an invalid brief, naming the field, and creates nothing", async ({ page }) => {
  await signUp(page, uniqueEmail("validator"));
  const res = await page.request.post("/api/trpc/videos.create", {
    data: superjson.serialize({
      topic: "ok topic",
      audience: "x",
      tone: "informative",
      targetLengthSec: 9999,
      aspectRatio: "16:9",
      voice: "en-us-male",
      visualStyle: "modern",
    }),
  });
  expect(res.status()).toBe(400);
  const body = await res.json();
  expect(body.error.json.data.fieldErrors).toEqual({
    audience: "Audience must be at least 2 characters",
    targetLengthSec: "Target length must be at most 180 seconds",
  });
  // The message speaks in words (no schema path); the field's path is in fieldErrors.
  expect(body.error.json.message).toContain("Target length must be at most 180 seconds");
  expect(body.error.json.message).not.toContain("targetLengthSec:");
  await page.goto("/videos");
  await expect(page.getByText("No videos yet")).toBeVisible();
});

test("the Cancel button stops a job during its render", async ({ page }) => {
  await signUp(page, uniqueEmail("canceller"));
  // A brief with much to say (about 80 s of narration): a thin one would make a video of a few
  // seconds, with a render too quick to cancel.
  await submitBrief(page, { topic: MAPS_ARTICLE, audience: "map lovers", length: 120 });
  await expect(page.getByTestId("stage-render")).toHaveAttribute("data-state", "running", { timeout: 60_000 });
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("job-progress")).toHaveAttribute("data-status", "cancelled", { timeout: 30_000 });
  await expect(page.getByTestId("stage-render")).toHaveAttribute("data-state", "cancelled");
  await expect(page.getByRole("button", { name: "Cancel" })).toHaveCount(0);
  await expect(page.getByTestId("player")).toHaveCount(0);
  await page.goto("/videos");
  await expect(page.getByTestId("library-item").first()).toContainText("cancelled");
});

const MAPS_ARTICLE = `The long history of maps.
Early maps were scratched on clay tablets in Babylon, showing fields, rivers and the walls of cities.
Greek scholars measured the size of the Earth and drew the known world as a round shape around the sea.
Ptolemy listed thousands of places with their latitude and longitude, and his book guided mapmakers for centuries.
Medieval maps often put Jerusalem at the centre and filled the edges with monsters and legends.
Sailors in the Mediterranean drew portolan charts, with lines of compass bearings between harbours.
Printing made maps cheap, and atlases spread across Europe in the sixteenth century.
Mercator drew a projection that kept compass courses straight, which made it the sailor's favourite for four hundred years.
Surveyors later measured whole countries with chains, telescopes and triangles, one hill at a time.
Aerial photographs changed mapping in the twentieth century, and satellites then photographed the whole planet.
Today, phones place us on a map within a few metres, and volunteers keep open maps of every street up to date.`;
