// Every provider against a local server that speaks its real wire format, with the failures
// those APIs really send: 429 with Retry-After, 500, a hang, a refused key, malformed bodies.
// Then the breaker, the URL guard, the settings (keys encrypted, tested on save), offline
// mode (no request at all), and a whole job finishing through fallback on the real engine.
import assert from "node:assert/strict";
import { getEventListeners } from "node:events";
import { mkdirSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  startFakeElevenLabs,
  startFakeOllama,
  startFakeOpenAi,
  startFakePexels,
  startFakeSdWebUi,
  toneWav,
  type FakeProvider,
} from "../helpers/fake-providers.ts";
import { pngHeader } from "../helpers/images.ts";
import { runBriefToEnd, startPipelineEnvironment } from "../helpers/pipeline.ts";
import { resilient } from "../helpers/resilient.ts";
import { createOwner } from "../helpers/seed.ts";

Object.assign(process.env, {
  PROVIDER_PRIVATE_HOSTS: "127.0.0.1:*",
  PROVIDER_TIMEOUT_SEC: "1.5",
  PROVIDER_ATTEMPTS: "3",
  PROVIDER_MAX_RETRY_WAIT_SEC: "2",
  PROVIDER_BREAKER_FAILURES: "3",
  PROVIDER_BREAKER_RESET_SEC: "1",
  PIPER_BINARY: path.resolve(import.meta.dirname, "../fixtures/fake-piper.mjs"),
});
const harness = await startPipelineEnvironment();
const piperDir = path.join(harness.env.dir, "piper");
mkdirSync(piperDir, { recursive: true });
writeFileSync(path.join(piperDir, "en_US-test-medium.onnx"), "model");
process.env.PIPER_MODELS_DIR = piperDir;

const { getDb } = await import("../../server/db/client.ts");
const { callCapability, buildChain } = await import("../../server/providers/chain.ts");
const { writeScriptWith } = await import("../../server/pipeline/script/write.ts");
const { speakWith } = await import("../../server/pipeline/narration/speak.ts");
const { drawShot } = await import("../../server/pipeline/visuals/draw.ts");
const { callProvider, breakerState, resetBreakers } = await import("../../server/providers/resilience.ts");
const { ProviderError } = await import("../../server/providers/errors.ts");
const { checkProviderUrl } = await import("../../server/providers/http.ts");
const { checkImage } = await import("../../server/providers/images/validate.ts");
const { saveProviderSetting, testProviderSetting, getProviderSettings, InvalidSettingError, probeAllSettings } = await import(
  "../../server/providers/settings.ts"
);
const { briefSchema } = await import("../../server/videos/brief.ts");
const { writeOfflineScript } = await import("../../server/pipeline/script/offline-writer.ts");
const { createVideo } = await import("../../server/videos/service.ts");
const { runNarrationStep, runScriptStep, runVisualStep } = await import("../../server/pipeline/index.ts");
const { closeSender } = await import("../../server/workflow/client.ts");
import type { ProviderConfig } from "../../server/providers/types.ts";
import type { AttemptRecord } from "../../server/providers/resilience.ts";

const db = getDb();
const brief = briefSchema.parse({
  topic: "How bees make honey",
  audience: "children",
  tone: "friendly",
  targetLengthSec: 20,
  aspectRatio: "16:9",
  voice: "en-us-female",
  visualStyle: "warm",
  music: "none",
});
const script = writeOfflineScript(brief);
// The built-in voices for the brief's female voice. Festival speaks it (test/integration/voices.test.ts),
// but under these tests' 1.5 s provider limit its start-up on a busy machine can run over, and
// espeak-ng then answers: either is the offline chain at work.
const builtInFemaleVoices = ["festival", "espeak-ng"];
let openai: FakeProvider, ollama: FakeProvider, eleven: FakeProvider, sd: FakeProvider, pexels: FakeProvider;

before(async () => {
  [openai, ollama, eleven, sd, pexels] = await Promise.all([
    startFakeOpenAi(),
    startFakeOllama(),
    startFakeElevenLabs(),
    startFakeSdWebUi(),
    startFakePexels(),
  ]);
});
after(async () => {
  await Promise.all([openai, ollama, eleven, sd, pexels].map((f) => f.close()));
  await closeSender();
  await db.$disconnect();
  await harness.stop();
});

const config = (c: Partial<ProviderConfig> & Pick<ProviderConfig, "capability" | "provider">): ProviderConfig => ({
  model: null,
  voice: null,
  baseUrl: null,
  apiKey: null,
  ...c,
});
const ctx = () => ({ signal: new AbortController().signal, timeoutMs: 1500 });
const openaiConfig = (capability: ProviderConfig["capability"], apiKey = "sk-test-good-key") =>
  config({ capability, provider: "openai", baseUrl: `${openai.url}/v1`, apiKey });

