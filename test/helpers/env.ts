// Sets the environment the server code reads, before anything calls getEnv().
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export function setTestEnv(overrides: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "aura-test-"));
  const env = {
    NODE_ENV: "test",
    AUTH_SECRET: "test-secret-test-secret-test-secret-0123",
    RENDER_WORKER_SECRET: "render-secret-0123456789",
    AURA_DATA_DIR: dir,
    STORAGE_DIR: path.join(dir, "storage"),
    AURA_QUIET_LOGS: "1",
    ...overrides,
  };
  Object.assign(process.env, env);
  return { ...env, dir };
}
