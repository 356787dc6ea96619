// Watch while it renders: on the job page the growing preview plays (its currentTime advances)
// while the job is still running, the scenes list says which are ready, the page fits a phone
// and scans clean while it shows; when the job ends the final video replaces the preview.
// A render the page does not expect to grow a preview (Premium takes two passes in software)
// shows none, until one appears: a worker with a hardware H.264 encoder cuts it into segments.
// The render is made long enough to watch by the brief alone: fourteen sentences make about
// fourteen scenes, whose render at 1080p takes minutes on these machines (no throttle in the
// worker).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import type { PreviewStatus } from "@aura/render-contract";
import pg from "pg";
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

test("a Premium render shows no preview until the worker writes one, then shows it", async ({ page }) => {
  test.setTimeout(300_000);
  const email = uniqueEmail("preview-premium");
  await signUp(page, email);
  const videoId = await submitBrief(page, {
    topic: "Bridges. Stone arches carried the first roads over rivers. Steel let them reach across bays.",
    audience: "walkers",
    length: 60,
    quality: "premium",
  });
  // The render stage has begun: a software Premium render is one FFmpeg run of two passes here.
  await expect(page.getByTestId("stage-render")).toHaveAttribute("data-state", "running", { timeout: 120_000 });
  await page.reload();
  // The preview's part polls (404: this worker makes no segments at Premium) and shows nothing.
  await page.waitForResponse((r) => r.url().endsWith(`/api/videos/${videoId}/preview/status.json`) && r.status() === 404);
  await expect(page.getByTestId("live-preview")).toHaveCount(0);

  // What a worker with a hardware encoder writes when its first segment is done: the status, in
  // the job's preview folder of the app's storage (scripts/launch.ts: .data/e2e/storage).
  const password = readFileSync(".data/e2e/postgres-password", "utf8").trim();
  const db = new pg.Client({ host: "127.0.0.1", port: Number(process.env.E2E_PG_PORT ?? 54349), user: "postgres", password, database: "aura" });
  await db.connect();
  const { rows } = await db
    .query<{ id: string; workspaceId: string }>(`SELECT id, "workspaceId" FROM "Job" WHERE "videoId" = $1`, [videoId])
    .finally(() => db.end());
  const job = rows[0]!;
  const status: PreviewStatus = {
    scenes: 3,
    playableScenes: 0,
    sceneStates: ["waiting", "rendered", "waiting"],
    segments: 5,
    published: 0,
    playableSec: 0,
    totalSec: 60,
    ended: false,
  };
  const folder = path.join(".data/e2e/storage/workspaces", job.workspaceId, "videos", videoId, "preview", job.id);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, "status.json"), JSON.stringify(status));

  const preview = page.getByTestId("live-preview");
  await expect(preview).toBeVisible();
  await expect(page.getByTestId("live-preview-summary")).toHaveText(/0 of 3 scenes can be watched \(0 of 60 s\)/);
  await expect(preview.locator('li[data-state="rendered"]')).toHaveText("Scene 2: rendered, after a scene still rendering");

  // Cancelled: the run has ended, and the preview goes with it.
  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByTestId("job-progress")).toHaveAttribute("data-status", "cancelled", { timeout: 60_000 });
  await expect(preview).toHaveCount(0);
});