/** The first scene's picture as one shot, from one provider. */
async function drawImage(visuals: ProviderConfig, b: typeof brief, c: { signal: AbortSignal; timeoutMs: number }) {
  const scene = script.scenes[0]!;
  const request = {
    script,
    scene,
    sceneIndex: 0,
    shot: { query: scene.keywords.slice(0, 4).join(" ") },
    shotIndex: 0,
    shotCount: 1,
    brief: b,
    shotSec: 5,
    dir: "/nonexistent",
  };
  const drawn = await drawShot(
    visuals,
    { ...request, claims: { claim: async () => true, release: async () => {}, available: async () => true }, owner: null },
    c,
  );
  assert.equal(drawn.kind, "image");
  return (drawn as Extract<typeof drawn, { kind: "image" }>).image;
}

describe("script writers", () => {
  test("OpenAI writes a validated script in JSON mode with the bearer key", async () => {
    const before = openai.hitsOn("/v1/chat/completions").length;
    const result = await writeScriptWith(openaiConfig("script"), brief, { instructions: "Mention the queen bee." }, ctx());
    const hit = openai.hitsOn("/v1/chat/completions").slice(before)[0]!;
    const request = JSON.parse(hit.body) as { response_format: unknown; model: string; messages: { content: string }[] };
    assert.deepEqual(request.response_format, { type: "json_object" });
    assert.equal(request.model, "gpt-4o-mini");
    assert.match(request.messages[1]!.content, /Workspace instructions: Mention the queen bee\./);
    assert.equal(result.writer, "openai:gpt-4o-mini");
    assert.deepEqual(
      result.scenes.map((s) => s.role),
      ["hook", "body", "close"],
    );
  });

  test("an invalid answer gets one repair round; a second invalid answer is a malformed error", async () => {
    openai.queue("/v1/chat/completions", { content: 'Sure! Here is the script: {"title": "x", "scenes": []' });
    const start = openai.hitsOn("/v1/chat/completions").length;
    const repaired = await writeScriptWith(openaiConfig("script"), brief, {}, ctx());
    const hits = openai.hitsOn("/v1/chat/completions").slice(start);
    assert.equal(hits.length, 2);
    assert.match(JSON.parse(hits[1]!.body).messages.at(-1).content, /cannot be used: the answer is not valid JSON/);
    assert.equal(repaired.scenes.length, 3);

    openai.queue("/v1/chat/completions", { content: '{"title": "t", "scenes": [{"title": "a"}]}' }, { content: '```json\n{"title": "t"}\n```' });
    await assert.rejects(
      writeScriptWith(openaiConfig("script"), brief, {}, ctx()),
      (e: InstanceType<typeof ProviderError>) => e.kind === "malformed" && /after a repair round: scenes/.test(e.message),
    );
  });

  test("429 with Retry-After is retried after the asked delay; 500 is retried; each attempt is recorded", async () => {
    openai.queue("/v1/chat/completions", {
      status: 429,
      headers: { "retry-after": "1" },
      body: { error: { message: "Rate limit reached for gpt-4o-mini", type: "requests", code: "rate_limit_exceeded" } },
    });
    openai.queue("/v1/chat/completions", { status: 500, body: { error: { message: "The server had an error", type: "server_error" } } });
    const started = Date.now();
    const { value, log } = await resilient("openai", (signal) => writeScriptWith(openaiConfig("script"), brief, {}, { signal, timeoutMs: 1500 }));
    assert.ok(value, "the third attempt succeeded");
    assert.ok(Date.now() - started >= 1000, "waited for Retry-After");
    assert.deepEqual(
      log.map((a) => [a.ok, a.kind]),
      [
        [false, "rate_limit"],
        [false, "transient"],
        [true, undefined],
      ],
    );
    assert.equal(log[0]!.retryAfterMs, 1000);
  });

  test("a refused key, exhausted quota and a content refusal are not retried", async () => {
    const bad = await resilient("openai", (signal) => writeScriptWith(openaiConfig("script", "sk-wrong"), brief, {}, { signal, timeoutMs: 1500 }));
    assert.equal(bad.error?.kind, "auth");
    assert.match(bad.error!.message, /openai: the API key was refused \(HTTP 401\): Incorrect API key/);
    assert.equal(bad.log.length, 1);

    openai.queue("/v1/chat/completions", {
      status: 429,
      body: { error: { message: "You exceeded your current quota", type: "insufficient_quota", code: "insufficient_quota" } },
    });
    const quota = await resilient("openai", (signal) => writeScriptWith(openaiConfig("script"), brief, {}, { signal, timeoutMs: 1500 }));
    assert.deepEqual([quota.error?.kind, quota.log.length], ["quota", 1]);

    openai.queue("/v1/chat/completions", {
      status: 400,
      body: { error: { message: "Your request was rejected by our safety system", code: "content_policy_violation" } },
    });
    const policy = await resilient("openai", (signal) => writeScriptWith(openaiConfig("script"), brief, {}, { signal, timeoutMs: 1500 }));
    assert.deepEqual([policy.error?.kind, policy.log.length], ["content_policy", 1]);
  });

  test("a server that never answers times out, and is retried", async () => {
    openai.queue("/v1/chat/completions", { hang: true }, { hang: true }, { hang: true });
    const started = Date.now();
    const { error, log } = await resilient("openai", (signal) => writeScriptWith(openaiConfig("script"), brief, {}, { signal, timeoutMs: 300 }));
    assert.equal(error?.kind, "timeout");
    assert.deepEqual(
      log.map((a) => a.kind),
      ["timeout", "timeout", "timeout"],
    );
    assert.ok(Date.now() - started < 5000);
  });

  test("a job's signal keeps no listener from its calls, and cancelling it still stops a call", async () => {
    // The openai SDK adds an abort listener to each request's signal and never removes it: each
    // attempt gets a signal of its own, so the job's does not collect one per request.
    const job = new AbortController();
    const write = (signal: AbortSignal, timeoutMs = 1500) => writeScriptWith(openaiConfig("script"), brief, {}, { signal, timeoutMs });
    for (let i = 0; i < 12; i++) await callProvider("openai", "signal-listeners", (signal) => write(signal), { signal: job.signal, log: [] });
    assert.equal(getEventListeners(job.signal, "abort").length, 0);

    openai.queue("/v1/chat/completions", { hang: true });
    const cancelled = new AbortController();
    const log: AttemptRecord[] = [];
    const started = Date.now();
    const pending = callProvider("openai", "signal-listeners", (signal) => write(signal, 20_000), { signal: cancelled.signal, log });
    setTimeout(() => cancelled.abort(new Error("the job was cancelled")), 300);
    await assert.rejects(pending);
    assert.ok(Date.now() - started < 5000, "the hanging request was stopped by the cancel, not by its 20 s limit");
    assert.equal(log.length, 1, "a cancelled call is not retried");
    assert.equal(getEventListeners(cancelled.signal, "abort").length, 0);
  });

  test("Ollama: models listed, chat in JSON format, a missing model and a malformed body classified", async () => {
    const ollamaConfig = config({ capability: "script", provider: "ollama", baseUrl: ollama.url, model: "llama3.1" });
    const result = await writeScriptWith(ollamaConfig, brief, {}, ctx());
    assert.equal(result.writer, "ollama:llama3.1");
    const chat = JSON.parse(ollama.hitsOn("/api/chat").at(-1)!.body) as { format: string; stream: boolean };
    assert.deepEqual([chat.format, chat.stream], ["json", false]);
    const { probeProvider } = await import("../../server/providers/probe.ts");
    const probe = await probeProvider(ollamaConfig, ctx());
    assert.match(probe.detail, /"llama3.1" ready/);
    assert.deepEqual(probe.models, ["llama3.1:latest"], "the settings page offers the pulled models");
    await assert.rejects(
      probeProvider({ ...ollamaConfig, model: "mistral" }, ctx()),
      (e: InstanceType<typeof ProviderError>) => e.kind === "not_found" && /not pulled/.test(e.message),
    );
    await assert.rejects(
      writeScriptWith({ ...ollamaConfig, model: "mistral" }, brief, {}, ctx()),
      (e: InstanceType<typeof ProviderError>) => e.kind === "not_found",
    );
    ollama.queue("/api/chat", { raw: "<html>502 Bad Gateway</html>" });
    await assert.rejects(
      writeScriptWith(ollamaConfig, brief, {}, ctx()),
      (e: InstanceType<typeof ProviderError>) => e.kind === "malformed" && /not JSON/.test(e.message),
    );
  });
});

