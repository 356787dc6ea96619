// Writes a script with a chat model. The model is asked for JSON of a fixed shape in the
// brief's language; the answer is validated with zod and its narration's language checked,
// and an invalid answer or one in another language gets one repair round (the model sees what
// was wrong) before the call counts as a malformed answer. Nothing unvalidated is passed on.
import { languageOrEnglish } from "@aura/render-contract";
import { z } from "zod";
import { ProviderError } from "../../providers/errors.ts";
import type { ChatMessage, ChatRequest } from "../../providers/llm/types.ts";
import type { Brief } from "../../videos/brief.ts";
import { planSceneCount, wordsPerScene } from "../pacing.ts";
import { MAX_SHOTS, planShotCount, plannedSceneSec } from "../shots.ts";
import { plannedWpm } from "./analysis.ts";
import { checkLanguage, languageLabel } from "./language.ts";
import { STYLE_PROMPTS } from "./style.ts";
import { scriptSchema, type Script, type ScriptGuidance } from "./types.ts";

const llmSceneSchema = z.object({
  title: z.string().trim().min(1).max(120),
  narration: z.string().trim().min(1).max(2000),
  visualPrompt: z.string().trim().min(1).max(500),
  keywords: z.array(z.string().trim().min(1).max(60)).max(12).default([]),
  /** Models write a shot as {"query": "…"} or as the bare string; both are taken. */
  shots: z
    .array(
      z
        .union([z.string().trim().min(1).max(200), z.object({ query: z.string().trim().min(1).max(200) })])
        .transform((s) => (typeof s === "string" ? { query: s } : s)),
    )
    .optional()
    // An empty list means none given (they are derived); more than MAX_SHOTS are cut, not refused.
    .transform((shots) => (shots?.length ? shots.slice(0, MAX_SHOTS) : undefined)),
});

const llmScriptSchema = z.object({
  title: z.string().trim().min(1).max(120),
  scenes: z.array(llmSceneSchema).min(3, "a script needs at least 3 scenes (hook, body, close)").max(16, "a script has at most 16 scenes"),
});

export function scriptMessages(brief: Brief, guidance: ScriptGuidance = {}): ChatMessage[] {
  const sceneCount = planSceneCount(brief.targetLengthSec);
  const wpm = plannedWpm(brief);
  const words = wordsPerScene(brief.targetLengthSec, sceneCount, wpm, brief.language);
  const language = languageLabel(brief.language);
  const english = languageOrEnglish(brief.language).code === "en";
  const shots = planShotCount(plannedSceneSec("word ".repeat(words), wpm));
  const system = [
    "You write scripts for short narrated videos. Answer with one JSON object and nothing else, of this shape:",
    '{"title": string, "scenes": [{"title": string, "narration": string, "visualPrompt": string, "keywords": string[], "shots": [{"query": string}]}]}',
    "Rules:",
    `- Exactly ${sceneCount} scenes. The first is a hook that makes the viewer want to keep watching; the middle scenes develop one idea each, in a logical order; the last concludes and sums up.`,
    `- Each narration is about ${words} words (between ${Math.round(words * 0.75)} and ${Math.round(words * 1.25)}), written to be spoken aloud: plain sentences, no lists, no markdown, no stage directions, no emoji.`,
    "- visualPrompt describes one concrete picture for the scene (subject, setting, composition), without text in the image.",
    "- keywords are 2 to 5 short search words for a stock photo of the scene.",
    `- shots cut the scene into pictures of 3 to 6 seconds each, in the order the narration goes (about ${shots} per scene at this length; one for a short scene). Each query is a concrete, filmable stock-footage search of 2 to 6 words matching what the narration says at that moment: a subject, what it does, where (for example "farmer picking coffee cherries"), never an abstract idea, never text on screen.`,
    `- Visual style for every scene: ${STYLE_PROMPTS[brief.visualStyle]}.`,
    // Queries stay in English whatever the language: stock photo and footage search (Pexels,
    // Pixabay), the offline pictures' key words and image models all match English words best,
    // and the viewer never sees them.
    english
      ? "- Write in English."
      : `- Write in ${language}: the title, every scene title and every narration in ${language} only. Write visualPrompt, keywords and shot queries in English, because picture and stock footage search work best in English.`,
  ].join("\n");
  const user = [
    `Topic: ${brief.topic}`,
    `Language: ${language}`,
    `Audience: ${brief.audience}`,
    `Tone: ${brief.tone}`,
    `Target length: ${brief.targetLengthSec} seconds`,
    guidance.toneInstructions ? `What the tone "${brief.tone}" means here: ${guidance.toneInstructions}` : "",
    guidance.instructions ? `Workspace instructions: ${guidance.instructions}` : "",
    guidance.passages?.length
      ? `Reference passages from the workspace's documents. Base facts on them where they apply, and do not contradict them:\n${guidance.passages.map((p, i) => `[${i + 1}] (${p.document}) ${p.text}`).join("\n\n")}`
      : "",
  ]
    .filter(Boolean)
    .join("\n");
  return [
    { role: "system", content: system },
    { role: "user", content: user },
  ];
}

