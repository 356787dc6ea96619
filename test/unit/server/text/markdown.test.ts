// Reference documents reach the script as plain sentences: no Markdown mark survives
// extraction, nor the offline writer's reading of a passage stored with its marks.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { extractDocumentText } from "../../../../server/knowledge/extract.ts";
import { splitSentences } from "../../../../server/pipeline/script/material.ts";
import { markdownToPlainText } from "../../../../server/text/markdown.ts";

const DOC = `# Coffee *history*

Coffee was **first** found in [Ethiopia](https://example.com/e) around the \`9th\` century, by __goats__.

- Roast the _beans_ evenly
* Grind them ~~stale~~ fresh
1. Brew at 93 °C

| Origin | Caffeine |
|---|---|
| Ethiopia | high |
| Brazil | medium |

\`\`\`js
brew();
\`\`\`

> Tea is *not* coffee.

![a steaming cup](cup.png) Fish &amp; chips, 5 * 3 = 15, snake_case stays.
`;

/** Any Markdown mark a viewer would see on screen or in a caption. */
const MARKS = /[#*`|[\]]|__|~~|\]\(|!\[|^\s*[-+]\s/m;

describe("markdownToPlainText", () => {
  it("keeps the words and drops every mark", () => {
    const plain = markdownToPlainText(DOC);
    assert.doesNotMatch(plain.replace("5 * 3", ""), MARKS, plain);
    for (const words of [
      "Coffee history.",
      "Coffee was first found in Ethiopia around the 9th century, by goats.",
      "Roast the beans evenly",
      "Grind them stale fresh",
    ])
      assert.ok(plain.includes(words), `${words} in ${plain}`);
    assert.ok(plain.includes("Origin: Ethiopia; Caffeine: high."), plain);
    assert.ok(plain.includes("Tea is not coffee."), plain);
    assert.ok(plain.includes("a steaming cup Fish & chips, 5 * 3 = 15, snake_case stays."), plain);
    assert.ok(!plain.includes("brew()"), "a fenced code block says nothing to narrate");
    assert.ok(!plain.includes("https://"), "a link's address is not read out");
  });

  it("leaves plain text as it was, indented paragraphs included", () => {
    const text = "A plain note about tides.\n\n    An indented paragraph about the Moon.";
    assert.equal(markdownToPlainText(text), "A plain note about tides.\n\nAn indented paragraph about the Moon.");
  });

  it("takes the marks out of an uploaded document's text, Markdown or plain", async () => {
    for (const name of ["notes.md", "notes.txt"]) {
      const { text } = await extractDocumentText(name, Buffer.from(DOC));
      assert.doesNotMatch(text.replace("5 * 3", ""), MARKS, name);
      assert.ok(text.includes("Coffee was first found in Ethiopia"), name);
    }
  });

  it("gives the offline writer sentences without marks from a passage stored with them", () => {
    const sentences = splitSentences("## Tides\n\nThe **Moon** pulls the [sea](https://x.example) twice a day.\n- *Spring* tides are the highest ones");
    assert.deepEqual(sentences, ["The Moon pulls the sea twice a day.", "Spring tides are the highest ones."]);
  });
});
