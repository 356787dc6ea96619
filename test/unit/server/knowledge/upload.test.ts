import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { KNOWLEDGE_LIMITS } from "../../../../server/knowledge/extract.ts";
import { readUploadedFile } from "../../../../server/knowledge/upload.ts";
import { AppError } from "../../../../server/lib/errors.ts";

const DEFAULT_LIMITS = { ...KNOWLEDGE_LIMITS };
const CHUNK = 64 * 1024;

afterEach(() => {
  Object.assign(KNOWLEDGE_LIMITS, DEFAULT_LIMITS);
});

/** A chunked upload (no Content-Length) of a file of `size` bytes that counts what was pulled from it. */
function chunkedUpload(size: number) {
  const seen = { pulled: 0, cancelled: false };
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode('--b\r\ncontent-disposition: form-data; name="file"; filename="big.txt"\r\ncontent-type: text/plain\r\n\r\n'));
    },
    pull(controller) {
      const n = Math.min(CHUNK, size - seen.pulled);
      if (n <= 0) {
        controller.enqueue(encoder.encode("\r\n--b--\r\n"));
        return controller.close();
      }
      seen.pulled += n;
      controller.enqueue(new Uint8Array(n).fill(0x61));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  const request = new Request("http://aura.test/api/knowledge", {
    method: "POST",
    body,
    duplex: "half",
    headers: { "content-type": "multipart/form-data; boundary=b" },
  } as RequestInit);
  return { request, seen };
}

const tooLarge = (limit: string) => (e: Error) =>
  e instanceof AppError && e.code === "PAYLOAD_TOO_LARGE" && e.message === `file: larger than the ${limit} limit`;

describe("knowledge uploads", () => {
  test("a chunked upload over the limit is refused as soon as the limit has arrived, whatever its size", async () => {
    const { request, seen } = chunkedUpload(200 * 1024 * 1024);
    assert.equal(request.headers.get("content-length"), null);
    await assert.rejects(readUploadedFile(request), tooLarge("10 MB"));
    const cap = KNOWLEDGE_LIMITS.maxBytes + KNOWLEDGE_LIMITS.uploadOverheadBytes;
    assert.ok(seen.pulled <= cap + 4 * CHUNK, `read ${seen.pulled} bytes of 200 MB for a cap of ${cap}`);
    assert.equal(seen.cancelled, true, "the rest of the body is not read");
  });

  test("the limit can be lowered; a file within it comes through whole", async () => {
    KNOWLEDGE_LIMITS.maxBytes = 100 * 1024;
    KNOWLEDGE_LIMITS.uploadOverheadBytes = 1024;
    const over = chunkedUpload(200 * 1024);
    await assert.rejects(readUploadedFile(over.request), tooLarge("100 KB"));
    assert.ok(over.seen.pulled <= 101 * 1024 + 4 * CHUNK, `read ${over.seen.pulled} bytes`);
    const within = chunkedUpload(90 * 1024);
    const file = await readUploadedFile(within.request);
    assert.deepEqual([file.name, file.size], ["big.txt", 90 * 1024]);
  });

  test("a declared Content-Length over the limit is refused before reading; other bodies are named", async () => {
    const declared = new Request("http://aura.test/api/knowledge", {
      method: "POST",
      body: "x",
      headers: { "content-type": "multipart/form-data; boundary=b", "content-length": String(50 * 1024 * 1024) },
    });
    await assert.rejects(readUploadedFile(declared), tooLarge("10 MB"));
    assert.equal(declared.bodyUsed, false);
    await assert.rejects(
      readUploadedFile(new Request("http://aura.test/", { method: "POST", body: "{}", headers: { "content-type": "application/json" } })),
      /file: send the document as multipart\/form-data in a field named file/,
    );
    const form = new FormData();
    form.append("note", "no file here");
    await assert.rejects(readUploadedFile(new Request("http://aura.test/", { method: "POST", body: form })), /file: no file was sent/);
  });
});
