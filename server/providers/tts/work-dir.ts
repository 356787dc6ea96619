// A private temporary folder for one synthesis: the voices that read text from a file or
// write audio to one (festival, flite) get it, and it is removed however the call ends.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export async function withWorkDir<T>(prefix: string, fn: (dir: string) => Promise<T>) {
  const dir = await mkdtemp(path.join(tmpdir(), `aura-${prefix}-`));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
