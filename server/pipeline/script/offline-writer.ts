// The offline script writer: no model, no network. It builds the script from the brief
// itself: the prompt's own sentences become the body's points when it has them, its key
// phrases fill the rest, and the shape is always hook → body → close, paced to the
// target length. Deterministic: the same brief gives the same script.
import type { Brief } from "../../videos/brief.ts";
import { countWords, planSceneCount, wordsPerScene } from "../pacing.ts";
import { plannedWpm } from "./analysis.ts";
import { extractKeywords } from "../../text/keywords.ts";
import { truncateText } from "../../text/policy.ts";
import { scriptSchema, type Script, type ScriptScene } from "./types.ts";

function hashString(s: string) {
  let h = 2166136261;
  for (const c of s) h = Math.imul(h ^ c.codePointAt(0)!, 16777619);
  return h >>> 0;
}

const pick = <T>(items: readonly T[], seed: number, salt = 0) => items[(seed + salt * 7919) % items.length]!;

function titleCase(s: string) {
  const small = new Set(["a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "with", "at", "by"]);
  return s
    .split(/\s+/)
    .map((w, i) => (i > 0 && small.has(w.toLowerCase()) ? w.toLowerCase() : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(" ");
}

function sentencesOf(text: string) {
  return text
    .replace(/\r/g, "")
    .split(/\n+|(?<=[.!?])\s+|;\s+/)
    .map((s) => s.replace(/^\s*(?:[-*•]|\d+[.)])\s*/, "").trim())
    .filter((s) => countWords(s) >= 2);
}

/** The longest subject the templates say (it goes into the hook, titles and prompts). */
const SUBJECT_MAX_WORDS = 12;

/** The subject of the prompt: its first sentence without request phrasing, at most
 *  SUBJECT_MAX_WORDS words (a long sentence is cut at a clause, else after those words). */
export function extractSubject(topic: string) {
  const first = sentencesOf(topic)[0] ?? topic.trim();
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

type Angle = { title: (s: Ctx) => string; lines: ((s: Ctx) => string)[] };
/** subject: as the prompt says it; subjectRef: a form that reads well inside any sentence. */
type Ctx = { subject: string; subjectRef: string; audience: string; keyword: string; other: string; tone: Brief["tone"] };

const HOOKS: Record<Brief["tone"], ((c: Ctx) => string)[]> = {
  informative: [
    (c) => `What do you really know about ${c.subject}? In the next minute, here is what ${c.audience} should understand.`,
    (c) => `${cap(c.subject)} shapes more of daily life than most people notice. Here is a clear look at how.`,
  ],
  friendly: [
    (c) => `Ever wondered about ${c.subject}? Let's walk through it together, one simple step at a time.`,
    (c) => `Hi there! Today we're talking about ${c.subject}, and it's more interesting than it sounds.`,
  ],
  inspiring: [
    (c) => `Every big change starts with one idea. Today, that idea is ${c.subject}.`,
    (c) => `Imagine what becomes possible once you truly understand ${c.subject}.`,
  ],
  serious: [
    (c) => `${cap(c.subject)} matters, and the details are worth getting right. Here are the facts.`,
    (c) => `Let's look carefully at ${c.subject}: what it is, why it matters, and what follows from it.`,
  ],
  playful: [
    (c) => `Quick question: what do ${c.keyword} and a good story have in common? Stick around and find out, with ${c.subject}.`,
    (c) => `Buckle up! We're taking a speedy tour of ${c.subject}, no boring bits allowed.`,
  ],
};

// Follow-ups for a point taken from the prompt: true of any point, so they never contradict it.
const POINT_FOLLOW_UPS: ((c: Ctx) => string)[][] = [
  [(c) => `It is one of the key ideas behind ${c.subjectRef}.`, () => `Keep it in mind, because what follows builds on it.`],
  [() => `This is where the details start to matter.`, (c) => `It explains a good part of ${c.subjectRef}.`],
  [() => `It is easy to overlook, yet it changes the whole picture.`, () => `Notice it once, and you will keep seeing it.`],
  [() => `That point deserves a moment of attention.`, () => `It connects directly to everything else here.`],
];

const ANGLES: Angle[] = [
  {
    title: () => "The Basics",
    lines: [
      (c) => `Start with the basics. ${cap(c.subjectRef)} comes down to a few ideas, and ${c.keyword} is the first of them.`,
      (c) => `Once ${c.keyword} is clear, the rest of the picture falls into place much faster.`,
      (_c) => `Keep that in mind, because everything that follows builds on it.`,
    ],
  },
  {
    title: (_c) => `Why It Matters`,
    lines: [
      (c) => `Why should ${c.audience} care? Because ${c.subjectRef} affects choices people make every day.`,
      (c) => `Understanding ${c.keyword} helps you see the reasons behind those choices, not just the results.`,
      (_c) => `And that makes it easier to make better decisions of your own.`,
    ],
  },
  {
    title: (_c) => `How It Works`,
    lines: [
      (c) => `So how does it work? Think of ${c.keyword} and ${c.other} as two parts of one system.`,
      (c) => `When one of them changes, the other responds, and the whole of ${c.subjectRef} shifts with it.`,
      (_c) => `Seeing that connection is the key to understanding the rest.`,
    ],
  },
  {
    title: (c) => `A Closer Look at ${titleCase(c.other)}`,
    lines: [
      (c) => `Now take a closer look at ${c.other}. It is easy to overlook, yet it explains a great deal.`,
      (c) => `Many of the surprises in ${c.subjectRef} start right here.`,
      (_c) => `Notice it once, and you will keep seeing it everywhere.`,
    ],
  },
  {
    title: () => `A Common Misconception`,
    lines: [
      (c) => `A common misconception is that ${c.subjectRef} is simple. In reality, ${c.keyword} adds real nuance.`,
      (_c) => `The details matter, and the best results come from paying attention to them.`,
      (_c) => `Questioning the easy answer is often the first step to a better one.`,
    ],
  },
  {
    title: () => `Putting It into Practice`,
    lines: [
      (c) => `How can ${c.audience} put this into practice? Start small: focus on ${c.keyword} first.`,
      (c) => `Then add ${c.other} once the first step feels natural.`,
      (_c) => `Small, steady steps add up to a real difference over time.`,
    ],
  },
  {
    title: () => `What Comes Next`,
    lines: [
      (c) => `Looking ahead, ${c.subjectRef} keeps changing, and ${c.keyword} will likely play an even bigger role.`,
      (_c) => `Staying curious is the best way to keep up with it.`,
      (_c) => `The people who understand it today will shape what happens tomorrow.`,
    ],
  },
];

const CLOSES: Record<Brief["tone"], ((c: Ctx) => string)[]> = {
  informative: [(c) => `To sum up: ${c.subject} rests on ${c.keyword} and ${c.other}. Keep those two in mind, and the rest follows.`],
  friendly: [(c) => `And that's ${c.subject} in a nutshell! Remember ${c.keyword} and ${c.other}, and you're well on your way. Thanks for watching!`],
  inspiring: [(c) => `${cap(c.subject)} is not just something to know about, it is something to act on. Start with ${c.keyword}, and see where it takes you.`],
  serious: [(c) => `In short, ${c.subject} deserves careful attention. Focus on ${c.keyword} and ${c.other}, and decide with the facts in hand.`],
  playful: [(c) => `And there you have it: ${c.subject}, served fresh! Go impress someone with what you now know about ${c.keyword}.`],
};

// For tight word budgets (the shortest videos), a hook and a close of a few words each.
const SHORT_HOOK = (c: Ctx) => `${cap(c.subject)}: here is what ${c.audience} should know.`;
const SHORT_CLOSE = (c: Ctx) => `That is ${c.subject}, in brief. Thanks for watching!`;
const isTight = (words: number) => words < 16;

function cap(s: string) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Trims or extends a narration to about `target` words, at sentence boundaries. */
function fitToWords(sentences: string[], target: number) {
  const out: string[] = [];
  let words = 0;
  for (const s of sentences) {
    const n = countWords(s);
    if (out.length > 0 && words + n > target * 1.25) break;
    out.push(s);
    words += n;
    if (words >= target * 0.85) break;
  }
  return out.join(" ");
}

function ensureSentence(s: string) {
  const t = s.trim();
  return /[.!?]$/.test(t) ? cap(t) : `${cap(t)}.`;
}

function sceneTitleFromSentence(sentence: string) {
  const words = sentence.replace(/[.!?,;:]+$/, "").split(/\s+/);
  return truncateText(titleCase(words.slice(0, 6).join(" ")) + (words.length > 6 ? "…" : ""), 80);
}

/** `points`: extra points for the body (sentences from reference passages), after the prompt's own. */
export function writeOfflineScript(brief: Brief, options: { points?: string[] } = {}): Script {
  const subject = extractSubject(brief.topic);
  const subjectLower = /^[A-Z][a-z]/.test(subject) && !/^[A-Z][a-z]+ [A-Z]/.test(subject) ? subject.charAt(0).toLowerCase() + subject.slice(1) : subject;
  const keywords = extractKeywords(brief.topic);
  const seed = hashString(brief.topic + brief.tone);
  const sceneCount = planSceneCount(brief.targetLengthSec);
  const words = wordsPerScene(brief.targetLengthSec, sceneCount, plannedWpm(brief));
  const kw = (i: number) => keywords[i % Math.max(keywords.length, 1)] ?? subjectLower;
  const subjectRef = /^(how|why|what|when|where|who|which|whether)\b/i.test(subjectLower) ? "this topic" : subjectLower;
  const ctx = (i: number): Ctx => ({ subject: subjectLower, subjectRef, audience: brief.audience, keyword: kw(i), other: kw(i + 1), tone: brief.tone });
  const visualKeywords = (i: number) => [kw(i), kw(i + 1)].filter((v, j, a) => a.indexOf(v) === j);
  const visualPrompt = (title: string, i: number) =>
    truncateText(`${brief.visualStyle} style illustration for "${title}": ${visualKeywords(i).join(", ")}, about ${subjectLower}`, 500);

  // The prompt's own points (sentences after the first) come first in the body.
  const ownPoints = [...sentencesOf(brief.topic).slice(1), ...(options.points ?? []).filter((p) => countWords(p) >= 4)];
  const bodyCount = sceneCount - 2;
  const scenes: ScriptScene[] = [];

  const hookCtx = ctx(0);
  scenes.push({
    id: "scene-1",
    role: "hook",
    title: truncateText(titleCase(subject), 80),
    narration: isTight(words) ? SHORT_HOOK(hookCtx) : fitToWords([pick(HOOKS[brief.tone], seed)(hookCtx), `This is for ${brief.audience}.`], words),
    visualPrompt: visualPrompt(titleCase(subject), 0),
    keywords: visualKeywords(0),
  });

  // The angles run in a fixed, logical order: basics before details, practice before outlook.
  for (let b = 0; b < bodyCount; b++) {
    const c = ctx(b + 1);
    let title: string;
    let sentences: string[];
    if (b < ownPoints.length) {
      const point = ensureSentence(ownPoints[b]!);
      title = sceneTitleFromSentence(ownPoints[b]!);
      sentences = [point, ...POINT_FOLLOW_UPS[b % POINT_FOLLOW_UPS.length]!.map((l) => l(c))];
    } else {
      const angle = ANGLES[(b - ownPoints.length) % ANGLES.length]!;
      title = angle.title(c);
      sentences = angle.lines.map((l) => l(c));
    }
    scenes.push({
      id: `scene-${scenes.length + 1}`,
      role: "body",
      title: truncateText(title, 80),
      narration: fitToWords(sentences, words),
      visualPrompt: visualPrompt(title, b + 1),
      keywords: visualKeywords(b + 1),
    });
  }

  const closeCtx = ctx(0);
  // With points of its own, the close sums them up; otherwise it names the key words.
  const recap = ownPoints
    .slice(0, 3)
    .map((p) => p.replace(/[.!?]+$/, ""))
    .map((p, i) => (i === 0 ? p : p.charAt(0).toLowerCase() + p.slice(1)));
  const recapLine = `To sum up: ${recap.join("; ")}. Thanks for watching!`;
  const closeNarration = isTight(words)
    ? SHORT_CLOSE(closeCtx)
    : recap.length >= 2 && countWords(recapLine) <= words * 1.3
      ? recapLine
      : fitToWords([pick(CLOSES[brief.tone], seed)(closeCtx)], words);
  scenes.push({
    id: `scene-${scenes.length + 1}`,
    role: "close",
    title: "Key Takeaways",
    narration: closeNarration,
    visualPrompt: visualPrompt("Key Takeaways", 0),
    keywords: visualKeywords(0),
  });

  return scriptSchema.parse({ title: truncateText(titleCase(subject), 100), scenes, writer: "offline" });
}
