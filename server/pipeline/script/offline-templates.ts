// The offline writer's few stock sentences: hooks, transitions and closes per tone, and the
// frames that turn a key phrase of the brief into a sentence. Each is said at most once in a
// video (the writer keeps count). A subject or phrase only ever sits where any noun phrase
// reads well: after a preposition or a colon, never as a verb's subject, so "bees", "DNA",
// "the long history of coffee in Europe" and "reduce waste at home" all fit.
import type { Brief } from "../../videos/brief.ts";

/** subject: the topic as the prompt says it; audience: the brief's; phrase: a key phrase. */
export type TemplateCtx = { subject: string; audience: string; phrase: string; other: string };
export type Template = (c: TemplateCtx) => string;

export const HOOKS: Record<Brief["tone"], Template[]> = {
  informative: [
    (c) => `What do you really know about ${c.subject}? Here is what ${c.audience} should understand.`,
    (c) => `Let's make sense of ${c.subject}, one idea at a time.`,
    (c) => `This is a short, clear guide to ${c.subject}.`,
    (c) => `A quick look at ${c.subject}.`,
  ],
  friendly: [
    (c) => `Ever wondered about ${c.subject}? Let's walk through it together, one simple step at a time.`,
    (c) => `Hi there! Today we're talking about ${c.subject}.`,
    (c) => `Curious about ${c.subject}? You're in the right place.`,
    (c) => `Let's chat about ${c.subject}.`,
  ],
  inspiring: [
    (c) => `Every big change starts with one idea. Today, we turn to ${c.subject}.`,
    (c) => `Imagine what becomes possible once you truly understand ${c.subject}.`,
    (c) => `There is more to ${c.subject} than meets the eye.`,
    (c) => `Get ready to see ${c.subject} anew.`,
  ],
  serious: [
    (c) => `Getting the details of ${c.subject} right is worth the effort. Here are the facts.`,
    (c) => `Let's look carefully at ${c.subject}, and keep to the facts.`,
    (c) => `Here are a few facts about ${c.subject} worth your attention.`,
    (c) => `A sober look at ${c.subject}.`,
  ],
  playful: [
    (c) => `Buckle up! We're taking a speedy tour of ${c.subject}, no boring bits allowed.`,
    (c) => `Quick question: how much do you know about ${c.subject}? Let's find out!`,
    (c) => `Ready for a fun ride through ${c.subject}? Here we go!`,
    (c) => `Pop quiz time! The topic: ${c.subject}.`,
  ],
};

/** Said after the hook when its share of words has room. */
export const AUDIENCE_LINE: Template = (c) => `This one is for ${c.audience}.`;

/** Opens a body scene after the first, only in a video whose material fills its length. */
export const TRANSITIONS: Record<Brief["tone"], Template[]> = {
  informative: [() => "Here is the next part.", () => "Now for another point.", () => "There is more to know.", () => "One more piece fits here."],
  friendly: [() => "Okay, next up!", () => "Here's another fun bit.", () => "Let's keep going.", () => "Still with me? Great."],
  inspiring: [() => "And there is more.", () => "Now, picture this.", () => "Here is where it gets exciting.", () => "Keep that spark going."],
  serious: [
    () => "Consider the next point.",
    () => "The next fact matters too.",
    () => "Now, a further consideration.",
    () => "There is another side to this.",
  ],
  playful: [() => "Next stop!", () => "Ooh, here's a good one.", () => "Plot twist coming up.", () => "Onward we go!"],
};

export const CLOSES: Record<Brief["tone"], Template[]> = {
  informative: [
    (c) => `That is the essence of ${c.subject}.`,
    (c) => `Now you know the key facts about ${c.subject}.`,
    (c) => `Thanks for watching this look at ${c.subject}.`,
  ],
  friendly: [
    (c) => `That's the short story of ${c.subject}! Thanks for watching!`,
    (c) => `Hope you enjoyed this little tour of ${c.subject}. See you next time!`,
    (c) => `That's a wrap on ${c.subject}. Thanks for hanging out!`,
  ],
  inspiring: [
    (c) => `Now it's your turn: take what you learned about ${c.subject} and run with it.`,
    (c) => `Keep exploring ${c.subject}; every question leads somewhere new.`,
    (c) => `You can be part of what comes next for ${c.subject}.`,
  ],
  serious: [
    (c) => `In short, give ${c.subject} careful attention, and decide with the facts in hand.`,
    (c) => `These are the facts about ${c.subject}. Weigh them carefully.`,
    (c) => `That concludes this look at ${c.subject}.`,
  ],
  playful: [
    (c) => `And there you have it: ${c.subject}, served fresh!`,
    (c) => `Ta-da! That was a tour of ${c.subject}, minus the boring bits.`,
    (c) => `Go impress your friends with what you now know about ${c.subject}!`,
  ],
};

/** Said in the close when its share of words has room: the video's two key phrases. */
export const REMEMBER_LINE: Template = (c) => (c.other ? `Worth remembering: ${c.phrase} and ${c.other}.` : `Worth remembering: ${c.phrase}.`);

/** A key phrase that names a thing, as a sentence of its own. */
export const NOUN_FRAMES: Template[] = [
  (c) => `Take a moment to consider ${c.phrase}.`,
  (c) => `Think about ${c.phrase} for a moment.`,
  (c) => `Keep ${c.phrase} in mind as we go.`,
  (c) => `Now turn our attention to ${c.phrase}.`,
  (c) => `A closer look at ${c.phrase} helps here.`,
  (c) => `Notice the part played by ${c.phrase}.`,
  (c) => `Much of the story turns on ${c.phrase}.`,
  (c) => `Then there is the matter of ${c.phrase}.`,
];

/** A key phrase that is an action ("reduce waste at home"), as a sentence of its own. */
export const VERB_FRAMES: Template[] = [
  (c) => `One step to take: ${c.phrase}.`,
  (c) => `Another thing to try: ${c.phrase}.`,
  (c) => `Next on the list: ${c.phrase}.`,
  (c) => `A habit worth building: ${c.phrase}.`,
];
