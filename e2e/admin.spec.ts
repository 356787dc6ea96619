// The site admin console in the browser: a user's job (waiting for script review) is found
// by its title among every workspace's jobs, cancelled and retried from the console; a
// normal user gets a 404 for the console.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers.ts";

test("an admin finds, cancels and retries a user's job from the console; others get 404", async ({ browser }) => {
  const userContext = await browser.newContext();
  const user = await userContext.newPage();
  await signUp(user, uniqueEmail("worker"));
  const title = `Admin check ${randomBytes(3).toString("hex")}`;
  await user.goto("/videos/new");
  await user.getByLabel("Topic or prompt").fill(`${title}. Consoles show every job. Admins act on them.`);
  await user.getByLabel("Audience").fill("operators");
  await user.getByLabel("Target length (seconds, 15–180)").fill("15");
  await user.getByTestId("review-script").check();
  await user.getByRole("button", { name: "Generate video" }).click();
  await expect(user.getByTestId("script-review")).toBeVisible({ timeout: 60_000 });
  expect((await user.goto("/admin"))?.status()).toBe(404);

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await admin.goto("/sign-in");
  await admin.getByLabel("Email").fill("admin@example.test");
  await admin.getByLabel("Password").fill("admin-password-e2e");
  await admin.getByRole("button", { name: "Sign in" }).click();
  await expect(admin).toHaveURL(/\/videos$/);
  await admin.getByRole("link", { name: "Admin" }).click();
  await admin.getByLabel("search").fill(title);
  await admin.getByRole("button", { name: "Search" }).click();
  const rows = admin.getByTestId("admin-jobs").locator("tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("waiting");
  await rows.first().getByRole("link").click();

  await expect(admin.getByTestId("admin-job-status")).toHaveText("waiting");
  await admin.getByRole("button", { name: "Cancel job" }).click();
  await expect(admin.getByTestId("admin-job-status")).toHaveText("cancelled");
  await admin.getByRole("button", { name: "Retry job" }).click();
  // Run again, it reaches the review gate again.
  await expect(admin.getByTestId("admin-job-status")).toHaveText("waiting", { timeout: 60_000 });
  await expect(admin.getByTestId("admin-job-events")).toContainText("job.retried");

  // The user's page shows the review again, and the whole audit log records the actions.
  await user.goBack();
  await user.reload();
  await expect(user.getByTestId("script-review")).toBeVisible({ timeout: 30_000 });
  await admin.getByRole("link", { name: "System" }).click();
  await expect(admin.getByTestId("admin-audit")).toContainText("admin.job.retried");
  await expect(admin.getByTestId("admin-audit")).toContainText("admin.job.cancelled");
  await Promise.all([userContext.close(), adminContext.close()]);
});
