// The voice chain never calls a voice that cannot speak the brief's language: a configured
// ElevenLabs v2 link is passed over for a Thai narration with the reason recorded, and
// espeak-ng, which speaks Thai, answers; for Spanish the same link is called.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setTestEnv } from "../../../helpers/env.ts";

setTestEnv({ DATABASE_URL: "postgresql://unused@localhost/unused" });
const { buildChain, runChain } = await import("../../../../server/providers/chain.ts");
const { speaksLanguage } = await import("../../../../server/providers/tts/languages.ts");
const { offlineVoicesFor } = await import("../../../../server/providers/tts/offline-voices.ts");
type Db = Parameters<typeof buildChain>[0];

/** A database with one workspace and one enabled voice setting: ElevenLabs on its default model. */
const db = {
  workspace: { findUniqueOrThrow: async () => ({ offlineMode: false }) },
  providerSetting: {
    findMany: async () => [
      {
        capability: "voice",
        provider: "elevenlabs",
        priority: 0,
        model: null,
        voice: null,
        baseUrl: "http://127.0.0.1:9",
        keyCiphertext: null,
        healthStatus: null,
        healthCheckedAt: null,
        healthError: null,
      },
    ],
  },
} as unknown as Db;

const unfitFor = (code: string, name: string) => (config: { provider: string; model: string | null }) =>
  speaksLanguage(config.provider, config, code) ? undefined : `does not speak ${name}`;

describe("a voice chain for a language", () => {
  test("Thai: ElevenLabs multilingual v2 is passed over with its reason and never called", async () => {
    const { links, skipped } = await buildChain(db, "ws-1", "voice", { offline: offlineVoicesFor("th-female"), unfit: unfitFor("th", "Thai") });
    assert.deepEqual(
      links.map((l) => l.config.provider),
      ["espeak-ng"],
    );
    assert.deepEqual(skipped, [{ provider: "elevenlabs", reason: "does not speak Thai" }]);
    const called: string[] = [];
    const outcome = await runChain(links, skipped, async (config) => {
      called.push(config.provider);
      return "spoken";
    });
    assert.deepEqual(called, ["espeak-ng"]);
    assert.equal(outcome.provider, "espeak-ng");
    assert.deepEqual(outcome.fallbacks, [{ provider: "elevenlabs", reason: "does not speak Thai" }]);
  });

  test("Spanish: the same link is first", async () => {
    const { links, skipped } = await buildChain(db, "ws-1", "voice", { offline: offlineVoicesFor("es-female"), unfit: unfitFor("es", "Spanish") });
    assert.deepEqual(
      links.map((l) => l.config.provider),
      ["elevenlabs", "espeak-ng"],
    );
    assert.deepEqual(skipped, []);
  });

  test("an English brief's built-in voices are festival then espeak-ng, none passed over", async () => {
    const { links } = await buildChain(db, "ws-1", "voice", { offline: offlineVoicesFor("en-us-female"), unfit: unfitFor("en", "English") });
    assert.deepEqual(
      links.map((l) => l.config.provider),
      ["elevenlabs", "festival", "espeak-ng"],
    );
  });
});
