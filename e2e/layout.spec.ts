// Every page at a desktop size (1440×900) and a phone size (390×844): nothing wider than the
// screen (the page never scrolls sideways; wide tables scroll inside their own box) and an
// accessibility scan by axe-core that finds no serious or critical violation. The phone's
// header folds its links into a Menu button. The pictures of the README are taken here.
import { mkdirSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page, test } from "@playwright/test";

const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
] as const;

/** Pages the README shows, by the name of their picture in docs/images/screens/. */
const PICTURES: Record<string, string> = { "/videos": "library", "/videos/new": "new-video", "/settings": "providers" };

async function signInAdmin(page: Page) {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("admin@example.test");
  await page.getByLabel("Password").fill("admin-password-e2e");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/videos$/);
}

async function checkPage(page: Page, path: string, viewport: (typeof VIEWPORTS)[number]) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(400);
  await page.locator("main").first().waitFor();
  // Client components fill in after their queries: wait for the network to settle.
  await page.waitForLoadState("networkidle");
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, viewport: window.innerWidth }));
  // Soft: one run reports every page that does not fit or scan clean.
  expect.soft(widths.scroll, `${path} at ${viewport.width} px is ${widths.scroll} px wide`).toBeLessThanOrEqual(widths.viewport);
  const scan = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const bad = scan.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect.soft(bad, `${path} at ${viewport.width} px`).toEqual([]);
  const picture = PICTURES[path];
  if (picture) {
    mkdirSync("docs/images/screens", { recursive: true });
    await page.screenshot({ path: `docs/images/screens/${picture}-${viewport.name}.png` });
  }
}

test("every page fits a phone and a desktop, with no serious accessibility violation", async ({ browser }) => {
  test.setTimeout(600_000);
  // A video of the admin's own, held at the script review, for the video and job pages.
  const setup = await browser.newPage();
  await signInAdmin(setup);
  await setup.goto("/videos/new");
  await setup.getByLabel("Topic or prompt").fill("Layout check. Pages fit every screen. Nothing scrolls sideways.");
  await setup.getByLabel("Audience").fill("everyone");
  await setup.getByLabel("Target length (seconds, 15–180)").fill("15");
  await setup.getByTestId("review-script").check();
  await setup.getByRole("button", { name: "Generate video" }).click();
  await expect(setup.getByTestId("script-review")).toBeVisible({ timeout: 60_000 });
  const videoPath = new URL(setup.url()).pathname;
  await setup.goto("/admin");
  const jobLink = setup.getByTestId("admin-jobs").locator("tbody tr a").first();
  const jobPath = await jobLink.getAttribute("href");
  await setup.close();

  const signedIn = [
    "/videos",
    "/videos/new",
    videoPath,
    "/workspace",
    "/media",
    "/knowledge",
    "/settings",
    "/admin",
    jobPath!,
    "/admin/system",
    "/admin/users",
    "/admin/workspaces",
  ];
  for (const viewport of VIEWPORTS) {
    // axe-core needs pages of a context of their own.
    const signedOut = await (await browser.newContext({ viewport })).newPage();
    for (const path of ["/sign-in", "/sign-up"]) await checkPage(signedOut, path, viewport);
    await signedOut.context().close();

    const page = await (await browser.newContext({ viewport })).newPage();
    await signInAdmin(page);
    for (const path of signedIn) await checkPage(page, path, viewport);
    if (viewport.name === "phone") {
      // The links are behind the Menu button, and it opens them.
      await expect(page.getByRole("link", { name: "Knowledge" })).toBeHidden();
      await page.getByRole("button", { name: "Menu" }).click();
      await page.getByRole("link", { name: "Knowledge" }).click();
      await expect(page).toHaveURL(/\/knowledge$/);
      await expect(page.getByRole("link", { name: "Knowledge" })).toBeHidden();
    } else await expect(page.getByRole("button", { name: "Menu" })).toBeHidden();
    await page.context().close();
  }
});
