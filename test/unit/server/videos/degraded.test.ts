// A video's degraded stages, worked out from the provider reports its steps recorded: the
// offline chain, a configured provider passed over (and why, in plain words), and nothing for
// a video every configured provider made.
import assert from "node:assert/strict";
import { test } from "node:test";
import { degradationsOf, readDegraded } from "../../../../server/videos/degraded.ts";

const step = (stepId: string, stage: string, provider: string, fallbacks: { provider: string; reason: string }[] = []) => ({
  stepId,
  stage,
  provider,
  output: { provider, attempts: [], fallbacks },
});

test("a video made on the offline chain says so for each stage, with what to connect", () => {
  const found = degradationsOf([
    step("script", "script", "offline"),
    step("narration-1", "narration", "festival"),
    step("narration-2", "narration", "flite", [{ provider: "festival", reason: "could not connect: ENOENT" }]),
    step("visual-1", "visuals", "offline-card"),
    step("timeline", "timeline", "builtin"),
  ]);
  assert.deepEqual(found, [
    { stage: "script", reason: "Written by the offline writer because no script writer is connected", fix: "Connect a script writer in Settings → Providers." },
    { stage: "narration", reason: "Narrated by the offline voice because no voice is connected", fix: "Connect a voice in Settings → Providers." },
    {
      stage: "visuals",
      reason: "Pictures from the offline illustrations because no picture source is connected",
      fix: "Connect a picture source in Settings → Providers.",
    },
  ]);
});

test("a configured provider that failed: the reason names it in plain words, never its reply", () => {
  const found = degradationsOf([
    step("script", "script", "openai"),
    step("narration-1", "narration", "openai"),
    step("narration-2", "narration", "festival", [{ provider: "openai", reason: "the API key was refused (HTTP 401): Incorrect API key provided: sk-x" }]),
  ]);
  assert.deepEqual(found, [
    {
      stage: "narration",
      reason: "Narrated by the offline voice in 1 of 2 scenes because OpenAI refused the API key",
      fix: "Check the OpenAI key in Settings → Providers and save it again.",
    },
  ]);
});

test("one configured provider standing in for another counts; offline mode is named", () => {
  const found = degradationsOf([
    step("narration-1", "narration", "openai", [{ provider: "elevenlabs", reason: "rate limited (HTTP 429): busy" }]),
    step("visual-1", "visuals", "offline-card", [{ provider: "pexels", reason: "offline mode" }]),
    // A scene with AI video clips is judged by its clips step.
    step("visual-2", "visuals", "offline-card"),
    step("visual-2-clips", "visuals", "offline-card", [{ provider: "pexels", reason: "offline mode" }]),
  ]);
  assert.equal(found[0]!.reason, "Narrated by OpenAI because ElevenLabs had too many requests at once");
  assert.equal(found[1]!.reason, "Pictures from the offline illustrations because offline mode is on");
  assert.match(found[1]!.fix, /Turn offline mode off/);
});

test("a video every configured provider made, or a library pick, is not degraded", () => {
  assert.deepEqual(
    degradationsOf([step("script", "script", "ollama"), step("narration-1", "narration", "elevenlabs"), step("visual-1", "visuals", "library")]),
    [],
  );
});

test("stored values read back; old videos and odd values read as none", () => {
  assert.deepEqual(readDegraded(null), []);
  assert.deepEqual(readDegraded({ nope: 1 }), []);
  assert.deepEqual(readDegraded([{ stage: "script", reason: "r", fix: "f" }]), [{ stage: "script", reason: "r", fix: "f" }]);
});
