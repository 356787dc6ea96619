// The offline writer for a brief in another language than English. It has no stock sentences
// in that language and no tagger for it, so it says only what the brief and the workspace's
// passages say, in their own words: their sentences, in order, grouped into scenes of about
// the length each scene should have (the first opens with the topic's first sentence). Sentences and words are found by Intl.Segmenter with
// the language's locale (Chinese, Japanese and Thai have no spaces between words), titles and
// visual queries are the sentences' own words, and no English word is added. With too little
// material the video is shorter, and the script says so, as the English writer does.
import { languageOrEnglish } from "@aura/render-contract";
import { extractKeywords, foldCase, stopwordsFor } from "../../text/keywords.ts";
import { truncateText } from "../../text/policy.ts";
import type { Brief } from "../../videos/brief.ts";
import { planSceneCount, countWords, wordsPerScene } from "../pacing.ts";
import { MAX_SHOTS } from "../shots.ts";
import { plannedWpm } from "./analysis.ts";
import { estimatedLengthSec } from "./arc.ts";

import { scriptSchema, shortenedFor, type Script, type ScriptScene } from "./types.ts";

/** A list item's marker: "- ", "* ", "• ", "1. ", "2) ". */
const BULLET = /^\s*(?:[-*•\u2013\u2014]|\d+[.)])\s+/;
/** Marks that end a sentence, in the scripts Aura writes (Latin, CJK, Devanagari, Arabic). */
const END = /[.!?\u3002\uff01\uff1f\u0964\u0965\u061f\u06d4]["')\]\u201d\u300d\u300f]*$/;
/** A passage sentence longer than this is a table or a run-on, not narration. */
const PASSAGE_SENTENCE_MAX_WORDS = 60;
/** A scene title says at most this many of its first sentence's words. */
const TITLE_WORDS = 6;

const segmenters = new Map<string, Intl.Segmenter>();
function segmenter(language: string, granularity: "sentence" | "word") {
  const key = `${language}:${granularity}`;
  let s = segmenters.get(key);
  if (!s) {
    s = new Intl.Segmenter(language, { granularity });
    segmenters.set(key, s);
  }
  return s;
}

/** The full stop a sentence without an end mark gets: Chinese and Japanese "。", Hindi and
 *  Bengali "।", Thai none (a space ends a Thai sentence), else ".". */
function fullStop(language: string) {
  const { script } = languageOrEnglish(language);
  if (script === "Hans" || script === "Hant" || script === "Jpan") return "\u3002";
  if (script === "Deva" || script === "Beng") return "\u0964";
  if (script === "Thai") return "";
  return ".";
}

/** The sentences of a text in its language, in order: each line (a list item is one) cut at
 *  the sentence boundaries Intl.Segmenter finds for the language, without list markers, each
 *  ended by the language's full stop when it had no end mark. Thai writes no full stop: a
 *  space between two runs of Thai marks the end of a sentence (or clause), so it cuts there. */
export function sentencesIn(text: string, language: string, minWords = 2) {
  const stop = fullStop(language);
  const thai = languageOrEnglish(language).script === "Thai";
  const out: string[] = [];
  for (const line of text.replace(/\r/g, "").split(/\n+/)) {
    for (const { segment } of segmenter(language, "sentence").segment(line.replace(BULLET, ""))) {
      const pieces = thai ? segment.split(/(?<=\p{Script=Thai})\s+(?=\p{Script=Thai})/u) : [segment];
      for (const piece of pieces) {
        const s = piece.replace(BULLET, "").replace(/\s+/g, " ").trim();
        if (!s || countWords(s, language) < minWords) continue;
        out.push(END.test(s) || !stop ? s : `${s.replace(/[,;:\u3001\uff0c\u060c\s]+$/, "")}${stop}`);
      }
    }
  }
  return out;
}

/** A title from a sentence's first `max` words, as it writes them: cut at a word and never
 *  with "…" (a title on screen is whole words), without the marks or the little words ("and",
 *  "of", "a"…) a cut leaves at its end. */
export function titleWords(sentence: string, language: string, max: number) {
  const words: { end: number; word: string }[] = [];
  for (const { segment, index, isWordLike } of segmenter(language, "word").segment(sentence)) {
    if (!isWordLike) continue;
    words.push({ end: index + segment.length, word: segment });
    if (words.length > max) break;
  }
  let kept = words.slice(0, max);
  if (words.length > max) {
    const stop = stopwordsFor(language);
    while (kept.length > 1 && stop.has(foldCase(kept.at(-1)!.word, language))) kept = kept.slice(0, -1);
  }
  return sentence
    .slice(0, kept.at(-1)?.end ?? 0)
    .trim()
    .replace(/[\s,;:\u3001\uff0c\u060c]+$/, "");
}

/** The first `max` words of a sentence as it writes them (spaces and marks between them
 *  kept), without its end mark. */
export function leadingWords(sentence: string, language: string, max: number) {
  let end = 0;
  let n = 0;
  for (const { segment, index, isWordLike } of segmenter(language, "word").segment(sentence)) {
    if (isWordLike && ++n > max) break;
    if (isWordLike) end = index + segment.length;
  }
  const cut = sentence.slice(0, end).trim();
  return n > max ? `${cut}…` : cut;
}

/** A sentence cut into `parts` runs of about as many words, at word boundaries: a brief of one
 *  sentence still makes the three scenes a video needs. */
function splitByWords(sentence: string, language: string, parts: number) {
  const words = [...segmenter(language, "word").segment(sentence)];
  const total = words.filter((w) => w.isWordLike).length;
  if (total < parts) return [sentence];
  const out: string[] = [];
  let current = "";
  let seen = 0;
  for (const w of words) {
    if (w.isWordLike && current.trim() && seen >= ((out.length + 1) * total) / parts && out.length < parts - 1) {
      out.push(current.trim());
      current = "";
    }
    if (w.isWordLike) seen++;
    current += w.segment;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

type Group = { sentences: string[]; words: number };

/** Writes the script of a non-English brief from its own sentences and the passages'. */
export function writeOwnWordsScript(brief: Brief, options: { passages?: string[] } = {}): Script {
  const language = brief.language;
  const wpm = plannedWpm(brief);
  const sceneCount = planSceneCount(brief.targetLengthSec);
  const perScene = wordsPerScene(brief.targetLengthSec, sceneCount, wpm, language);
  const passages = options.passages ?? [];
  const words = (s: string) => countWords(s, language);

  const topic = sentencesIn(brief.topic, language, 1);
  const fromPassages = passages.flatMap((p) => sentencesIn(p, language, 3)).filter((s) => words(s) <= PASSAGE_SENTENCE_MAX_WORDS);
  // Each sentence once, compared without case, marks or spacing.
  const seen = new Set<string>();
  let material = [...topic, ...fromPassages].filter((s) => {
    const key = s.toLocaleLowerCase(language).replace(/[^\p{L}\p{N}\p{M}]+/gu, "");
    if (!key || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // Fewer sentences than the three scenes of an arc: the longest is cut at word boundaries.
  while (material.length > 0 && material.length < 3) {
    const longest = material.reduce((a, s, i) => (words(s) > words(material[a]!) ? i : a), 0);
    const parts = splitByWords(material[longest]!, language, 3 - material.length + 1);
    if (parts.length < 2) break;
    material = [...material.slice(0, longest), ...parts, ...material.slice(longest + 1)];
  }
  while (material.length < 3) material.push(material.at(-1) ?? brief.topic.trim());

  // Sentences join a scene until it holds about its share of words; at most sceneCount scenes.
  const groups: Group[] = [];
  for (const sentence of material) {
    const n = words(sentence);
    const current = groups.at(-1);
    if (current && current.words < perScene * 0.85 && current.words + n <= perScene * 1.25) {
      current.sentences.push(sentence);
      current.words += n;
    } else if (groups.length < sceneCount) groups.push({ sentences: [sentence], words: n });
    else break;
  }
  // An arc needs three scenes: the group of most sentences is halved until there are three
  // (there are at least three sentences).
  while (groups.length < 3) {
    const k = groups.reduce((a, g, i) => (g.sentences.length > groups[a]!.sentences.length ? i : a), 0);
    const g = groups[k]!;
    const half = Math.ceil(g.sentences.length / 2);
    const [a, b] = [g.sentences.slice(0, half), g.sentences.slice(half)];
    groups.splice(k, 1, { sentences: a, words: words(a.join(" ")) }, { sentences: b, words: words(b.join(" ")) });
  }

  // Chinese and Japanese sentences follow each other without a space; Thai ones after one.
  const join = (sentences: string[]) => sentences.join(languageOrEnglish(language).spaced || language === "th" ? " " : "");
  const titleOf = (sentence: string) => truncateText(titleWords(sentence, language, TITLE_WORDS), 80, "") || sentence.slice(0, 40);
  const last = groups.length - 1;
  const scenes: ScriptScene[] = groups.map((g, i) => {
    const narration = join(g.sentences);
    const keywords = extractKeywords(narration, 4, language);
    const title = titleOf(g.sentences[0]!);
    // One shot per sentence, each found by its own words (or the scene's, or its title, for a
    // sentence of stop words only).
    const queries = [...new Set(g.sentences.map((s) => extractKeywords(s, 3, language).join(" ") || keywords.slice(0, 3).join(" ") || title))];
    return {
      id: `scene-${i + 1}`,
      role: i === 0 ? "hook" : i === last ? "close" : "body",
      title,
      narration,
      visualPrompt: truncateText([title, ...keywords].join(", "), 500),
      keywords: keywords.length ? keywords : [title],
      shots: queries.slice(0, MAX_SHOTS).map((query) => ({ query: truncateText(query, 200) })),
    };
  });

  const shortened = shortenedFor(brief.targetLengthSec, estimatedLengthSec(scenes, wpm, language), passages.length > 0);
  const title =
    truncateText(titleWords(topic[0] ?? brief.topic.trim(), language, 12).replace(/[.!?\u3002\uff01\uff1f\u0964\u061f]+$/, ""), 100, "") || scenes[0]!.title;
  return scriptSchema.parse({ title, scenes, writer: "offline", ...(shortened ? { shortened } : {}) });
}
