// The LLM writers' language: the prompt names it, an answer's narration is checked by its
// writing system and by language detection, an answer in another language is repaired once,
// as a malformed one is, and a second one fails naming the stage, the provider and both
// languages (so the chain falls back).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkLanguage, languageLabel, scriptShare } from "../../../../../server/pipeline/script/language.ts";
import { scriptMessages, writeScriptWithChat } from "../../../../../server/pipeline/script/llm-writer.ts";
import { ProviderError } from "../../../../../server/providers/errors.ts";
import type { ChatRequest } from "../../../../../server/providers/llm/types.ts";
import { SCRIPT_SENTENCES, scriptAnswer, scriptAnswerIn } from "../../../../helpers/fake-providers.ts";
import { languageBrief } from "../../../../helpers/writer-briefs.ts";
import { coffeeBrief } from "../../../../helpers/briefs.ts";

const spanish = languageBrief("es");

/** A chat model that answers each request with the next of `answers` (in a language, or text). */
function chatting(...answers: string[]) {
  const requests: ChatRequest[] = [];
  const chat = async (request: ChatRequest) => {
    requests.push(request);
    const next = answers.shift()!;
    return next in SCRIPT_SENTENCES ? scriptAnswerIn(request.messages[0]!.content, next) : next;
  };
  return { chat, requests };
}

describe("the language of a script", () => {
  test("the prompt names the language in English and in itself, and keeps visual queries in English", () => {
    assert.equal(languageLabel("es"), "Spanish (Español)");
    assert.equal(languageLabel("zh-Hant"), "Chinese (Traditional) (繁體中文)");
    assert.equal(languageLabel("en"), "English");
    const [system, user] = scriptMessages(spanish);
    assert.match(system!.content, /Write in Spanish \(Español\): the title, every scene title and every narration in Spanish \(Español\) only/);
    assert.match(system!.content, /visualPrompt, keywords and shot queries in English/);
    assert.match(user!.content, /^Language: Spanish \(Español\)$/m);
    assert.match(scriptMessages(coffeeBrief())[0]!.content, /- Write in English\.$/m);
  });

  test("an answer passes in its language and fails in another, by writing system or by detection", () => {
    const narration = (language: string) => SCRIPT_SENTENCES[language]!.sentences.join(" ");
    for (const language of Object.keys(SCRIPT_SENTENCES)) assert.deepEqual(checkLanguage(narration(language), language), { ok: true }, language);
    // Chinese asked, Japanese or Spanish given; Spanish asked, English or French given.
    const english = "Bees collect nectar from flowers all day long, and in the hive the workers pass it from mouth to mouth.";
    for (const [text, asked, found] of [
      [narration("es"), "zh", "Spanish"],
      [narration("ru"), "ar", "Russian"],
      [english, "es", "English"],
      [narration("fr"), "es", "French"],
      [narration("ja"), "zh", "Japanese"],
    ] as const) {
      const verdict = checkLanguage(text, asked);
      assert.equal(verdict.ok, false, `${found} passed as ${asked}`);
      if (!verdict.ok) assert.equal(verdict.found, found);
    }
    // Traditional Chinese passes as Traditional: detection tells the two apart by a sample of
    // characters, which a short text may lack.
    assert.deepEqual(checkLanguage("蜜蜂整天從花朵裡採集花蜜，然後把蜂蜜存進蠟做的巢房。", "zh-Hant"), { ok: true });
    // Names and acronyms in Latin letters do not make Chinese another language.
    assert.deepEqual(checkLanguage("NASA 的科学家研究蜜蜂怎样在花朵之间飞行，并且记录它们的路线。", "zh"), { ok: true });
    assert.ok(scriptShare("NASA 的科学家", "Hans") > 0.3);
  });

  test("an answer in the wrong language is repaired once, the model told what was wrong", async () => {
    const { chat, requests } = chatting("en", "es");
    const script = await writeScriptWithChat("openai", "openai:test", chat, spanish);
    assert.equal(requests.length, 2);
    const repair = requests[1]!.messages.at(-1)!.content;
    assert.match(repair, /^That answer cannot be used: the narration is in English, not Spanish.*Write the title and every narration in Spanish \(Español\)/);
    assert.equal(script.title, SCRIPT_SENTENCES.es!.title);
    assert.match(script.scenes[0]!.narration, /^Las abejas recogen el néctar/);
  });

  test("a second answer in the wrong language fails as a malformed answer, naming stage, provider and both languages", async () => {
    const { chat, requests } = chatting("en", "fr");
    const error = await writeScriptWithChat("openai", "openai:test", chat, spanish).catch((e: unknown) => e);
    assert.equal(requests.length, 2);
    assert.ok(error instanceof ProviderError);
    assert.equal(error.kind, "malformed");
    assert.equal(error.message, "openai: script stage: the answer was in French, expected Spanish (es), still after a repair round");
  });

  test("an English brief takes an English answer at once, as before", async () => {
    const { chat, requests } = chatting(scriptAnswer("Exactly 7 scenes", "the history of coffee"));
    const script = await writeScriptWithChat("ollama", "ollama:test", chat, coffeeBrief());
    assert.equal(requests.length, 1);
    assert.equal(script.scenes.length, 7);
  });

  test("a malformed answer and a wrong-language answer share the one repair round", async () => {
    const { chat, requests } = chatting("{not json", "en");
    const error = await writeScriptWithChat("ollama", "ollama:test", chat, languageBrief("zh")).catch((e: unknown) => e);
    assert.equal(requests.length, 2);
    assert.match((error as Error).message, /^ollama: script stage: the answer was in English, expected Chinese \(Simplified\) \(zh\)/);
  });
});