describe("voices", () => {
  test("OpenAI speech: WAV, measured, with the brief's voice mapped", async () => {
    const speech = await speakWith(openaiConfig("voice"), "Bees dance to tell each other where the flowers are.", "en-us-female", ctx());
    assert.ok(speech.durationSec > 3 && speech.durationSec < 5, String(speech.durationSec));
    const request = JSON.parse(openai.hitsOn("/v1/audio/speech").at(-1)!.body) as { voice: string; response_format: string };
    assert.deepEqual([request.voice, request.response_format], ["nova", "wav"]);
  });

  test("ElevenLabs: PCM wrapped as WAV, word timings from the alignment; a bad key is an auth error", async () => {
    const el = config({
      capability: "voice",
      provider: "elevenlabs",
      baseUrl: eleven.url,
      apiKey: "el-test-key",
      voice: "voice123",
      model: "eleven_multilingual_v2",
    });
    const speech = await speakWith(el, "Honey never spoils.", "en-us-female", ctx());
    assert.deepEqual(
      speech.words?.map((w) => w.word),
      ["Honey", "never", "spoils."],
    );
    assert.ok(speech.words![1]!.startSec > speech.words![0]!.endSec - 1e-9);
    assert.ok(Math.abs(speech.durationSec - 3 / 2.75) < 0.01);
    const hit = eleven.hitsOn("/v1/text-to-speech/voice123/with-timestamps").at(-1)!;
    assert.equal(JSON.parse(hit.body).model_id, "eleven_multilingual_v2");
    await assert.rejects(
      speakWith({ ...el, apiKey: "nope" }, "Hi there.", "en-us-female", ctx()),
      (e: InstanceType<typeof ProviderError>) => e.kind === "auth" && /Invalid API key/.test(e.message),
    );
    eleven.queue("/v1/text-to-speech", { status: 200, body: { audio: "missing field" } });
    await assert.rejects(speakWith(el, "Hi there.", "en-us-female", ctx()), (e: InstanceType<typeof ProviderError>) => e.kind === "malformed");
  });

  test("Piper runs the server's binary with a model from PIPER_MODELS_DIR, and only from there", async () => {
    const piper = config({ capability: "voice", provider: "piper", model: "en_US-test-medium.onnx" });
    const speech = await speakWith(piper, "Bees have five eyes.", "en-us-male", ctx());
    assert.ok(speech.durationSec > 1.2, String(speech.durationSec));
    await assert.rejects(
      speakWith({ ...piper, model: "../../etc/passwd.onnx" }, "x y", "en-us-male", ctx()),
      (e: InstanceType<typeof ProviderError>) => e.kind === "config",
    );
    await assert.rejects(speakWith({ ...piper, model: "missing.onnx" }, "x y", "en-us-male", ctx()), /not in PIPER_MODELS_DIR/);
  });

  test("espeak-ng is always there", async () => {
    const speech = await speakWith(config({ capability: "voice", provider: "espeak-ng" }), "One two three four.", "en-gb-male", ctx());
    assert.ok(speech.durationSec > 0.8);
  });
});

