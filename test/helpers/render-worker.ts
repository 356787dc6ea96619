// Starts the real render worker as its own process, as the app does.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

export async function startRenderWorker(env: { storageDir: string; secret: string; tmpDir: string; port?: number }) {
  const port = env.port ?? (await freePort());
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(root, "render-worker/src/main.ts")], {
    // Its own segment cache, so that no test finds another run's segments already rendered.
    env: {
      ...process.env,
      RENDER_WORKER_PORT: String(port),
      RENDER_WORKER_SECRET: env.secret,
      STORAGE_DIR: env.storageDir,
      RENDER_TMP_DIR: env.tmpDir,
      RENDER_CACHE_DIR: `${env.tmpDir}-cache`,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {}
    if (child.exitCode !== null) throw new Error(`render worker exited: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
    },
  };
}
