// Text out of an uploaded reference document. The type is decided by the bytes (a PDF
// starts with "%PDF-"), not by the name; anything else must be UTF-8 text without NUL bytes,
// and is kept as plain sentences without its Markdown marks (text/markdown.ts).
// A PDF is read by unpdf in a child process (pdf-reader.mjs) with bounds on its pages, time,
// memory and text, so a hostile PDF costs the web process nothing but the wait.
import { fork } from "node:child_process";
import { readFileSync } from "node:fs";
import { BadRequestError } from "../lib/errors.ts";
import { describeBytes } from "../lib/bytes.ts";
import { markdownToPlainText } from "../text/markdown.ts";

/** The bounds on one document; tests lower them. */
export const KNOWLEDGE_LIMITS = {
  /** The largest file; the upload around it may be `uploadOverheadBytes` larger (multipart framing). */
  maxBytes: 10 * 1024 * 1024,
  uploadOverheadBytes: 64 * 1024,
  /** Text kept from one document. A longer one keeps its beginning: the pages of a PDF after
   *  this much text are not read, and the rest of a text file is dropped. */
  maxChars: 2_000_000,
  /** A PDF with more pages is refused before any page is read. About what maxChars holds of dense text. */
  maxPdfPages: 1000,
  /** Reading a PDF longer than this is stopped and refused. */
  pdfTimeoutSec: 30,
  /** The memory of the process that reads a PDF (its JavaScript heap and, on Linux, all it holds); reaching it refuses the PDF. */
  pdfMemoryMb: 512,
};

/** The document cannot be used; the message names the file and says why. */
export class DocumentError extends BadRequestError {}

export type Extracted = {
  text: string;
  mimeType: "application/pdf" | "text/markdown" | "text/plain";
  /** The text was cut at KNOWLEDGE_LIMITS.maxChars. */
  truncated: boolean;
  /** A PDF's page count and how many pages were read (fewer once maxChars was reached). */
  pages?: { total: number; read: number };
};

/** A size for people: "10 MB", "64 KB", "900 bytes". */

/** The document's text; `signal` (the upload's client going away) stops a PDF being read. */
export async function extractDocumentText(name: string, bytes: Buffer, signal?: AbortSignal): Promise<Extracted> {
  if (!bytes.length) throw new DocumentError(`${name}: the file is empty`);
  if (bytes.length > KNOWLEDGE_LIMITS.maxBytes) throw new DocumentError(`${name}: the file is larger than ${describeBytes(KNOWLEDGE_LIMITS.maxBytes)}`);
  let extracted: Omit<Extracted, "truncated">;
  if (bytes.subarray(0, 5).toString("latin1") === "%PDF-") {
    const read = await readPdf(name, bytes, signal);
    extracted = { text: read.text, mimeType: "application/pdf", pages: { total: read.pages, read: read.pagesRead } };
  } else {
    if (bytes.includes(0)) throw new DocumentError(`${name}: only text, Markdown and PDF files can be used`);
    const text = new TextDecoder("utf-8", { fatal: false }).decode(bytes);
    if ((text.match(/\uFFFD/g)?.length ?? 0) > text.length / 100) throw new DocumentError(`${name}: the file is not UTF-8 text`);
    extracted = { text, mimeType: /\.(md|markdown)$/i.test(name) ? "text/markdown" : "text/plain" };
  }
  // A text file's Markdown marks go here, once: the writers, the captions and the picture then
  // only ever see plain sentences (a PDF's text has none).
  const plain = extracted.mimeType === "application/pdf" ? extracted.text : markdownToPlainText(extracted.text.replace(/\r\n?/g, "\n"));
  const text = plain
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t]+\n/g, "\n")
    .trim();
  if (!text) throw new DocumentError(`${name}: no text found (a scanned PDF has none)`);
  return { ...extracted, text: text.slice(0, KNOWLEDGE_LIMITS.maxChars), truncated: text.length > KNOWLEDGE_LIMITS.maxChars };
}

let readersRunning = 0;

/** How many PDF readers (child processes) are running now; a stopped or cancelled one has ended. */
export function runningPdfReaders() {
  return readersRunning;
}

