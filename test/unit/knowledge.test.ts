import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { chunkText } from "../../server/knowledge/chunk.ts";
import { cosine } from "../../server/knowledge/embed.ts";
import { DocumentError, extractDocumentText } from "../../server/knowledge/extract.ts";
import { makePdf } from "../helpers/pdf.ts";

describe("reference documents", () => {
  test("text comes out of PDF, Markdown and plain text; the type is read from the bytes", async () => {
    const pdf = await extractDocumentText("notes.txt", makePdf(["Apollo 11 landed on the Moon on July 20, 1969.", "Neil Armstrong stepped out first."]));
    assert.equal(pdf.mimeType, "application/pdf", "a PDF named .txt is still a PDF");
    assert.match(pdf.text, /July 20, 1969\. Neil Armstrong/);
    assert.equal((await extractDocumentText("a.md", Buffer.from("# Title\r\n\r\nText"))).mimeType, "text/markdown");
    assert.equal((await extractDocumentText("a.md", Buffer.from("# Title\r\n\r\nText"))).text, "# Title\n\nText");
  });

  test("binary, empty and unreadable files are refused by name", async () => {
    await assert.rejects(extractDocumentText("image.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0])), (e: Error) => e instanceof DocumentError && /image\.png: only text, Markdown and PDF/.test(e.message));
    await assert.rejects(extractDocumentText("empty.txt", Buffer.alloc(0)), /empty\.txt: the file is empty/);
    await assert.rejects(extractDocumentText("broken.pdf", Buffer.from("%PDF-1.4\nnot really a pdf")), /broken\.pdf: the PDF cannot be read/);
    await assert.rejects(extractDocumentText("blank.txt", Buffer.from("   \n\n  ")), /no text found/);
  });

  test("passages follow the document's structure, carry their heading and stay within size", () => {
    const paragraph = (n: number) => `Paragraph ${n} talks about bees and honey. `.repeat(8).trim();
    const text = `# Bees\n\n${paragraph(1)}\n\n${paragraph(2)}\n\n## Honey\n\n${paragraph(3)}\n\n${"A very long sentence without a stop ".repeat(80)}`;
    const chunks = chunkText(text, 600, 1000);
    assert.ok(chunks.length >= 4, String(chunks.length));
    assert.ok(chunks.every((c) => c.length <= 1000 + 20), chunks.map((c) => c.length).join(","));
    assert.ok(chunks[0]!.startsWith("Bees\nParagraph 1"));
    assert.ok(chunks.some((c) => c.startsWith("Honey\nParagraph 3")));
    assert.ok(!chunks.some((c) => c.includes("# ")), "heading markers are not passage text");
  });

  test("cosine similarity", () => {
    assert.equal(cosine([1, 0], [1, 0]), 1);
    assert.equal(cosine([1, 0], [0, 1]), 0);
    assert.equal(cosine([0, 0], [1, 1]), 0);
  });
});
