// A media library upload's bytes, streamed from the request body into a temporary file with
// the bytes counted as they arrive (lib/capped-stream.ts): a body past its kind's limit is
// stopped there and its partial file removed, whatever its Content-Length said. The SHA-256 is
// computed on the way.
import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { capStream } from "../lib/capped-stream.ts";

export type ReceivedFile = { dir: string; file: string; bytes: number; sha256: string; remove: () => Promise<void> };

/** Writes the body to a new temporary folder; `tooLarge()` is thrown once more than `cap`
 *  bytes have come. Nothing is left behind when it throws. */
export async function receiveToTempFile(body: ReadableStream<Uint8Array>, cap: number, tooLarge: () => Error, signal?: AbortSignal): Promise<ReceivedFile> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "aura-library-"));
  const remove = () => rm(dir, { recursive: true, force: true });
  const file = path.join(dir, "upload");
  const hash = createHash("sha256");
  let bytes = 0;
  let overCap = false;
  const capped = capStream(body, cap, () => {
    overCap = true;
    return tooLarge();
  });
  try {
    await pipeline(
      Readable.fromWeb(capped as NodeReadableStream<Uint8Array>),
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytes += chunk.length;
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      createWriteStream(file),
      { signal },
    );
  } catch (error) {
    await remove();
    throw overCap ? tooLarge() : error;
  }
  return { dir, file, bytes, sha256: hash.digest("hex"), remove };
}
