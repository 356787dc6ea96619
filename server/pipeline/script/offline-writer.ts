// The offline script writer: no model, no network. The body says what the brief and the
// workspace's passages say: their own sentences first, then a short sentence for each key
// phrase they name that no sentence says yet. A hook, a few transitions and a close come
// from stock sentences per tone, each said at most once in a video, and no sentence is said
// twice. When that material runs out before the target length, the video is shorter, and
// the script says so (`shortened`) instead of padding. Deterministic: the same brief and
// passages give the same script. Its stock sentences and its tagger are English: a brief in
// another language is written from its own sentences only (own-words-writer.ts).
import type { Brief } from "../../videos/brief.ts";
import { countWords, planSceneCount, wordsPerScene } from "../pacing.ts";
import { plannedWpm } from "./analysis.ts";
import { estimatedLengthSec } from "./arc.ts";
import { nounPhrases, normaliseSentence, type Phrase, splitSentences, statementSubject } from "./material.ts";
import { AUDIENCE_LINE, CLOSES, HOOKS, NOUN_FRAMES, REMEMBER_LINE, type Template, type TemplateCtx, TRANSITIONS, VERB_FRAMES } from "./offline-templates.ts";
import { extractKeywords } from "../../text/keywords.ts";
import { truncateText } from "../../text/policy.ts";
import { titleWords, writeOwnWordsScript } from "./own-words-writer.ts";
import { scriptSchema, shortenedFor, type Script, type ScriptScene } from "./types.ts";

function hashString(s: string) {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.codePointAt(0)!, 16777619);
  return h >>> 0;
}

