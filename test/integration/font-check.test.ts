// A brief whose text holds a character no installed font draws: the job fails before the
// render, for good, with a message that names the scene as the job page does and the
// character with its code point; nothing is rendered.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { runBriefToEnd, startPipelineEnvironment } from "../helpers/pipeline.ts";
import { createOwner } from "../helpers/seed.ts";

const harness = await startPipelineEnvironment();
const { getDb } = await import("../../server/db/client.ts");
const { briefSchema } = await import("../../server/videos/brief.ts");
const { closeSender } = await import("../../server/workflow/client.ts");

after(async () => {
  await closeSender();
  await harness.stop();
});

// Khitan Small Script (U+18B00): in Unicode since 2020, in no Debian font package.
const KHITAN = "\u{18B00}";

describe("the font check before the render", () => {
  test("a character no font draws fails the job before the render, naming the scene and the character", async () => {
    const db = getDb();
    const { workspaceId, userId } = await createOwner(db, "font-check");
    const brief = briefSchema.parse({
      topic: `Tides rise twice a day. The moon pulls the oceans ${KHITAN} toward it. Sailors plan their trips by them.`,
      audience: "sailors",
      tone: "informative",
      targetLengthSec: 15,
      aspectRatio: "16:9",
      voice: "en-us-male",
      visualStyle: "modern",
      music: "none",
    });
    const done = await runBriefToEnd(harness.database.url, { name: "font-check", workspaceId, userId, brief, polls: 1500 });
    assert.equal(done.status, "failed");
    assert.match(
      done.errorMessage ?? "",
      new RegExp(`Scene \\d+ \\(".+"\\): no installed font can draw "${KHITAN}" \\(U\\+18B00\\); edit the scene to remove it`, "u"),
    );
    assert.ok(!done.steps.some((s) => s.stepId === "encode" && s.status === "succeeded"), "nothing rendered");
    const failed = done.steps.find((s) => s.status === "failed")!;
    assert.ok(["visuals", "timeline"].includes(failed.stage), failed.stage);
  });
});