describe("pictures", () => {
  test("OpenAI Images, SD WebUI and Pexels return checked images in the video's orientation", async () => {
    const fromOpenAi = await drawImage(openaiConfig("visuals"), brief, ctx());
    assert.deepEqual([fromOpenAi.mime, fromOpenAi.width, fromOpenAi.height], ["image/png", 1536, 1024]);
    assert.match(JSON.parse(openai.hitsOn("/v1/images/generations").at(-1)!.body).prompt, /Style: warm cinematic photograph/);

    const fromSd = await drawImage(config({ capability: "visuals", provider: "sd-webui", baseUrl: sd.url }), { ...brief, aspectRatio: "9:16" }, ctx());
    assert.deepEqual([fromSd.width, fromSd.height], [576, 1024]);

    const fromPexels = await drawImage(config({ capability: "visuals", provider: "pexels", baseUrl: pexels.url, apiKey: "pexels-test-key" }), brief, ctx());
    assert.deepEqual([fromPexels.width, fromPexels.height, fromPexels.credit], [1280, 720, "Photo by Ada Lens on Pexels"]);
    const search = new URL(`${pexels.hitsOn("/v1/search").at(-1)!.path}?`, "http://x");
    assert.ok(search);
    assert.equal(pexels.hitsOn("/v1/search").at(-1)!.headers.authorization, "pexels-test-key");
  });

  test("malformed images and foreign photo hosts are refused", async () => {
    sd.queue("/sdapi/v1/txt2img", { status: 200, body: { images: [Buffer.from("<svg>not a png</svg>").toString("base64")] } });
    await assert.rejects(drawImage(config({ capability: "visuals", provider: "sd-webui", baseUrl: sd.url }), brief, ctx()), /not a PNG, JPEG or WebP/);
    pexels.queue("/v1/search", {
      status: 200,
      body: { photos: [{ id: 1, photographer: "x", url: "", src: { large2x: "http://169.254.169.254/latest/meta-data" } }] },
    });
    await assert.rejects(
      drawImage(config({ capability: "visuals", provider: "pexels", baseUrl: pexels.url, apiKey: "pexels-test-key" }), brief, ctx()),
      /not Pexels' image host/,
    );
    assert.equal(pexels.hitsOn("/latest").length, 0);
  });

  test("image checks: magic bytes, minimum size and a header claiming too many pixels", () => {
    const png = Buffer.from(toneWav(0.1));
    assert.throws(() => checkImage("t", png), /not a PNG/);
    assert.throws(() => checkImage("t", pngHeader(60000, 60000)), /more pixels than allowed/);
    assert.throws(() => checkImage("t", pngHeader(100, 100)), /smaller than 256/);
  });
});

