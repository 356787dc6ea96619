import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { capStream, declaredLength } from "../../../../server/lib/capped-stream.ts";

/** A body of `chunks` chunks of 1 KB, counting what was pulled and whether it was cancelled. */
function body(chunks: number) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === chunks) return controller.close();
      seen.pulled++;
      controller.enqueue(new Uint8Array(1024));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

describe("a capped body", () => {
  test("passes a body within its cap whole", async () => {
    const { stream } = body(4);
    assert.equal((await new Response(capStream(stream, 4096, () => new Error("too large"))).arrayBuffer()).byteLength, 4096);
  });

  test("errors once past its cap and stops reading the body", async () => {
    const { stream, seen } = body(10_000);
    await assert.rejects(new Response(capStream(stream, 4096, () => new Error("too large"))).arrayBuffer(), /too large/);
    assert.ok(seen.cancelled);
    assert.ok(seen.pulled < 20, `pulled ${seen.pulled} chunks`);
  });

  test("a declared length is read only when it is a number", () => {
    const request = (length?: string) => new Request("http://aura.test/", { method: "POST", body: "x", headers: length ? { "content-length": length } : {} });
    assert.equal(declaredLength(request("12")), 12);
    assert.equal(declaredLength(new Request("http://aura.test/")), null);
  });
});
