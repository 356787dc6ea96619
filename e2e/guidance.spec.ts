// Guidance to good output in the browser: a new workspace's library shows the setup checklist
// (a script writer, a voice, a picture source, each with its state and a link to its part of
// Providers) until it is hidden; a video made on the offline chain shows its degraded badge with
// the reason in the library and on its page, and the badge's link opens the provider settings.
// The video and its steps are seeded straight into the app's database: how a video is made is
// not what this spec is about.
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import pg from "pg";
import { degradationsOf } from "../server/videos/degraded.ts";
import { signUp, uniqueEmail } from "./helpers";

/** The app's own database (scripts/launch.ts starts it in .data/e2e). */
async function database() {
  const password = readFileSync(".data/e2e/postgres-password", "utf8").trim();
  const client = new pg.Client({
    connectionString: `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${process.env.E2E_PG_PORT ?? 54349}/aura`,
  });
  await client.connect();
  return client;
}

const id = () => `e2e${randomBytes(10).toString("hex")}`;

test("a new workspace sees the setup checklist: three lines, their states and links, and it can be hidden", async ({ page }) => {
  await signUp(page, uniqueEmail("guidance-setup"));
  const list = page.getByTestId("setup-checklist");
  await expect(list).toBeVisible();
  const lines = [
    ["script", "Connect a script writer"],
    ["voice", "Connect a voice"],
    ["visuals", "Connect a picture source"],
  ] as const;
  for (const [capability, label] of lines) {
    const line = list.getByTestId(`setup-${capability}`);
    await expect(line).toHaveAttribute("data-state", "offline");
    await expect(line).toContainText("Offline fallback in use");
    await expect(line.getByRole("link", { name: label })).toHaveAttribute("href", `/settings#providers-${capability}`);
  }
  await list.getByRole("link", { name: "Connect a voice" }).click();
  await expect(page).toHaveURL(/\/settings#providers-voice$/);
  await expect(page.locator("#providers-voice")).toBeVisible();
  await expect(page.locator("#providers-voice")).toContainText("robotic");

  await page.goto("/videos");
  await page.getByTestId("setup-dismiss").click();
  await expect(page.getByTestId("setup-checklist")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("library-filters")).toBeVisible();
  await expect(page.getByTestId("setup-checklist")).toHaveCount(0);
});

test("a video made on the offline chain shows its degraded badge in the library and on its page, linking to Providers", async ({ page }) => {
  const email = uniqueEmail("guidance-degraded");
  await signUp(page, email);
  const db = await database();
  const videoId = id();
  try {
    const { rows } = await db.query<{ workspaceId: string; userId: string }>(
      `SELECT m."workspaceId", m."userId" FROM "Membership" m JOIN "User" u ON u.id = m."userId" WHERE u.email = $1`,
      [email],
    );
    const { workspaceId, userId } = rows[0]!;
    const jobId = id();
    const brief = {
      topic: "Tides",
      audience: "everyone",
      tone: "informative",
      targetLengthSec: 15,
      aspectRatio: "16:9",
      voice: "en-us-male",
      visualStyle: "minimal",
    };
    // The script by the offline writer; a narration that fell back from OpenAI's refused key.
    const steps = [
      { stepId: "script", stage: "script", provider: "offline", fallbacks: [] },
      {
        stepId: "narration-1",
        stage: "narration",
        provider: "festival",
        fallbacks: [{ provider: "openai", reason: "the API key was refused (HTTP 401): Incorrect API key provided: sk-e2e" }],
      },
      { stepId: "visual-1", stage: "visuals", provider: "offline-card", fallbacks: [] },
    ].map((s) => ({ ...s, output: { provider: s.provider, attempts: [], fallbacks: s.fallbacks } }));
    await db.query(
      `INSERT INTO "Video" (id, "workspaceId", "createdById", title, brief, status, "durationSec", degraded, "updatedAt")
       VALUES ($1, $2, $3, 'Why the tides turn', $4, 'ready', 15, $5, now())`,
      [videoId, workspaceId, userId, JSON.stringify(brief), JSON.stringify(degradationsOf(steps))],
    );
    await db.query(
      `INSERT INTO "Job" (id, "workspaceId", "videoId", "correlationId", status, progress, "finishedAt", "updatedAt")
       VALUES ($1, $2, $3, $4, 'succeeded', 100, now(), now())`,
      [jobId, workspaceId, videoId, id()],
    );
    for (const s of steps)
      await db.query(
        `INSERT INTO "JobStep" (id, "jobId", "stepId", stage, status, provider, output, "finishedAt", "durationMs") VALUES ($1, $2, $3, $4, 'succeeded', $5, $6, now(), 10)`,
        [id(), jobId, s.stepId, s.stage, s.provider, JSON.stringify(s.output)],
      );
  } finally {
    await db.end();
  }

  await page.goto("/videos");
  const card = page.getByTestId("library").locator("li").filter({ hasText: "Why the tides turn" });
  const badge = card.getByTestId("degraded-badge");
  await expect(badge).toContainText("Written by the offline writer because no script writer is connected");
  await expect(badge).toContainText("(and 2 more)");
  await expect(badge).not.toContainText("HTTP");

  await card.getByTestId("library-item").click();
  await expect(page).toHaveURL(new RegExp(`/videos/${videoId}$`));
  const onPage = page.getByTestId("degraded-badge");
  await expect(onPage.getByTestId("degraded-reason")).toHaveText([
    "Written by the offline writer because no script writer is connected. Connect a script writer in Settings → Providers.",
    "Narrated by the offline voice because OpenAI refused the API key. Check the OpenAI key in Settings → Providers and save it again.",
    "Pictures from the offline illustrations because no picture source is connected. Connect a picture source in Settings → Providers.",
  ]);
  await expect(onPage).not.toContainText("Incorrect API key");
  await onPage.getByRole("link", { name: "Open provider settings" }).click();
  await expect(page).toHaveURL(/\/settings#providers$/);
  await expect(page.getByRole("heading", { name: "Providers", exact: true })).toBeVisible();
});
