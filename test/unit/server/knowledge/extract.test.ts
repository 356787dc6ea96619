import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { DocumentError, extractDocumentText, KNOWLEDGE_LIMITS, runningPdfReaders } from "../../../../server/knowledge/extract.ts";
import { makeInflatingPdf, makePdf, makePdfPages } from "../../../helpers/pdf.ts";

const DEFAULT_LIMITS = { ...KNOWLEDGE_LIMITS };
/** A PDF of `count` small pages, each saying its number. */
const pages = (count: number) => makePdfPages(Array.from({ length: count }, (_, i) => [`Page ${i + 1} says hello.`, "A second line of text."]));

afterEach(() => {
  Object.assign(KNOWLEDGE_LIMITS, DEFAULT_LIMITS);
});

describe("reference documents", () => {
  test("text comes out of PDF, Markdown and plain text; the type is read from the bytes", async () => {
    const pdf = await extractDocumentText("notes.txt", makePdf(["Apollo 11 landed on the Moon on July 20, 1969.", "Neil Armstrong stepped out first."]));
    assert.equal(pdf.mimeType, "application/pdf", "a PDF named .txt is still a PDF");
    assert.match(pdf.text, /July 20, 1969\. Neil Armstrong/);
    assert.equal((await extractDocumentText("a.md", Buffer.from("# Title\r\n\r\nText"))).mimeType, "text/markdown");
    assert.equal((await extractDocumentText("a.md", Buffer.from("# Title\r\n\r\nText"))).text, "Title.\n\nText", "plain sentences, without Markdown marks");
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

describe("a PDF is read within bounds", () => {
  test("a page bomb is refused by its page count before any page is read", async () => {
    const started = performance.now();
    await assert.rejects(
      extractDocumentText("bomb.pdf", pages(5000)),
      (e: Error) => e instanceof DocumentError && e.message === `bomb.pdf: the PDF has 5000 pages, more than the ${DEFAULT_LIMITS.maxPdfPages} allowed`,
    );
    // Reading its 5000 pages takes about 10 s here; counting them, well under.
    assert.ok(performance.now() - started < 5000, `refused after ${Math.round(performance.now() - started)} ms`);
  });

  test("once there is enough text, the remaining pages are not read and the beginning is kept", async () => {
    KNOWLEDGE_LIMITS.maxChars = 200;
    const long = await extractDocumentText("long.pdf", pages(50));
    assert.deepEqual(long.pages?.total, 50);
    assert.ok(long.pages!.read < 10, `read ${long.pages!.read} of 50 pages for 200 characters`);
    assert.equal(long.truncated, true);
    assert.equal(long.text.length, 200);
    assert.match(long.text, /^Page 1 says hello\. A second line of text\. Page 2 says hello\./);
    const short = await extractDocumentText("short.pdf", pages(2));
    assert.deepEqual([short.pages, short.truncated], [{ total: 2, read: 2 }, false]);
  });

  test("a PDF that takes too long to read is stopped and refused", async () => {
    KNOWLEDGE_LIMITS.maxPdfPages = 10_000;
    KNOWLEDGE_LIMITS.pdfTimeoutSec = 0.5;
    const started = performance.now();
    await assert.rejects(
      extractDocumentText("slow.pdf", pages(5000)),
      (e: Error) => e instanceof DocumentError && e.message === "slow.pdf: the PDF took longer than 0.5 s to read",
    );
    assert.ok(performance.now() - started < 3000, `stopped after ${Math.round(performance.now() - started)} ms`);
    assert.equal(runningPdfReaders(), 0, "its reader has ended");
  });

  test("a PDF that needs more memory than its reader may have is refused; this process carries on", async () => {
    // 256 KB that pdf.js inflates to 256 MB, outside any JavaScript heap limit.
    const bomb = makeInflatingPdf(["Hello from the bomb."], 256 * 1024 * 1024);
    assert.ok(bomb.length < 512 * 1024);
    KNOWLEDGE_LIMITS.pdfMemoryMb = 128;
    await assert.rejects(
      extractDocumentText("bomb.pdf", bomb),
      (e: Error) => e instanceof DocumentError && e.message === "bomb.pdf: the PDF needs more than 128 MB of memory to read",
    );
    assert.equal(runningPdfReaders(), 0);
    assert.match((await extractDocumentText("light.pdf", pages(3))).text, /Page 3 says hello/);
  });

  test("a cancelled upload stops its PDF being read", async () => {
    KNOWLEDGE_LIMITS.maxPdfPages = 10_000;
    const controller = new AbortController();
    const reading = extractDocumentText("cancelled.pdf", pages(5000), controller.signal);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(runningPdfReaders(), 1);
    const started = performance.now();
    controller.abort();
    await assert.rejects(reading, { name: "AbortError" });
    assert.ok(performance.now() - started < 1000, `stopped after ${Math.round(performance.now() - started)} ms`);
    assert.equal(runningPdfReaders(), 0, "its reader has ended");
    await assert.rejects(extractDocumentText("late.pdf", pages(1), controller.signal), { name: "AbortError" });
  });
});