/** What pdf-reader.mjs answers. */
type PdfAnswer = { tooManyPages: number } | { error: string } | { text: string; pages: number; pagesRead: number };
type PdfText = Extract<PdfAnswer, { text: string }>;

/** The resident memory of a process in MB, where the system says (Linux); null elsewhere. */
function residentMb(pid: number) {
  try {
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Reads a PDF in a child process (pdf-reader.mjs) that is killed when it answers, takes
 * longer than pdfTimeoutSec, holds more than pdfMemoryMb, or `signal` aborts (this then
 * rejects with the signal's reason). Every bound reached is a DocumentError naming the file
 * and the bound. A process rather than a worker thread: a worker's resourceLimits bound its
 * JavaScript heap only, while pdf.js decodes streams into ArrayBuffers outside it (a 1 MB
 * PDF can inflate to gigabytes), which in a thread would be the web process's memory.
 */
function readPdf(name: string, bytes: Buffer, signal?: AbortSignal) {
  signal?.throwIfAborted();
  const { maxPdfPages, maxChars, pdfTimeoutSec, pdfMemoryMb } = KNOWLEDGE_LIMITS;
  const child = fork(new URL("./pdf-reader.mjs", import.meta.url), [], {
    // The reader is plain JavaScript: the parent's flags and loaders (tsx) are not needed there.
    execArgv: [`--max-old-space-size=${pdfMemoryMb}`],
    serialization: "advanced",
    stdio: ["ignore", "ignore", "pipe", "ipc"],
  });
  readersRunning++;
  // What it says before dying, to tell a heap out of memory from a crash.
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    if (stderr.length < 16_384) stderr += chunk.toString("utf8");
  });
  const tooBig = () => new DocumentError(`${name}: the PDF needs more than ${pdfMemoryMb} MB of memory to read`);
  return new Promise<PdfText>((resolve, reject) => {
    let outcome: { error: unknown } | { answer: PdfText } | undefined;
    /** The outcome is known: the process is killed, and the promise settles once it has gone. */
    const decide = (result: NonNullable<typeof outcome>) => {
      if (outcome) return;
      outcome = result;
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    };
    const onAbort = () => decide({ error: signal?.reason });
    signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => decide({ error: new DocumentError(`${name}: the PDF took longer than ${pdfTimeoutSec} s to read`) }), pdfTimeoutSec * 1000);
    const watch = setInterval(() => {
      if (child.pid && (residentMb(child.pid) ?? 0) > pdfMemoryMb) decide({ error: tooBig() });
    }, 50);
    let ended = false;
    /** The process has gone (or never started): settle, with `fallback` when nothing was decided. */
    const end = (fallback: () => unknown) => {
      if (ended) return;
      ended = true;
      readersRunning--;
      clearTimeout(timer);
      clearInterval(watch);
      signal?.removeEventListener("abort", onAbort);
      outcome ??= { error: fallback() };
      if ("answer" in outcome) resolve(outcome.answer);
      else reject(outcome.error);
    };
    child.once("exit", (code, exitSignal) =>
      end(() => {
        // A heap out of memory says so on stderr; a SIGKILL we did not send is the system's out-of-memory killer.
        if (/out of memory/i.test(stderr) || exitSignal === "SIGKILL") return tooBig();
        // Anything else is no fault of the PDF (the reader answers its errors): an internal error, logged.
        return new Error(`the PDF reader stopped with ${exitSignal ?? `code ${code}`}: ${stderr.trim().slice(-1000)}`);
      }),
    );
    // No process was started (then no exit follows), or a message could not be sent to it.
    child.once("error", (error) => (child.pid === undefined ? end(() => error) : decide({ error })));
    child.once("message", (answer: PdfAnswer) => {
      if ("tooManyPages" in answer) {
        decide({ error: new DocumentError(`${name}: the PDF has ${answer.tooManyPages} pages, more than the ${maxPdfPages} allowed`) });
      } else if ("error" in answer) {
        decide({ error: new DocumentError(`${name}: the PDF cannot be read (${answer.error})`) });
      } else {
        decide({ answer });
      }
    });
    child.send({ bytes: new Uint8Array(bytes), maxPages: maxPdfPages, maxChars });
  });
}
