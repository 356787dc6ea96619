import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chunkText } from "../../../../server/knowledge/chunk.ts";

describe("reference documents", () => {
  test("passages follow the document's structure, carry their heading and stay within size", () => {
    const paragraph = (n: number) => `Paragraph ${n} talks about bees and honey. `.repeat(8).trim();
    const text = `# Bees\n\n${paragraph(1)}\n\n${paragraph(2)}\n\n## Honey\n\n${paragraph(3)}\n\n${"A very long sentence without a stop ".repeat(80)}`;
    const chunks = chunkText(text, 600, 1000);
    assert.ok(chunks.length >= 4, String(chunks.length));
    assert.ok(
      chunks.every((c) => c.length <= 1000 + 20),
      chunks.map((c) => c.length).join(","),
    );
    assert.ok(chunks[0]!.startsWith("Bees\nParagraph 1"));
    assert.ok(chunks.some((c) => c.startsWith("Honey\nParagraph 3")));
    assert.ok(!chunks.some((c) => c.includes("# ")), "heading markers are not passage text");
  });
});
