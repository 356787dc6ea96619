import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { makeSpeakable, splitLongSentence, yearWords } from "../../../../../server/pipeline/narration/speakable.ts";

// Written form → what the narrator says. Each row is a case a voice gets wrong when given raw text.
const CASES: [string, string][] = [
  ["It costs $1,250.50 today.", "It costs one thousand two hundred fifty dollars and fifty cents today."],
  ["Revenue hit $3.5 billion in 2023.", "Revenue hit three point five billion dollars in twenty twenty-three."],
  ["A $2M round.", "A two million dollars round."],
  ["£20, €1.50 and ¥300.", "twenty pounds, one euro and fifty cents and three hundred yen."],
  ["About 45% of people (roughly 3.5 million) agree.", "About forty-five percent of people, roughly three point five million, agree."],
  ["Growth of 5-10% a year, 3–4 km away.", "Growth of five to ten percent a year, three to four kilometers away."],
  ["On 2024-03-15 at 3:30 pm we met.", "On March fifteenth, twenty twenty-four at three thirty P M we met."],
  ["Jan 5, 2021 at 9am.", "January fifth, twenty twenty-one at nine A M."],
  ["Meet at 10:00 or 7:05.", "Meet at ten o'clock or seven oh five."],
  ["The 1990s and the 21st century.", "The nineteen nineties and the twenty-first century."],
  ["In 1999, 2005, 2024 and 1800.", "In nineteen ninety-nine, two thousand five, twenty twenty-four and eighteen hundred."],
  ["Run 5 km at 12 km/h, or 1 mi.", "Run five kilometers at twelve kilometers per hour, or one mile."],
  ["It weighs 1 kg, not 2.5 kg; it was -5°C.", "It weighs one kilogram, not two point five kilograms; it was minus five degrees Celsius."],
  [
    "A 1920x1080 screen, 16 GB and 10-20 ms.",
    "A one thousand nine hundred twenty by one thousand eighty screen, sixteen gigabytes and ten to twenty milliseconds.",
  ],
  ["Call 555-1234.", "Call five five five, one two three four."],
  ["Visit https://www.example.com/docs or mail hi@aura.dev.", "Visit example dot com or mail hi at aura dot dev."],
  ["Dr. Smith said e.g. AI & ML vs. rules etc.", "Doctor Smith said for example A I and ML versus rules et cetera."],
  ["No. 5 is #1 + best = true.", "number five is number one plus best equals true."],
  ["**Bold** and `code` and [a link](https://x.io) 🐝", "Bold and code and a link"],
  ["Wait — really... yes!", "Wait, really. yes!"],
  ["Our team of 12 grew to 1,200; prices rose 7.5%.", "Our team of twelve grew to one thousand two hundred; prices rose seven point five percent."],
];

describe("narration optimiser", () => {
  for (const [input, spoken] of CASES) {
    test(input, () => assert.equal(makeSpeakable(input), spoken));
  }

  test("years are said the way people say them", () => {
    assert.deepEqual([1066, 1900, 1905, 2000, 2009, 2010, 2099].map(yearWords), [
      "ten sixty-six",
      "nineteen hundred",
      "nineteen oh five",
      "two thousand",
      "two thousand nine",
      "twenty ten",
      "twenty ninety-nine",
    ]);
  });

  test("a long sentence is split near its middle at a comma or conjunction; a short one is kept", () => {
    const long =
      "Honeybees visit thousands of flowers every single day to gather nectar and pollen for the hive, and they communicate the location of the best flowers to their sisters through a remarkable waggle dance";
    const parts = splitLongSentence(long);
    assert.equal(parts.length, 2);
    assert.ok(parts[0]!.endsWith("for the hive."));
    assert.ok(parts[1]!.startsWith("They communicate"));
    assert.deepEqual(splitLongSentence("Short and sweet."), ["Short and sweet."]);
    assert.equal(makeSpeakable(long).split(". ").length, 2);
  });

  test("text with nothing to say becomes empty", () => {
    assert.equal(makeSpeakable("🐝 🌸 ** ``"), "");
  });
});
