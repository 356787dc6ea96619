// Reading provider answers: the size cap every body goes through, streamed or whole, and the
// error messages that are passed on from an API's own error body.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { errorMessageOf } from "../../../../server/providers/errors.ts";
import { cappedBody, readBody } from "../../../../server/providers/http.ts";

/** An answer as undici gives it: headers, and a body that arrives in chunks. */
function answer(chunks: number[], declared?: number) {
  let pulled = 0;
  // highWaterMark 0: the stream pulls a chunk only when it is read, so `pulled` counts reads.
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        const size = chunks[pulled++];
        if (size === undefined) controller.close();
        else controller.enqueue(new Uint8Array(size).fill(7));
      },
    },
    { highWaterMark: 0 },
  );
  const headers = new Headers(declared === undefined ? {} : { "content-length": String(declared) });
  return { response: { headers, body }, pulled: () => pulled };
}

describe("capped bodies", () => {
  test("a body within the cap is read whole", async () => {
    const { response } = answer([10, 20, 30], 60);
    assert.equal((await readBody("p", response, 60)).length, 60);
  });

  test("a declared length over the cap is refused before anything is read", async () => {
    const { response, pulled } = answer([10], 1000);
    await assert.rejects(readBody("p", response, 100), /p: the answer is 1000 bytes, more than the 100 allowed/);
    assert.equal(pulled(), 0);
  });

  test("an undeclared body stops at the cap, and the rest is never pulled", async () => {
    const { response, pulled } = answer([40, 40, 40, 40, 40, 40]);
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const chunk of cappedBody("p", response, 100, "the clip x:1")) seen.push(chunk.byteLength);
      })(),
      (e: Error & { kind?: string }) => e.kind === "malformed" && /the clip x:1 is more than the 100 bytes allowed/.test(e.message),
    );
    assert.deepEqual(seen, [40, 40], "the chunk that passes the cap is not passed on");
    assert.equal(pulled(), 3);
  });
});

describe("error messages", () => {
  test("Pixabay's one-line text errors are quoted; other text is only described", () => {
    assert.equal(errorMessageOf('[ERROR 400] "q" exceeds the maximum length of 100 characters.'), '"q" exceeds the maximum length of 100 characters.');
    assert.equal(errorMessageOf("[ERROR 429] Too many requests.\n"), "Too many requests.");
    assert.match(errorMessageOf("<html><body>[ERROR 400] x</body></html>"), /no error message in the API's format \(a \d+-byte answer, not shown\)/);
    assert.match(errorMessageOf("[ERROR 400] one\n<script>two</script>"), /not shown/);
  });
});
