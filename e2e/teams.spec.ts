// Teams in two browsers: an owner makes a team workspace and invites a colleague by link;
// the colleague signs up through the link, joins, and sees the team's video. A public share
// link plays in a signed-out browser, and stops working once revoked.
import { expect, test } from "@playwright/test";
import { signUp, uniqueEmail } from "./helpers.ts";

test("invite, accept, see the shared video; a public link works signed out until revoked", async ({ browser }) => {
  const ownerContext = await browser.newContext();
  const owner = await ownerContext.newPage();
  await signUp(owner, uniqueEmail("owner"));

  // A team workspace with one video (the Quick demo makes one in a click).
  await owner.getByRole("link", { name: "Team" }).click();
  await owner.getByLabel("New workspace name").fill("Launch Team");
  await owner.getByRole("button", { name: "Create and switch" }).click();
  await expect(owner).toHaveURL(/\/videos$/);
  await expect(owner.getByTestId("workspace-switcher").locator("option:checked")).toHaveText("Launch Team (owner)");
  await owner.getByTestId("quick-demo").click();
  await expect(owner.getByTestId("video-title")).toHaveText("Aura Quick Demo");
  await expect(owner.getByTestId("player")).toBeVisible({ timeout: 120_000 });
  const videoUrl = owner.url();

  // Invite a colleague as an editor; the link is shown to copy.
  const colleagueEmail = uniqueEmail("colleague");
  await owner.getByRole("link", { name: "Team" }).click();
  await owner.getByLabel("Email to invite").fill(colleagueEmail);
  await owner.getByLabel("Role").selectOption("editor");
  await owner.getByRole("button", { name: "Create invitation link" }).click();
  const inviteLink = await owner.getByTestId("invite-link").inputValue();
  expect(inviteLink).toMatch(/\/invite\/[A-Za-z0-9_-]{30,}$/);

  // The colleague opens it in another browser, signs up through it and accepts.
  const colleagueContext = await browser.newContext();
  const colleague = await colleagueContext.newPage();
  await colleague.goto(inviteLink);
  await expect(colleague.getByTestId("invitation-summary")).toContainText("Launch Team");
  await colleague.getByRole("link", { name: "Create an account" }).click();
  await colleague.getByLabel("Name").fill("Colleague");
  await colleague.getByLabel("Email").fill(colleagueEmail);
  await colleague.getByLabel("Password").fill("correct-horse-battery");
  await colleague.getByRole("button", { name: "Create account" }).click();
  await expect(colleague).toHaveURL(/\/invite\//);
  await colleague.getByRole("button", { name: "Accept and open the workspace" }).click();
  await expect(colleague).toHaveURL(/\/videos$/);
  await expect(colleague.getByTestId("workspace-switcher").locator("option:checked")).toHaveText("Launch Team (editor)");
  await expect(colleague.getByTestId("library")).toContainText("Aura Quick Demo");
  await colleague.goto(videoUrl);
  await expect(colleague.getByTestId("player")).toBeVisible();
  // The link cannot be used twice.
  await colleague.goto(inviteLink);
  await expect(colleague.getByTestId("invitation-state")).toHaveText("This invitation was already used.");

  // The owner sees the new member and the audit log.
  await owner.reload();
  await expect(owner.getByTestId(`member-${colleagueEmail}`)).toContainText("editor");
  await expect(owner.getByTestId("audit-log")).toContainText("member.joined");

  // A public link, watched signed out.
  await owner.goto(videoUrl);
  await owner.getByRole("button", { name: "Create public link" }).click();
  const shareUrl = await owner.getByLabel("Public link").inputValue();
  const publicContext = await browser.newContext();
  const visitor = await publicContext.newPage();
  await visitor.goto(shareUrl);
  await expect(visitor.getByTestId("shared-title")).toHaveText("Aura Quick Demo");
  // Pasted into a chat app, the link unfolds into a card: title, poster, duration, the video.
  const meta = async (attribute: "property" | "name", key: string) => visitor.locator(`meta[${attribute}="${key}"]`).getAttribute("content");
  expect(await meta("property", "og:title")).toBe("Aura Quick Demo");
  expect(await meta("property", "og:type")).toBe("video.other");
  expect(await meta("property", "og:description")).toMatch(/^A \d+:\d\d video made with Aura\.$/);
  const poster = await meta("property", "og:image");
  expect(poster).toMatch(/^https?:\/\/[^/]+\/api\/share\/[\w-]+\/poster$/);
  expect((await visitor.request.get(new URL(poster!).pathname)).headers()["content-type"]).toMatch(/^image\//);
  expect(await meta("property", "og:video")).toMatch(/\/api\/share\/[\w-]+\/video$/);
  expect(Number(await meta("name", "video:duration"))).toBeGreaterThan(10);
  expect(await meta("name", "twitter:card")).toBe("summary_large_image");
  const duration = await visitor.getByTestId("shared-player").evaluate(
    (v: HTMLVideoElement) =>
      new Promise<number>((resolve) => {
        if (v.readyState >= 1) return resolve(v.duration);
        v.addEventListener("loadedmetadata", () => resolve(v.duration), { once: true });
      }),
  );
  expect(duration).toBeGreaterThan(10);
  // The same chapters as on the video page, under the public player.
  const ownerChapters = await owner.getByTestId("chapters").locator("li").allTextContents();
  expect(ownerChapters.length).toBeGreaterThan(1);
  await expect(visitor.getByTestId("chapters").locator("li")).toHaveText(ownerChapters);
  await expect(visitor.getByRole("link", { name: "Library" })).toHaveCount(0);
  const media = await visitor.request.get(`${shareUrl.replace("/s/", "/api/share/")}/video`, { headers: { range: "bytes=0-99" } });
  expect(media.status()).toBe(206);
  // Only the embed page may be framed by another site; the watch page and the app may not.
  const framing = async (url: string) => {
    const res = await visitor.request.get(url);
    return [res.headers()["x-frame-options"] ?? null, res.headers()["content-security-policy"] ?? null];
  };
  expect(await framing(shareUrl)).toEqual(["DENY", "frame-ancestors 'none'"]);
  expect(await framing("/sign-in")).toEqual(["DENY", "frame-ancestors 'none'"]);
  expect(await framing(shareUrl.replace("/s/", "/embed/"))).toEqual([null, null]);

  // Revoked: the page and the media answer not found.
  await owner.getByRole("button", { name: "Revoke" }).click();
  await expect(owner.getByTestId("share-link")).toHaveCount(0);
  const gone = await visitor.goto(shareUrl);
  expect(gone?.status()).toBe(404);
  // The stranger is told what happened, not sent to a library they cannot open.
  await expect(visitor.getByRole("heading", { name: "This video is not available" })).toBeVisible();
  await expect(visitor.getByRole("link", { name: /library/i })).toHaveCount(0);
  expect((await visitor.request.get(`${shareUrl.replace("/s/", "/api/share/")}/video`)).status()).toBe(404);

  // The app's own assets, signed out: the manifest's icons are real images of their stated sizes.
  expect(await visitor.locator('link[rel="manifest"]').getAttribute("href")).toBe("/manifest.webmanifest");
  const manifest = await (await visitor.request.get("/manifest.webmanifest")).json();
  expect(manifest.name).toBe("Aura");
  for (const icon of manifest.icons as { src: string; sizes: string; type: string }[]) {
    const res = await visitor.request.get(icon.src);
    expect(res.status(), icon.src).toBe(200);
    if (icon.type !== "image/png") continue;
    const png = await res.body();
    // A PNG's width and height are big-endian words at bytes 16 and 20 (its IHDR chunk).
    expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`, icon.src).toBe(icon.sizes);
  }
  for (const asset of ["/favicon.ico", "/apple-touch-icon.png", "/og-default.png"]) expect((await visitor.request.get(asset)).status(), asset).toBe(200);

  await Promise.all([ownerContext.close(), colleagueContext.close(), publicContext.close()]);
});