describe("every provider's own failures", () => {
  // Each provider's main call: 429 with Retry-After, then 500, then an answer; then a hang;
  // then a malformed body. The same classification must come out of every wire format.
  const cases: { name: string; fake: () => FakeProvider; route: string; call: (c: { signal: AbortSignal; timeoutMs: number }) => Promise<unknown> }[] = [
    { name: "OpenAI chat", fake: () => openai, route: "/v1/chat/completions", call: (c) => writeScriptWith(openaiConfig("script"), brief, {}, c) },
    { name: "OpenAI speech", fake: () => openai, route: "/v1/audio/speech", call: (c) => speakWith(openaiConfig("voice"), "Hello there.", "en-us-male", c) },
    {
      name: "OpenAI images",
      fake: () => openai,
      route: "/v1/images/generations",
      call: (c) => drawImage(openaiConfig("visuals"), brief, c),
    },
    {
      name: "Ollama",
      fake: () => ollama,
      route: "/api/chat",
      call: (c) => writeScriptWith(config({ capability: "script", provider: "ollama", baseUrl: ollama.url }), brief, {}, c),
    },
    {
      name: "ElevenLabs",
      fake: () => eleven,
      route: "/v1/text-to-speech",
      call: (c) =>
        speakWith(config({ capability: "voice", provider: "elevenlabs", baseUrl: eleven.url, apiKey: "el-test-key" }), "Hello there.", "en-us-male", c),
    },
    {
      name: "SD WebUI",
      fake: () => sd,
      route: "/sdapi/v1/txt2img",
      call: (c) => drawImage(config({ capability: "visuals", provider: "sd-webui", baseUrl: sd.url }), brief, c),
    },
    {
      name: "Pexels",
      fake: () => pexels,
      route: "/v1/search",
      call: (c) => drawImage(config({ capability: "visuals", provider: "pexels", baseUrl: pexels.url, apiKey: "pexels-test-key" }), brief, c),
    },
  ];
  for (const { name, fake, route, call } of cases) {
    test(`${name}: 429 then 500 are retried; a hang times out; a malformed body is classified`, async () => {
      fake().queue(
        route,
        { status: 429, headers: { "retry-after": "0" }, body: { error: { message: "slow down" } } },
        { status: 500, body: { error: { message: "boom" } } },
      );
      const ok = await resilient(name, (signal) => call({ signal, timeoutMs: 1500 }));
      assert.ok(ok.value, ok.error?.message);
      assert.deepEqual(
        ok.log.map((a) => a.kind ?? "ok"),
        ["rate_limit", "transient", "ok"],
      );
      fake().queue(route, { hang: true });
      await assert.rejects(call({ signal: new AbortController().signal, timeoutMs: 300 }), (e: InstanceType<typeof ProviderError>) => e.kind === "timeout");
      fake().queue(route, { raw: '{"unexpected": tru' });
      await assert.rejects(call({ signal: new AbortController().signal, timeoutMs: 1500 }), (e: InstanceType<typeof ProviderError>) => e.kind === "malformed");
    });
  }
});

