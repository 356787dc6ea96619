// Bad settings stop the app and the render worker at start-up, naming each variable.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, test } from "node:test";

const root = path.resolve(import.meta.dirname, "../../..");
const run = (script: string, env: Record<string, string>) =>
  spawnSync(process.execPath, ["--import", "tsx", path.join(root, script)], {
    cwd: root,
    env: { PATH: process.env.PATH!, NODE_ENV: "test", ...env },
    encoding: "utf8",
    timeout: 30_000,
  });

describe("configuration", () => {
  test("the launcher refuses invalid settings and names them", () => {
    const r = run("scripts/launch.ts", {
      DATABASE_URL: "mysql://db/aura",
      AUTH_SECRET: "short",
      RENDER_WORKER_SECRET: "x",
      RENDER_WORKER_URL: "not a url",
      TRUSTED_PROXIES: "10.0.0.0/8, proxy.internal, 10.0.0.0/33",
      AURA_DATA_DIR: path.join(root, ".data/config-test"),
    });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Aura's configuration is incomplete:/);
    assert.match(r.stderr, /DATABASE_URL: DATABASE_URL must be a postgresql:\/\/ URL/);
    assert.match(r.stderr, /AUTH_SECRET: AUTH_SECRET must be at least 32 characters/);
    assert.match(r.stderr, /RENDER_WORKER_SECRET: RENDER_WORKER_SECRET must be at least 16 characters/);
    assert.match(r.stderr, /RENDER_WORKER_URL: RENDER_WORKER_URL must be a URL/);
    assert.match(r.stderr, /TRUSTED_PROXIES: "proxy\.internal" is not an IP address or CIDR range/);
    assert.match(r.stderr, /TRUSTED_PROXIES: "10\.0\.0\.0\/33" is not an IP address or CIDR range/);
  });

  test("the render worker refuses to start without its secret and storage", () => {
    const r = run("render-worker/src/main.ts", {});
    assert.equal(r.status, 1);
    assert.match(r.stderr, /render-worker: RENDER_WORKER_SECRET: /);
    assert.match(r.stderr, /render-worker: STORAGE_DIR: /);
  });
});