/** The JSON object in a model's answer: some models wrap it in a code fence or a sentence. */
export function extractJson(text: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/i.exec(text);
  const candidate = fenced ? fenced[1]! : text;
  const start = candidate.indexOf("{");
  const end = candidate.lastIndexOf("}");
  if (start < 0 || end <= start) throw new SyntaxError("no JSON object in the answer");
  return JSON.parse(candidate.slice(start, end + 1));
}

/** Validates a model's answer; returns the script or the problems, named by field. */
export function parseScriptAnswer(text: string, writer: string): { script: Script } | { problems: string } {
  let json: unknown;
  try {
    json = extractJson(text);
  } catch (error) {
    return { problems: `the answer is not valid JSON (${(error as Error).message})` };
  }
  const parsed = llmScriptSchema.safeParse(json);
  if (!parsed.success)
    return {
      problems: parsed.error.issues
        .slice(0, 8)
        .map((i) => `${i.path.join(".") || "answer"}: ${i.message}`)
        .join("; "),
    };
  const { title, scenes } = parsed.data;
  const last = scenes.length - 1;
  const script = scriptSchema.parse({
    title,
    writer,
    scenes: scenes.map((s, i) => ({ ...s, id: `scene-${i + 1}`, role: i === 0 ? "hook" : i === last ? "close" : "body" })),
  });
  return { script };
}

/** A parsed answer whose narration is not in the brief's language becomes problems to repair. */
function inLanguage(attempt: ReturnType<typeof parseScriptAnswer>, language: string): ReturnType<typeof parseScriptAnswer> & { wrongLanguage?: string } {
  if (!("script" in attempt)) return attempt;
  const verdict = checkLanguage(attempt.script.scenes.map((s) => s.narration).join("\n"), language);
  if (verdict.ok) return attempt;
  return {
    problems: `${verdict.problem}. Write the title and every narration in ${languageLabel(language)}`,
    wrongLanguage: `the answer was in ${verdict.found}, expected ${verdict.expected.name} (${verdict.expected.code})`,
  };
}

/** Asks the model for a script, with one repair round for an invalid answer or one in another
 *  language. */
export async function writeScriptWithChat(
  provider: string,
  writer: string,
  chat: (request: ChatRequest) => Promise<string>,
  brief: Brief,
  guidance: ScriptGuidance = {},
): Promise<Script> {
  const messages = scriptMessages(brief, guidance);
  // A brief built without the schema (an older caller) may have no language: English.
  const language = brief.language ?? "en";
  const first = await chat({ messages, json: true });
  const attempt = inLanguage(parseScriptAnswer(first, writer), language);
  if ("script" in attempt) return attempt.script;
  const repairMessages: ChatMessage[] = [
    ...messages,
    { role: "assistant", content: first.slice(0, 20_000) },
    { role: "user", content: `That answer cannot be used: ${attempt.problems}. Answer again with only the corrected JSON object.` },
  ];
  const second = await chat({ messages: repairMessages, json: true, temperature: 0.2 });
  const repaired = inLanguage(parseScriptAnswer(second, writer), language);
  if ("script" in repaired) return repaired.script;
  // The stage and the provider are named by the chain's error (`openai: …`) and the step's record.
  if (repaired.wrongLanguage) throw new ProviderError(provider, "malformed", `script stage: ${repaired.wrongLanguage}, still after a repair round`);
  throw new ProviderError(provider, "malformed", `the script was invalid after a repair round: ${repaired.problems}`);
}
