// The live job page: it follows every run of a job without a reload (after Cancel and Retry,
// and after a scene edit), its percentage climbs, the steps table and the scenes' pictures fill
// in, and a polite live region tells screen readers the stage and percentage. A failed job's
// scene is edited, kept, and retried from the failed step to a video with the edit.
import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page, test } from "@playwright/test";
import pg from "pg";
import { signUp, submitBrief, uniqueEmail } from "./helpers.ts";

/** A marker on the window: still there at the end means the page was never reloaded. */
const markPage = (page: Page) => page.evaluate(() => Object.assign(window, { __notReloaded: true }));
const stillSamePage = (page: Page) => page.evaluate(() => (window as unknown as { __notReloaded?: boolean }).__notReloaded === true);

/** The percentage the page shows now. */
const percentOf = async (page: Page) => Number((await page.getByTestId("job-percent").textContent())?.replace("%", ""));

/** The app's own database (the embedded PostgreSQL the e2e server started), for seeding what
 *  the browser flow is not about. */
async function withDatabase<T>(fn: (db: pg.Client) => Promise<T>) {
  const password = readFileSync(path.resolve(".data/e2e/postgres-password"), "utf8").trim();
  const db = new pg.Client({ host: "127.0.0.1", port: Number(process.env.E2E_PG_PORT ?? 54349), user: "postgres", password, database: "aura" });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

test("the page follows a cancel, a retry and a scene edit without a reload", async ({ page }) => {
  await signUp(page, uniqueEmail("live"));
  await submitBrief(page, { topic: "How tides work. The moon pulls the sea. Coasts see two tides a day.", audience: "walkers", length: 15 });
  const progress = page.getByTestId("job-progress");
  // The live region exists from the start and speaks politely.
  const announcer = page.getByTestId("progress-announcer");
  await expect(announcer).toHaveAttribute("aria-live", "polite");
  await expect(announcer).not.toBeEmpty();
  await markPage(page);

  await page.getByRole("button", { name: "Cancel" }).click();
  await expect(progress).toHaveAttribute("data-status", "cancelled", { timeout: 60_000 });
  await expect(announcer).toContainText("cancelled");
  const before = await percentOf(page);

  await page.getByTestId("retry").click();
  // The new run's progress appears on the same page: running, then climbing to 100.
  await expect(progress).not.toHaveAttribute("data-status", "cancelled");
  await expect(page.getByTestId("job-error")).toHaveCount(0);
  await expect(progress).toHaveAttribute("data-status", "succeeded", { timeout: 150_000 });
  await expect(page.getByTestId("job-percent")).toHaveText("100%");
  expect(await percentOf(page)).toBeGreaterThan(before);
  // The steps table and every scene's picture filled in as their steps finished.
  const steps = page.getByTestId("step-table");
  await expect(steps).toContainText("encode", { timeout: 20_000 });
  const sceneCount = await page.getByTestId("scenes").locator(":scope > li").count();
  for (let i = 0; i < sceneCount; i++) await expect(page.getByTestId(`scene-thumb-${i}`)).toBeVisible();
  await expect(page.getByTestId("player")).toBeVisible();
  await expect(announcer).toContainText("succeeded");
  expect(await stillSamePage(page)).toBe(true);

  // An edit starts a new run: the page follows it too.
  const words = "Spring tides come when the sun and the moon pull together.";
  await page.getByTestId("edit-scene-1").click();
  await page.getByLabel("Narration").fill(words);
  await page.getByRole("button", { name: "Save and re-render" }).click();
  await expect(progress).not.toHaveAttribute("data-status", "succeeded", { timeout: 20_000 });
  await expect.poll(() => percentOf(page)).toBeLessThan(100);
  await expect(page.getByTestId("scenes")).toContainText(words);
  await expect(progress).toHaveAttribute("data-status", "succeeded", { timeout: 150_000 });
  await expect(page.getByTestId("job-percent")).toHaveText("100%");
  expect(await stillSamePage(page)).toBe(true);
});

test("a failed job's scene is edited, kept, and retried from the failed step to a video with the edit", async ({ page }) => {
  await signUp(page, uniqueEmail("mend"));
  const videoId = await submitBrief(page, { topic: "How kites fly. Wind lifts the sail. The line holds it steady.", audience: "children", length: 15 });
  await expect(page.getByTestId("job-progress")).toHaveAttribute("data-status", "succeeded", { timeout: 150_000 });
  // The render failed for good (seeded: the failure itself is not what this test is about).
  await withDatabase(async (db) => {
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM "Job" WHERE "videoId" = $1`, [videoId]);
    const jobId = rows[0]!.id;
    const error = { stage: "render", provider: null, reason: "the render worker stopped" };
    await db.query(`UPDATE "JobStep" SET status = 'failed', error = $2 WHERE "jobId" = $1 AND "stepId" IN ('render', 'encode')`, [jobId, error.reason]);
    await db.query(`UPDATE "Job" SET status = 'failed', "errorStage" = 'render', "errorMessage" = $2 WHERE id = $1`, [jobId, error.reason]);
    await db.query(`UPDATE "Video" SET status = 'failed' WHERE id = $1`, [videoId]);
    await db.query(`INSERT INTO "JobEvent" ("jobId", type, payload) VALUES ($1, 'job.failed', $2)`, [jobId, JSON.stringify({ error })]);
  });
  await page.reload();
  const progress = page.getByTestId("job-progress");
  await expect(progress).toHaveAttribute("data-status", "failed");
  await expect(page.getByTestId("job-error")).toContainText(/the render worker stopped/i);
  await markPage(page);

  const words = "Box kites hold steady in strong winds over the beach.";
  await page.getByTestId("edit-scene-1").click();
  await page.getByLabel("Narration").fill(words);
  await page.getByRole("button", { name: "Save for the retry" }).click();
  await expect(page.getByTestId("scenes")).toContainText(words);
  await expect(page.getByTestId("job-edits")).toContainText("Scene 2 edited: Retry runs it again.");

  await page.getByTestId("retry").click();
  await expect(page.getByTestId("job-error")).toHaveCount(0);
  await expect(progress).toHaveAttribute("data-status", "succeeded", { timeout: 150_000 });
  await expect(page.getByTestId("player")).toBeVisible();
  expect(await stillSamePage(page)).toBe(true);
  // Kept after a reload; only the edited scene's narration ran again (its row lists two
  // attempts), the others were reused (one).
  await page.reload();
  await expect(page.getByTestId("scenes")).toContainText(words);
  await expect(page.getByTestId("step-narration-2").locator("details")).toHaveCount(1);
  await expect(page.getByTestId("step-narration-1").locator("details")).toHaveCount(0);
  await expect(page.getByTestId("step-narration-3").locator("details")).toHaveCount(0);
});
