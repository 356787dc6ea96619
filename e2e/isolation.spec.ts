// Tenancy: another user's video, job and media answer NOT_FOUND, through every door.
import { expect, test } from "@playwright/test";
import superjson from "superjson";
import { signUp, submitBrief, uniqueEmail } from "./helpers";

test("a second user cannot see, stream, watch or cancel the first user's video", async ({ browser }) => {
  const owner = await browser.newPage();
  await signUp(owner, uniqueEmail("owner"));
  const videoId = await submitBrief(owner, { topic: "A private video about tide pools", audience: "families", length: 15 });
  await expect(owner.getByTestId("job-progress")).toHaveAttribute("data-status", "succeeded", { timeout: 120_000 });
  await owner.reload();
  const mediaUrl = await owner.getByTestId("player").getAttribute("src");
  expect(mediaUrl).toMatch(/^\/api\/media\//);
  const ownerGet = await owner.request.get(`/api/trpc/videos.get?input=${encodeURIComponent(JSON.stringify({ json: { videoId } }))}`);
  const ownerBody = await ownerGet.json();
  expect(ownerGet.status(), JSON.stringify(ownerBody)).toBe(200);
  const jobId = ownerBody.result.data.json.job.id as string;
  expect((await owner.request.get(mediaUrl!)).status()).toBe(200);

  const outsiderContext = await browser.newContext();
  const outsider = await outsiderContext.newPage();
  await signUp(outsider, uniqueEmail("outsider"));

  // The video page is a 404.
  const page = await outsider.goto(`/videos/${videoId}`);
  expect(page!.status()).toBe(404);
  await expect(outsider.getByRole("heading", { name: "Not found" })).toBeVisible();

  // The media URL is a 404, with or without a range.
  expect((await outsider.request.get(mediaUrl!)).status()).toBe(404);
  expect((await outsider.request.get(mediaUrl!, { headers: { range: "bytes=0-10" } })).status()).toBe(404);

  // tRPC: reading the video, cancelling and watching the job answer NOT_FOUND.
  const get = await outsider.request.get(`/api/trpc/videos.get?input=${encodeURIComponent(JSON.stringify(superjson.serialize({ videoId })))}`);
  expect(get.status()).toBe(404);
  expect((await get.json()).error.json.data.code).toBe("NOT_FOUND");
  const cancel = await outsider.request.post(`/api/trpc/jobs.cancel`, { data: superjson.serialize({ jobId }) });
  expect(cancel.status()).toBe(404);
  const events = await outsider.request.get(`/api/trpc/jobs.events?input=${encodeURIComponent(JSON.stringify(superjson.serialize({ jobId })))}`, {
    timeout: 15_000,
  });
  expect(await events.text()).toContain("NOT_FOUND");

  // The outsider's library does not list it; the owner's job is untouched.
  await outsider.goto("/videos");
  await expect(outsider.getByText("No videos yet")).toBeVisible();
  const after = await owner.request.get(`/api/trpc/videos.get?input=${encodeURIComponent(JSON.stringify(superjson.serialize({ videoId })))}`);
  expect((await after.json()).result.data.json.job.status).toBe("succeeded");

  // Signed out, the media URL asks for a session.
  const anonymous = await browser.newContext();
  expect((await anonymous.request.get(`http://localhost:${process.env.E2E_PORT ?? 3200}${mediaUrl}`)).status()).toBe(401);
  const anonymousPage = await anonymous.newPage();
  await anonymousPage.goto(`/videos/${videoId}`);
  await expect(anonymousPage).toHaveURL(/\/sign-in$/);
});

test("sign-in failures are rate-limited, and the error says so", async ({ page }) => {
  const email = uniqueEmail("limited");
  await signUp(page, email);
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  // The e2e server allows 3 failures (SIGNIN_MAX_FAILURES=3).
  for (let i = 0; i < 3; i++) {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(`wrong-password-${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.locator("form").getByRole("alert")).toHaveText("Wrong email or password.");
    // React resets the form after each action; type again only once it has.
    await expect(page.getByLabel("Password")).toHaveValue("");
  }
  // Now even the right password is refused until the window passes.
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("correct-horse-battery");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText(/Too many failed sign-in attempts/);
  await expect(page).toHaveURL(/\/sign-in$/);
});

test("the site admin named in the environment exists on first start and can sign in", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("admin@example.test");
  await page.getByLabel("Password").fill("admin-password-e2e");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/videos$/);
  await expect(page.getByTestId("user-email")).toHaveText("admin@example.test");
});
