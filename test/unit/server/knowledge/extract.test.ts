import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DocumentError, extractDocumentText } from "../../../../server/knowledge/extract.ts";
import { makePdf } from "../../../helpers/pdf.ts";

describe("reference documents", () => {
  test("text comes out of PDF, Markdown and plain text; the type is read from the bytes", async () => {
    const pdf = await extractDocumentText("notes.txt", makePdf(["Apollo 11 landed on the Moon on July 20, 1969.", "Neil Armstrong stepped out first."]));
    assert.equal(pdf.mimeType, "application/pdf", "a PDF named .txt is still a PDF");
    assert.match(pdf.text, /July 20, 1969\. Neil Armstrong/);
    assert.equal((await extractDocumentText("a.md", Buffer.from("# Title\r\n\r\nText"))).mimeType, "text/markdown");
    assert.equal((await extractDocumentText("a.md", Buffer.from("# Title\r\n\r\nText"))).text, "# Title\n\nText");
  });

  test("binary, empty and unreadable files are refused by name", async () => {
    await assert.rejects(
      extractDocumentText("image.png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0])),
      (e: Error) => e instanceof DocumentError && /image\.png: only text, Markdown and PDF/.test(e.message),
    );
    await assert.rejects(extractDocumentText("empty.txt", Buffer.alloc(0)), /empty\.txt: the file is empty/);
    await assert.rejects(extractDocumentText("broken.pdf", Buffer.from("%PDF-1.4\nnot really a pdf")), /broken\.pdf: the PDF cannot be read/);
    await assert.rejects(extractDocumentText("blank.txt", Buffer.from("   \n\n  ")), /no text found/);
  });
});
