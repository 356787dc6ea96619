// Watch while it renders: on the job page the growing preview plays (its currentTime advances)
// while the job is still running, the scenes list says which are ready, the page fits a phone
// and scans clean while it shows; when the job ends the final video replaces the preview.
// The render is made long enough to watch by the brief alone: fourteen sentences make about
// fourteen scenes, whose render at 1080p takes minutes on these machines (no throttle in the
// worker).
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { signUp, submitBrief, uniqueEmail } from "./helpers";

test("the preview plays before the job has finished, then the final video replaces it", async ({ page }) => {
  test.setTimeout(600_000);
  await signUp(page, uniqueEmail("preview"));
  await submitBrief(page, {
    topic: [
      "Lighthouses.",
      "Keepers trimmed the wicks each night.",
      "Lenses bent the light into beams that reached far out to sea.",
      "Fog horns called when the light could not be seen.",
      "Each tower had its own pattern of flashes.",
      "Sailors read the pattern to know which coast they saw.",
      "Storms broke windows and salt ate the iron.",
      "Supply boats came once a month in good weather.",
      "Families lived in the towers for years.",
      "Electric lamps replaced the oil in the last century.",
      "Radio beacons and satellites guide most ships today.",
      "Yet the old towers still stand on the rocks.",
      "Many are museums now, open in the summer.",
      "Some still shine every night, with no one inside.",
    ].join(" "),
    audience: "sailors",
    length: 150,
  });

  const preview = page.getByTestId("live-preview-video");
  await expect(preview).toBeVisible({ timeout: 420_000 });
  const playedFrom = await preview.evaluate(
    (v: HTMLVideoElement) =>
      new Promise<number>((resolve, reject) => {
        v.muted = true;
        const start = () => {
          const from = v.currentTime;
          v.play().catch(reject);
          resolve(from);
        };
        if (v.readyState >= 1) start();
        else v.addEventListener("loadedmetadata", start, { once: true });
        v.addEventListener("error", () => reject(new Error(`preview error ${v.error?.code}`)), { once: true });
      }),
  );
  // Playing: time advances from the start, while the job is still running.
  await expect.poll(() => preview.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 }).toBeGreaterThan(playedFrom + 1);
  expect(playedFrom).toBeLessThan(1);
  await expect(page.getByTestId("job-progress")).toHaveAttribute("data-status", "running");
  await expect(page.getByTestId("live-preview").locator('li[data-state="playable"]').first()).toBeVisible();

  // The page with the preview fits a phone and has no serious accessibility violation.
  await page.setViewportSize({ width: 390, height: 844 });
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.viewport);
  const scan = await new AxeBuilder({ page }).include('[data-testid="live-preview"]').withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  expect(scan.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);
  await page.setViewportSize({ width: 1280, height: 720 });

  // The final file replaces the preview.
  await expect(page.getByTestId("job-progress")).toHaveAttribute("data-status", "succeeded", { timeout: 420_000 });
  await expect(page.getByTestId("player")).toBeVisible();
  await expect(page.getByTestId("live-preview")).toHaveCount(0);
});
