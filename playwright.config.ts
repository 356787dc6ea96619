// End-to-end tests in Debian's Chromium against the whole app on its embedded default
// (own PostgreSQL, built-in engine, render worker), started fresh in .data/e2e.
import { defineConfig } from "@playwright/test";

const port = Number(process.env.E2E_PORT ?? 3200);
export const fakeOpenAiPort = port + 1190;

export default defineConfig({
  testDir: "e2e",
  timeout: 180_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [["list"]] : [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    command: "rm -rf .data/e2e && node --import tsx scripts/launch.ts",
    url: `http://localhost:${port}/sign-in`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      AURA_DATA_DIR: ".data/e2e",
      PORT: String(port),
      RENDER_WORKER_PORT: String(port + 1000),
      EMBEDDED_PG_PORT: String(Number(process.env.E2E_PG_PORT ?? 54349)),
      AURA_QUIET_LOGS: "1",
      SIGNIN_MAX_FAILURES: "3",
      AURA_ADMIN_EMAIL: "admin@example.test",
      AURA_ADMIN_PASSWORD: "admin-password-e2e",
      // The OpenAI-compatible test server e2e/providers.spec.ts starts on this port.
      PROVIDER_PRIVATE_HOSTS: `127.0.0.1:${fakeOpenAiPort}`,
    },
  },
});