function titleCase(s: string) {
  const small = new Set(["a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "at", "by"]);
  return s
    .split(/\s+/)
    .map((w, i) => (i > 0 && small.has(w.toLowerCase()) ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(" ");
}

/** The longest subject the templates say (it goes into the hook, titles and prompts). */
const SUBJECT_MAX_WORDS = 12;

/** The subject of the prompt: its first sentence without request phrasing, at most
 *  SUBJECT_MAX_WORDS words (a long sentence is cut at a clause, else after those words). */
export function extractSubject(topic: string) {
  const first = splitSentences(topic, 1)[0] ?? topic.trim();
  const subject =
    first
      .replace(
        /^(please\s+)?(make|create|write|produce|generate)\s+(me\s+)?(a|an)?\s*(short\s+)?(video|explainer|clip|story)?\s*(about|on|explaining|that explains)?\s*/i,
        "",
      )
      .replace(/^(explain|describe|tell (me|us) about|show)\s+/i, "")
      .replace(/[.!?]+$/, "")
      .trim() || topic.trim();
  if (countWords(subject) <= SUBJECT_MAX_WORDS && subject.length <= 100) return subject;
  const clause = subject.split(/[,;:()\u2013\u2014]\s*/)[0]!.trim();
  if (countWords(clause) >= 2 && countWords(clause) <= SUBJECT_MAX_WORDS && clause.length <= 100) return clause;
  return truncateText(subject.split(/\s+/).slice(0, SUBJECT_MAX_WORDS).join(" "), 100, "");
}

/** The hook's and the close's words at most: stock sentences never carry a long video. */
const FRAME_MAX_WORDS = 24;
/** A passage sentence longer than this is a table or a run-on, not narration. */
const PASSAGE_SENTENCE_MAX_WORDS = 40;

function cap(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** A scene's title: the sentence's first six words, whole (never cut with "…"). */
function sceneTitleFromSentence(sentence: string) {
  return truncateText(titleCase(titleWords(sentence.replace(/[.!?,;:\u3002\uff01\uff1f]+$/, ""), "en", 6)), 80, "");
}

/** What a video has said so far: each sentence once (compared normalised), each stock
 *  sentence once. `say` answers false for a repeat and says nothing. */
class Said {
  private sentences = new Set<string>();
  private templates = new Set<Template>();
  constructor(private seed: number) {}

  say(sentence: string) {
    const key = normaliseSentence(sentence);
    if (!key || this.sentences.has(key)) return false;
    this.sentences.add(key);
    return true;
  }

  /** The first template of `pool` not yet used (the seed turns where the search starts)
   *  whose sentence is new and at most `maxWords` long; null when none is left. */
  template(pool: Template[], c: TemplateCtx, maxWords = Infinity) {
    for (let k = 0; k < pool.length; k++) {
      const t = pool[(this.seed + k) % pool.length]!;
      if (this.templates.has(t)) continue;
      const sentence = t(c);
      if (countWords(sentence) > maxWords || this.sentences.has(normaliseSentence(sentence))) continue;
      this.templates.add(t);
      this.say(sentence);
      return sentence;
    }
    return null;
  }
}

/** `matter`: what the scene says of its own (no stock words), for its key words. */
type Body = { title: string; sentences: string[]; words: number; matter: string[] };

/** `passages`: texts of the workspace's reference passages; their sentences follow the brief's own. */
export function writeOfflineScript(brief: Brief, options: { passages?: string[] } = {}): Script {
  if (brief.language && brief.language !== "en") return writeOwnWordsScript(brief, options);
  // A topic that opens with a statement is about the statement's noun phrase; the statement
  // itself is said in the body.
  const opening = extractSubject(brief.topic);
  const statementOf = statementSubject(opening);
  const subject = statementOf ?? opening;
  const subjectLower = /^(?:A |[A-Z][a-z])/.test(subject) && !/^[A-Z][a-z]+ [A-Z]/.test(subject) ? subject.charAt(0).toLowerCase() + subject.slice(1) : subject;
  const wpm = plannedWpm(brief);
  const seed = hashString(brief.topic + brief.tone);
  const sceneCount = planSceneCount(brief.targetLengthSec);
  const words = wordsPerScene(brief.targetLengthSec, sceneCount, wpm);
  const frameWords = Math.min(words, FRAME_MAX_WORDS);
  const said = new Said(seed);
  const passages = options.passages ?? [];

  // The brief's own sentences after the first (the first names the subject; a long one is
  // said too), then the passages' sentences.
  const topicSentences = splitSentences(brief.topic, 1);
  const first = topicSentences[0];
  const own = [
    ...(first && (statementOf || countWords(first) > SUBJECT_MAX_WORDS) ? [first] : []),
    ...topicSentences.slice(1).filter((t) => countWords(t) >= 2),
  ];
  const fromPassages = passages.flatMap((p) => splitSentences(p, 4)).filter((s) => countWords(s) <= PASSAGE_SENTENCE_MAX_WORDS);
  const content = [...own, ...fromPassages];
  // Key phrases that no sentence says yet get a sentence of their own.
  const contentKey = ` ${content.map(normaliseSentence).join(" ")} `;
  const subjectKey = normaliseSentence(subject);
  const phrases = nounPhrases([brief.topic, ...passages].join("\n"));
  // The hook and the close say the subject whole, so its own phrases get no sentence of their
  // own, unless they are all the brief has ("Volcanoes: magma, pressure and ash clouds").
  const inSubject = (key: string) => ` ${subjectKey} `.includes(` ${key} `);
  const unsaidOf = (p: Phrase) => normaliseSentence(p.text) !== subjectKey && !contentKey.includes(` ${normaliseSentence(p.text)} `);
  const outside = phrases.filter((p) => unsaidOf(p) && !inSubject(normaliseSentence(p.text)));
  const unsaid = content.length || outside.length ? outside : phrases.filter(unsaidOf);
  const ctx = (phrase = subjectLower, other = ""): TemplateCtx => ({ subject: subjectLower, audience: brief.audience, phrase, other });
  const phraseSentence = (p: Phrase) => said.template(p.verb ? VERB_FRAMES : NOUN_FRAMES, ctx(p.text));

  // The hook and the close first: the body has the words they leave.
  // The close names the two key phrases that hold the material's most frequent words and
  // that the subject does not already hold.
  const weights = new Map(extractKeywords([brief.topic, ...passages].join("\n"), 8).map((w, i) => [w, 8 - i]));
  const weight = (p: Phrase) =>
    normaliseSentence(p.text)
      .split(" ")
      .reduce((a, w) => a + (weights.get(w) ?? 0), 0);
  const keyPhrases = phrases
    .filter((p) => !p.verb && weight(p) > 0 && !` ${subjectKey} `.includes(` ${normaliseSentence(p.text)} `))
    .sort((a, b) => weight(b) - weight(a))
    .map((p) => p.text)
    // The second names something the first does not ("fibre cables", then not "fibre").
    .filter(
      (p, i, all) =>
        i === 0 || !(` ${normaliseSentence(all[0]!)} `.includes(` ${normaliseSentence(p)} `) || normaliseSentence(p).includes(normaliseSentence(all[0]!))),
    );
  const hookSentences = [said.template(HOOKS[brief.tone], ctx(), frameWords) ?? shortest(HOOKS[brief.tone], ctx())];
  const audienceLine = AUDIENCE_LINE(ctx());
  const namesAudience = hookSentences[0]!.includes(brief.audience);
  if (!namesAudience && countWords(hookSentences[0]!) + countWords(audienceLine) <= frameWords && said.say(audienceLine)) hookSentences.push(audienceLine);
  const closeSentences = [said.template(CLOSES[brief.tone], ctx(), frameWords) ?? shortest(CLOSES[brief.tone], ctx())];
  const remember = keyPhrases.length ? REMEMBER_LINE(ctx(keyPhrases[0], keyPhrases[1] ?? "")) : null;
  if (remember && countWords(closeSentences[0]!) + countWords(remember) <= frameWords && said.say(remember)) closeSentences.push(remember);

  const bodyScenes = sceneCount - 2;
  const spare = words * sceneCount - countWords(hookSentences.join(" ")) - countWords(closeSentences.join(" "));
  const bodyWords = Math.max(6, Math.round(spare / bodyScenes));

  type Item = { text: string; title: string };
  const items: (Item | Phrase)[] = [...content.map((text) => ({ text, title: sceneTitleFromSentence(text) })), ...unsaid];
  const itemWords = content.reduce((a, s) => a + countWords(s), 0) + unsaid.length * 6;
  // Transitions only join a video whose own material fills its length: they never pad.
  const rich = itemWords >= bodyScenes * bodyWords * 0.9;

  const bodies: Body[] = [];
  let current: Body | null = null;
  for (const item of items) {
    const phrase = "verb" in item ? item : null;
    // With material to spare, a sentence too long for a scene is left out rather than cut.
    if (!phrase && rich && countWords(item.text) > bodyWords * 1.25) continue;
    const text = phrase ? phraseSentence(phrase) : said.say(item.text) ? item.text : null;
    if (!text) continue;
    const n = countWords(text);
    if (current && (current.words >= bodyWords * 0.85 || current.words + n > bodyWords * 1.25)) {
      bodies.push(current);
      current = null;
    }
    if (!current) {
      if (bodies.length >= bodyScenes) break;
      current = { title: phrase ? truncateText(titleCase(phrase.text), 80) : (item as Item).title, sentences: [], words: 0, matter: [] };
      const transition = rich && bodies.length > 0 ? said.template(TRANSITIONS[brief.tone], ctx()) : null;
      if (transition) current.sentences.push(transition);
      current.words += transition ? countWords(transition) : 0;
    }
    current.sentences.push(text);
    current.words += n;
    current.matter.push(phrase ? phrase.text : text);
  }
  if (current) bodies.push(current);
  // A last scene with far fewer words than the others joins the one before.
  const last = bodies.at(-1);
  if (bodies.length > 1 && last && last.words < bodyWords * 0.35) {
    bodies.pop();
    const before = bodies.at(-1)!;
    bodies[bodies.length - 1] = {
      ...before,
      sentences: [...before.sentences, ...last.sentences],
      words: before.words + last.words,
      matter: [...before.matter, ...last.matter],
    };
  }
  // Nothing of its own beyond the subject: one sentence about the subject is the body.
  if (!bodies.length) {
    const text = phraseSentence({ text: subjectLower, verb: false }) ?? `${cap(subjectLower)}.`;
    bodies.push({ title: truncateText(titleCase(subject), 80), sentences: [text], words: countWords(text), matter: [subjectLower] });
  }

  const kw = extractKeywords(brief.topic);
  const sceneKeywords = (text: string) => {
    const found = [...new Set([...extractKeywords(text, 2), ...kw])].slice(0, 2);
    return found.length ? found : [subjectLower];
  };
  const visualPrompt = (title: string, keywords: string[]) =>
    truncateText(`${brief.visualStyle} style illustration for "${title}": ${keywords.join(", ")}, about ${subjectLower}`, 500);

  const hookNarration = hookSentences.join(" ");
  const closeNarration = closeSentences.join(" ");
  const planned: { role: ScriptScene["role"]; title: string; narration: string; matter: string }[] = [
    { role: "hook", title: truncateText(titleCase(subject), 80), narration: hookNarration, matter: brief.topic },
    ...bodies.map((b) => ({ role: "body" as const, title: b.title, narration: b.sentences.join(" "), matter: b.matter.join(". ") })),
    { role: "close", title: "Key Takeaways", narration: closeNarration, matter: brief.topic },
  ];
  const scenes: ScriptScene[] = planned.map(({ matter, ...s }, i) => {
    const keywords = sceneKeywords(matter);
    return { id: `scene-${i + 1}`, ...s, visualPrompt: visualPrompt(s.title, keywords), keywords };
  });

  const shortened = shortenedFor(brief.targetLengthSec, estimatedLengthSec(scenes, wpm), passages.length > 0);
  return scriptSchema.parse({ title: truncateText(titleCase(subject), 100), scenes, writer: "offline", ...(shortened ? { shortened } : {}) });
}

/** When every template of a pool is too long for a tight video, the shortest one. */
function shortest(pool: Template[], c: TemplateCtx) {
  return pool.map((t) => t(c)).sort((a, b) => countWords(a) - countWords(b))[0]!;
}
