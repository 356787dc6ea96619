// Reads a PDF's text with unpdf in a child process that server/knowledge/extract.ts starts
// with memory and time limits and kills when the upload is cancelled. Plain JavaScript so
// that it runs as it is under tsx (tests) and after `next build`, which copies it to
// .next/server/assets (it then imports unpdf from the app's node_modules).
// It gets { bytes, maxPages, maxChars } and answers one message: { tooManyPages } when the
// PDF has more than maxPages (no page is read), { error } when it cannot be read, or
// { text, pages, pagesRead } once its pages are read or maxChars characters have come out.
import { getDocumentProxy } from "unpdf";

async function readText({ bytes, maxPages, maxChars }) {
  // Errors only: pdf.js warnings about odd but readable files would go to the app log.
  const pdf = await getDocumentProxy(bytes, { verbosity: 0 });
  if (pdf.numPages > maxPages) return { tooManyPages: pdf.numPages };
  // Page by page, not all at once (unpdf's extractText): a page's objects are released
  // before the next is read, and reading stops once there is enough text.
  const texts = [];
  let chars = 0;
  for (let number = 1; number <= pdf.numPages && chars < maxChars; number++) {
    const page = await pdf.getPage(number);
    const content = await page.getTextContent();
    // As unpdf's extractText reads a page.
    const text = content.items
      .filter((item) => item.str != null)
      .map((item) => item.str + (item.hasEOL ? "\n" : ""))
      .join("");
    page.cleanup();
    texts.push(text);
    chars += text.length;
  }
  return { text: texts.join("\n").replace(/\s+/g, " "), pages: pdf.numPages, pagesRead: texts.length };
}

// The app has gone: nobody wants the answer.
process.once("disconnect", () => process.exit(1));
process.once("message", (request) => {
  readText(request).then(
    (answer) => process.send(answer, () => process.exit(0)),
    (error) => process.send({ error: error instanceof Error ? error.message : String(error) }, () => process.exit(0)),
  );
});