describe("resilience", () => {
  test("URL guard: other schemes, credentials, link-local and unlisted private addresses are refused", async () => {
    await assert.rejects(checkProviderUrl("x", "file:///etc/passwd"), /only http and https/);
    await assert.rejects(checkProviderUrl("x", "http://user:pw@example.com/"), /user name or password/);
    await assert.rejects(checkProviderUrl("x", "http://169.254.169.254/latest/"), /link-local/);
    await assert.rejects(checkProviderUrl("x", "http://[::ffff:169.254.169.254]/"), /link-local/);
    await assert.rejects(checkProviderUrl("x", "http://10.1.2.3:8080/"), /private address; allow it with PROVIDER_PRIVATE_HOSTS/);
    await assert.rejects(checkProviderUrl("x", "http://localhost:5432/"), /private address/);
    assert.ok(await checkProviderUrl("x", `${openai.url}/v1`));
    // The SDK's requests go through the same guard.
    await assert.rejects(
      writeScriptWith(config({ capability: "script", provider: "openai", apiKey: "k", baseUrl: "http://169.254.169.254/v1" }), brief, {}, ctx()),
      (e: InstanceType<typeof ProviderError>) => e.kind === "config",
    );
  });

  test("redirects are never followed: an allowed address answering 302 to an internal one is refused, and none of the internal answer comes back", async () => {
    const { probeProvider } = await import("../../server/providers/probe.ts");
    let internalHits = 0;
    const internal = http.createServer((_req, res) => {
      internalHits++;
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(JSON.stringify({ error: { message: "TOP-SECRET internal answer" }, data: [], models: [] }));
    });
    await new Promise<void>((r) => internal.listen(0, "127.0.0.2", r));
    const target = `http://127.0.0.2:${(internal.address() as AddressInfo).port}`;
    const redirector = http.createServer((req, res) => res.writeHead(302, { location: `${target}${req.url}` }).end("moved"));
    await new Promise<void>((r) => redirector.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
    try {
      const refused = (e: InstanceType<typeof ProviderError>) =>
        e.kind === "config" && /redirect \(HTTP 302 to 127\.0\.0\.2:\d+\); redirects are not followed/.test(e.message) && !e.message.includes("TOP-SECRET");
      // The generic fetch (Ollama's) and the one handed to the openai SDK.
      await assert.rejects(probeProvider(config({ capability: "script", provider: "ollama", baseUrl: base }), ctx()), refused);
      await assert.rejects(probeProvider(config({ capability: "script", provider: "openai", apiKey: "k", baseUrl: `${base}/v1` }), ctx()), refused);
      assert.equal(internalHits, 0, "the internal server was never reached");
    } finally {
      await Promise.all([new Promise((r) => internal.close(r)), new Promise((r) => redirector.close(r))]);
    }
  });

  test("a name that resolves to a public address when checked and to a private one when connecting (DNS rebinding) is refused at connect", async () => {
    const dns = (await import("node:dns")).default;
    let hits = 0;
    const internal = http.createServer((_req, res) => {
      hits++;
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ models: [], error: "TOP-SECRET" }));
    });
    await new Promise<void>((r) => internal.listen(0, "127.0.0.1", r));
    const port = (internal.address() as AddressInfo).port;
    const { lookup } = dns;
    const promisesLookup = dns.promises.lookup;
    // The first answer (the check before the request) is public; every later one (the connect) is loopback.
    dns.promises.lookup = (async (host: string, options: object) =>
      host === "rebind.example" ? [{ address: "93.184.216.34", family: 4 }] : promisesLookup(host, options as never)) as typeof promisesLookup;
    dns.lookup = ((host: string, options: object, callback: (...args: unknown[]) => void) =>
      host === "rebind.example" ? callback(null, [{ address: "127.0.0.1", family: 4 }]) : lookup(host, options as never, callback as never)) as typeof lookup;
    try {
      assert.ok(await checkProviderUrl("ollama", `http://rebind.example:${port}/`), "the check before the request saw a public address");
      const { probeProvider } = await import("../../server/providers/probe.ts");
      await assert.rejects(
        probeProvider(config({ capability: "script", provider: "ollama", baseUrl: `http://rebind.example:${port}` }), ctx()),
        (e: Error) =>
          /rebind\.example(:\d+)? is a private address/.test(`${e.message} ${(e.cause as Error | undefined)?.message ?? ""}`) &&
          !e.message.includes("TOP-SECRET"),
      );
      assert.equal(hits, 0, "the internal server was never reached");
    } finally {
      dns.lookup = lookup;
      dns.promises.lookup = promisesLookup;
      await new Promise((r) => internal.close(r));
    }
  });

  test("an answer that is not the API's own error format is never quoted in errors or health; every answer read has a size cap", async () => {
    const { probeProvider } = await import("../../server/providers/probe.ts");
    const { guardedFetch } = await import("../../server/providers/http.ts");
    const page = "<html><body>INTERNAL-ADMIN-PAGE token=abc123</body></html>";
    const server = http.createServer((req, res) => {
      if (req.url?.startsWith("/big")) {
        // 64 KB in chunks, without a Content-Length.
        res.writeHead(200, { "content-type": "application/json" });
        for (let i = 0; i < 64; i++) res.write("x".repeat(1024));
        return res.end();
      }
      if (req.url?.startsWith("/declared")) return res.writeHead(200, { "content-type": "application/json", "content-length": "70000" }).end("x".repeat(70000));
      res.writeHead(req.url?.startsWith("/ok-html") ? 200 : 502, { "content-type": "text/html" }).end(page);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const unquoted = (e: Error) => !e.message.includes("INTERNAL-ADMIN") && /not shown/.test(e.message);
      await assert.rejects(probeProvider(config({ capability: "script", provider: "ollama", baseUrl: base }), ctx()), unquoted);
      await assert.rejects(probeProvider(config({ capability: "script", provider: "openai", apiKey: "k", baseUrl: `${base}/v1` }), ctx()), unquoted);
      await assert.rejects(probeProvider(config({ capability: "script", provider: "ollama", baseUrl: `${base}/ok-html` }), ctx()), unquoted);
      // The fetch handed to SDKs stops reading at its cap, declared or not.
      const capped = guardedFetch("openai", 32 * 1024);
      await assert.rejects((await capped(`${base}/big`)).text(), /more than the 32768 bytes allowed/);
      await assert.rejects(capped(`${base}/declared`), /70000 bytes, more than the 32768 allowed/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test("IPv6 forms of IPv4 addresses (NAT64, IPv4-compatible) are private too", async () => {
    await assert.rejects(checkProviderUrl("x", "http://[64:ff9b::7f00:1]:8080/"), /private address/);
    await assert.rejects(checkProviderUrl("x", "http://[64:ff9b:1::a00:1]/"), /private address/);
    await assert.rejects(checkProviderUrl("x", "http://[::7f00:1]/"), /private address/);
  });

  test("the breaker opens after repeated failures, skips the provider, and closes after a good probe", async () => {
    resetBreakers();
    const key = "breaker-test";
    const failing = () => Promise.reject(new ProviderError("flaky", "transient", "server error (HTTP 500)"));
    const log: AttemptRecord[] = [];
    await assert.rejects(callProvider("flaky", key, failing, { log, attempts: 3 }));
    assert.equal(breakerState(key), "open", "three failed attempts open it");
    let called = 0;
    await assert.rejects(
      callProvider(
        "flaky",
        key,
        async () => {
          called++;
          return "ok";
        },
        { log, attempts: 3 },
      ),
      /circuit is open/,
    );
    assert.equal(called, 0, "an open breaker does not call the provider");
    assert.equal(log.at(-1)!.kind, "circuit_open");
    await new Promise((r) => setTimeout(r, 1100));
    assert.equal(
      await callProvider(
        "flaky",
        key,
        async () => {
          called++;
          return "ok";
        },
        { log },
      ),
      "ok",
    );
    assert.equal(called, 1);
    assert.equal(breakerState(key), "closed");
  });
});

/** Runs one job of the brief on a built-in engine until it ends. */
const runToEnd = (workspaceId: string, userId: string) => runBriefToEnd(harness.database.url, { name: "providers", workspaceId, userId, brief, polls: 900 });

describe("settings, chains and jobs", () => {
  test("keys are tested before saving, stored encrypted, and shown masked", async () => {
    const { workspaceId } = await createOwner(db, "settings");
    await assert.rejects(
      saveProviderSetting({ db, workspaceId }, { capability: "script", provider: "openai", baseUrl: `${openai.url}/v1`, apiKey: "sk-wrong" }),
      (e: Error) => e instanceof InvalidSettingError && /Not saved\. openai: the API key was refused/.test(e.message),
    );
    assert.equal(await db.providerSetting.count({ where: { workspaceId } }), 0, "nothing saved");
    await assert.rejects(
      saveProviderSetting({ db, workspaceId }, { capability: "script", provider: "openai", baseUrl: `${openai.url}/v1` }),
      /an API key is required/,
    );
    const saved = await saveProviderSetting(
      { db, workspaceId },
      {
        capability: "script",
        provider: "openai",
        baseUrl: `${openai.url}/v1`,
        apiKey: "sk-test-good-key",
      },
    );
    assert.equal(saved.probe?.ok, true);
    const row = await db.providerSetting.findFirstOrThrow({ where: { workspaceId } });
    assert.ok(row.keyCiphertext && !row.keyCiphertext.includes("sk-test-good-key"));
    const listed = await getProviderSettings({ db, workspaceId });
    assert.equal(listed.settings[0]!.key, "••••-key");
    assert.ok(!JSON.stringify(listed).includes("sk-test-good-key"));
    const audit = await db.auditLog.findMany({ where: { workspaceId, action: "provider.added" } });
    assert.equal(audit.length, 1, "the refused save wrote no entry");
    assert.deepEqual((audit[0]!.data as { keyChanged: boolean }).keyChanged, true);
    assert.ok(!JSON.stringify(audit.map((a) => a.data)).includes("sk-test-good-key"), "the audit log never holds a key");
    assert.equal(listed.settings[0]!.health?.status, "up");
    assert.deepEqual(listed.piperModels, ["en_US-test-medium.onnx"]);
    // Saving again without a key keeps the stored one.
    await saveProviderSetting({ db, workspaceId }, { capability: "script", provider: "openai", baseUrl: `${openai.url}/v1`, model: "gpt-4o-mini" });
    // A new address alone never takes the saved key along: another port of the same host is
    // refused before any request, and the stored setting is unchanged.
    const other = http.createServer((_req, res) => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}/v1`;
    let otherHits = 0;
    other.on("request", () => otherHits++);
    try {
      await assert.rejects(
        saveProviderSetting({ db, workspaceId }, { capability: "script", provider: "openai", baseUrl: otherUrl }),
        (e: Error) => e instanceof InvalidSettingError && /the address moved to another host: enter the API key again/.test(e.message),
      );
      assert.equal(otherHits, 0, "the new address was never called");
    } finally {
      await new Promise((r) => other.close(r));
    }
    assert.equal((await db.providerSetting.findFirstOrThrow({ where: { workspaceId } })).baseUrl, `${openai.url}/v1`);

    const tested = await testProviderSetting({ db, workspaceId }, "script", "openai");
    assert.equal(tested.ok, true);
    // The health monitor's round marks a provider that stops answering as down.
    openai.queue("/v1/models", { status: 503, body: { error: { message: "overloaded" } } });
    assert.deepEqual(await probeAllSettings(db), { probed: await db.providerSetting.count({ where: { enabled: true } }), down: 1 });
    const down = await db.providerSetting.findFirstOrThrow({ where: { workspaceId } });
    assert.equal(down.healthStatus, "down");
    const chain = await buildChain(db, workspaceId, "script");
    assert.deepEqual(
      chain.links.map((l) => l.config.provider),
      ["offline"],
      "a provider down at its last check is passed over",
    );
    assert.match(chain.skipped[0]!.reason, /unhealthy at the last check: openai: server error \(HTTP 503\)/);
  });

  test("offline mode makes no network call at all", async () => {
    const { workspaceId, userId } = await createOwner(db, "offline");
    await saveProviderSetting({ db, workspaceId }, { capability: "script", provider: "ollama", baseUrl: ollama.url });
    await saveProviderSetting({ db, workspaceId }, { capability: "voice", provider: "elevenlabs", baseUrl: eleven.url, apiKey: "el-test-key" });
    await saveProviderSetting({ db, workspaceId }, { capability: "visuals", provider: "sd-webui", baseUrl: sd.url });
    await db.workspace.update({ where: { id: workspaceId }, data: { offlineMode: true } });
    const counts = () => [ollama, eleven, sd].map((f) => f.hits.length);
    const before = counts();
    const { job } = await createVideo({ db, workspaceId, userId }, brief);
    const scriptOut = await runScriptStep(job.id);
    const narration = await runNarrationStep(job.id, 0);
    const visual = await runVisualStep(job.id, 0);
    assert.deepEqual([scriptOut.provider, visual.provider], ["offline", "offline-card"]);
    assert.ok(builtInFemaleVoices.includes(narration.provider), narration.provider);
    assert.deepEqual((scriptOut as { fallbacks?: unknown }).fallbacks, [{ provider: "ollama", reason: "offline mode" }]);
    assert.deepEqual(counts(), before, "no test server was called");
  });

  test("a job finishes through fallback and records which provider answered each step", async () => {
    const { workspaceId, userId } = await createOwner(db, "fallback");
    await saveProviderSetting({ db, workspaceId }, { capability: "script", provider: "openai", baseUrl: `${openai.url}/v1`, apiKey: "sk-test-good-key" });
    await saveProviderSetting({ db, workspaceId }, { capability: "script", provider: "ollama", baseUrl: ollama.url });
    await saveProviderSetting({ db, workspaceId }, { capability: "voice", provider: "elevenlabs", baseUrl: eleven.url, apiKey: "el-test-key" });
    await saveProviderSetting({ db, workspaceId }, { capability: "visuals", provider: "sd-webui", baseUrl: sd.url });
    // OpenAI fails every attempt; ElevenLabs' key is revoked after it was saved.
    openai.queue("/v1/chat/completions", ...Array.from({ length: 3 }, () => ({ status: 502, body: { error: { message: "Bad gateway" } } })));
    await db.providerSetting.updateMany({
      where: { workspaceId, provider: "elevenlabs" },
      data: { keyCiphertext: (await import("../../server/providers/secrets.ts")).encryptSecret("revoked") },
    });

    const done = await runToEnd(workspaceId, userId);
    assert.equal(done.status, "succeeded", `${done.errorStage}: ${done.errorMessage}`);
    const step = (id: string) => done.steps.find((s) => s.stepId === id)!;
    assert.equal(step("script").provider, "ollama");
    const scriptOutput = step("script").output as { fallbacks: { provider: string; reason: string }[]; attempts: AttemptRecord[]; writer: string };
    assert.equal(scriptOutput.writer, "ollama:llama3.1");
    assert.deepEqual(
      scriptOutput.fallbacks.map((f) => f.provider),
      ["openai"],
    );
    assert.match(scriptOutput.fallbacks[0]!.reason, /server error \(HTTP 502\)/);
    assert.deepEqual(
      scriptOutput.attempts.map((a) => `${a.provider}:${a.ok}`),
      ["openai:false", "openai:false", "openai:false", "ollama:true"],
    );
    assert.ok(scriptOutput.attempts.every((a) => typeof a.ms === "number"));
    assert.ok(builtInFemaleVoices.includes(step("narration-1").provider!), step("narration-1").provider!);
    assert.match((step("narration-1").output as { fallbacks: { reason: string }[] }).fallbacks[0]!.reason, /API key was refused/);
    assert.equal(step("visual-1").provider, "sd-webui");
    assert.equal((done.video.script as { writer: string }).writer, "ollama:llama3.1");
    const attempts = await db.jobStepAttempt.findMany({ where: { jobId: done.id, stepId: "script" } });
    assert.deepEqual(
      attempts.map((a) => [a.status, a.provider]),
      [["succeeded", "ollama"]],
    );
  });

  test("with an OpenAI-compatible server configured, it writes, narrates and illustrates the video", async () => {
    const { workspaceId, userId } = await createOwner(db, "allopenai");
    for (const capability of ["script", "voice", "visuals"] as const) {
      await saveProviderSetting({ db, workspaceId }, { capability, provider: "openai", baseUrl: `${openai.url}/v1`, apiKey: "sk-test-good-key" });
    }
    const done = await runToEnd(workspaceId, userId);
    assert.equal(done.status, "succeeded", `${done.errorStage}: ${done.errorMessage}`);
    const providers = new Set(done.steps.filter((s) => /^(script|narration|visual)/.test(s.stepId)).map((s) => s.provider));
    assert.deepEqual([...providers], ["openai"]);
    const visual = await db.asset.findFirstOrThrow({ where: { videoId: done.videoId, kind: "visual" } });
    assert.deepEqual([visual.width, visual.height], [1536, 1024], "the picture is OpenAI's, not a card");
    assert.ok(done.video.outputAssetId, "the video was rendered");
    assert.equal((done.video.script as { writer: string }).writer, "openai:gpt-4o-mini");
  });

  test("when every provider fails the step fails naming each one", async () => {
    const { workspaceId, userId } = await createOwner(db, "allfail");
    const { job } = await createVideo({ db, workspaceId, userId }, brief);
    await runScriptStep(job.id);
    await db.video.update({ where: { id: job.videoId }, data: { script: { ...script, scenes: script.scenes.map((s) => ({ ...s, narration: "🙂 🙂" })) } } });
    await assert.rejects(runNarrationStep(job.id, 0), /no speakable words/);
    const outcome = await callCapability(db, workspaceId, "voice", async (c) => {
      throw new ProviderError(c.provider, "transient", "down for maintenance");
    }).catch((e: Error) => e);
    assert.match(
      (outcome as Error).message,
      /every provider failed: festival: down for maintenance; flite: down for maintenance; espeak-ng: down for maintenance/,
    );
  });
});
