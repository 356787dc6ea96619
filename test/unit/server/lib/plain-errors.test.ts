// The plain words users see for typical raw failures: each says what happened and what to do,
// and none carries a schema path, a server setting's name, a file path or a provider's reply.
import assert from "node:assert/strict";
import { test } from "node:test";
import { plainCause, plainError, plainEventPayload } from "../../../../server/lib/plain-errors.ts";
import { classifyHttp, toProviderError } from "../../../../server/providers/errors.ts";

/** Nothing of the machine's text may reach a user. */
function assertClean(text: string, ...raw: string[]) {
  assert.ok(text.length > 0);
  assert.doesNotMatch(text, /\b[A-Z][A-Z0-9]*_[A-Z0-9_]{2,}\b/, `a setting's name in: ${text}`);
  assert.doesNotMatch(text, /HTTP \d{3}|\/tmp\/|\{|\bscenes\.\d/, `machine text in: ${text}`);
  for (const r of raw) assert.ok(!text.includes(r), `the raw reply "${r}" leaked into: ${text}`);
}

test("a 401 from a provider: the key was refused, check it in Providers", () => {
  const raw = classifyHttp("openai", 401, "Incorrect API key provided: sk-abc***xyz.").message;
  const plain = plainError(raw);
  assert.equal(plain, "OpenAI refused the API key. Check the OpenAI key in Settings → Providers and save it again.");
  assertClean(plain, "Incorrect API key provided", "sk-abc");
});

test("a 429 rate limit says wait and retry; a 429 for quota says add credit", () => {
  const limited = plainError(classifyHttp("elevenlabs", 429, "Too many concurrent requests", { retryAfterMs: 2000 }).message);
  assert.equal(limited, "ElevenLabs had too many requests at once. Wait a minute, then retry.");
  const quota = plainError(classifyHttp("openai", 429, "You exceeded your current quota", { code: "insufficient_quota" }).message);
  assert.match(quota, /^OpenAI says the account is out of credit\. Add credit at OpenAI/);
  assertClean(quota, "You exceeded your current quota");
});

test("a timeout names the provider and says to retry", () => {
  const raw = (toProviderError("ollama", Object.assign(new Error("The operation was aborted due to timeout"), { name: "TimeoutError" })) as Error).message;
  assert.equal(raw, "ollama: no answer in time");
  assert.match(plainError(raw), /^Ollama did not answer in time\. Retry\./);
});

test("a zod path in a step's failure becomes 'data it did not expect', without the path", () => {
  const plain = plainError("scenes.2.narration: Invalid input: expected string, received undefined", { stage: "timeline" });
  assert.match(plain, /^A step got data it did not expect\./);
  assertClean(plain, "expected string");
  const json = plainError('[{"code":"too_small","path":["scenes",0,"title"],"message":"Too small"}]');
  assert.match(json, /^A step got data it did not expect\./);
});

test("an ENOENT with a path says a file was missing, never the path", () => {
  const plain = plainError("ENOENT: no such file or directory, open '/tmp/aura-render/job-x/scene-1.wav'");
  assert.match(plain, /^A file Aura needed was missing\./);
  assertClean(plain, "scene-1.wav");
});

test("a missing environment variable says the server is missing a setting, not its name", () => {
  const plain = plainError("RENDER_WORKER_SECRET is not set");
  assert.equal(plain, "The server is missing a setting. Ask your admin to finish the server's setup: the job's details name the setting.");
  assertClean(plainError("piper: PIPER_MODELS_DIR does not exist"), "PIPER_MODELS_DIR");
});

test("a chain where every provider failed speaks of the first, the one the workspace chose", () => {
  const raw = "every provider failed: openai: the API key was refused (HTTP 401): Incorrect API key; espeak-ng: could not connect: ENOENT";
  assert.equal(
    plainError(raw),
    "OpenAI refused the API key. No other provider could stand in. Check the OpenAI key in Settings → Providers and save it again.",
  );
});

test("text already meant for people passes through; anything else is a generic line", () => {
  assert.equal(plainError("the narration of scene 2 has no words"), "The narration of scene 2 has no words.");
  const odd = plainError("TypeError: Cannot read properties of undefined (reading 'map') at foo (/app/x.ts:3:1)", { stage: "visuals" });
  assert.match(odd, /^Something went wrong in the visuals stage\. Retry\./);
  assertClean(odd, "TypeError");
  // What it quotes is the user's own text: brackets or slashes in a title keep the instruction.
  const font = 'Scene 2 ("Ünïcode ✓ [beta] a/b/c"): no installed font can draw "𝕏" (U+1D54F); edit the scene to remove it';
  assert.equal(plainError(font, { stage: "timeline" }), `${font}.`);
});

test("fallback reasons read as causes: offline mode, a language, a failed health check", () => {
  assert.equal(plainCause("offline mode", "openai").what, "offline mode is on");
  assert.equal(plainCause("does not speak Japanese", "elevenlabs").what, "ElevenLabs does not speak Japanese");
  assert.equal(
    plainCause("unhealthy at the last check: elevenlabs: the API key was refused (HTTP 401): bad", "elevenlabs").what,
    "ElevenLabs failed its last health check (ElevenLabs refused the API key)",
  );
});

test("job events carry plain words; other payloads pass untouched", () => {
  const failed = plainEventPayload({
    stage: "narration",
    error: { stage: "narration", provider: "openai", reason: "openai: the API key was refused (HTTP 401): nope" },
  });
  assert.deepEqual(failed, {
    stage: "narration",
    error: { stage: "narration", provider: "openai", reason: "OpenAI refused the API key. Check the OpenAI key in Settings → Providers and save it again." },
  });
  const retrying = plainEventPayload({
    stage: "script",
    stepId: "script",
    attempt: 1,
    message: "ollama: could not connect: ECONNREFUSED",
    provider: "ollama",
  }) as {
    message: string;
  };
  assert.match(retrying.message, /^Ollama could not be reached\./);
  assert.deepEqual(plainEventPayload({ progress: 40, message: "40%", stepId: "encode" }), { progress: 40, message: "40%", stepId: "encode" });
});
