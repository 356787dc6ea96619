// Text out of an uploaded reference document. The type is decided by the bytes (a PDF
// starts with "%PDF-"), not by the name; anything else must be UTF-8 text without NUL bytes.
import { extractText, getDocumentProxy } from "unpdf";
import { BadRequestError } from "../lib/errors.ts";

export const KNOWLEDGE_LIMITS = { maxBytes: 10 * 1024 * 1024, maxChars: 2_000_000 };

/** The document cannot be used; the message names the file and says why. */
export class DocumentError extends BadRequestError {}

export type Extracted = { text: string; mimeType: "application/pdf" | "text/markdown" | "text/plain" };

export async function extractDocumentText(name: string, bytes: Buffer): Promise<Extracted> {
  if (!bytes.length) throw new DocumentError(`${name}: the file is empty`);
  if (bytes.length > KNOWLEDGE_LIMITS.maxBytes) throw new DocumentError(`${name}: the file is larger than ${KNOWLEDGE_LIMITS.maxBytes / 1024 / 1024} MB`);
  let extracted: Extracted;
  if (bytes.subarray(0, 5).toString("latin1") === "%PDF-") {
    try {
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
      const { text } = await extractText(pdf, { mergePages: true });
      extracted = { text: String(text), mimeType: "application/pdf" };
    } catch (error) {
      throw new DocumentError(`${name}: the PDF cannot be read (${(error as Error).message})`);
    }
  } else {
    if (bytes.includes(0)) throw new DocumentError(`${name}: only text, Markdown and PDF files can be used`);
    const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
    if ((text.match(/\uFFFD/g)?.length ?? 0) > text.length / 100) throw new DocumentError(`${name}: the file is not UTF-8 text`);
    extracted = { text, mimeType: /\.(md|markdown)$/i.test(name) ? "text/markdown" : "text/plain" };
  }
  const text = extracted.text
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+\n/g, "\n")
    .trim();
  if (!text) throw new DocumentError(`${name}: no text found (a scanned PDF has none)`);
  return { ...extracted, text: text.slice(0, KNOWLEDGE_LIMITS.maxChars) };
}
