// Runs a built image as a container with buildah (chroot isolation, the host's network):
// its own user, environment, working folder, command and healthcheck, as Docker would.
// scripts/check-images.sh builds the images; no Docker engine runs on these machines.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";

process.env.STORAGE_DRIVER ??= "vfs";
process.env.BUILDAH_ISOLATION ??= "chroot";

type ImageConfig = { Env: string[]; Cmd: string[]; Healthcheck?: { Test: string[] } };

function buildah(args: string[]) {
  const result = spawnSync("buildah", args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`buildah ${args[0]} failed: ${result.stderr.trim()}`);
  return result.stdout;
}

export function imageConfig(image: string): ImageConfig {
  return JSON.parse(buildah(["inspect", "--type", "image", image])).Docker.config;
}

/** The image's ENV, as an object. */
export function imageEnv(image: string): Record<string, string> {
  return Object.fromEntries(imageConfig(image).Env.map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
}

export function startContainer(image: string, options: { env: Record<string, string>; volumes: Record<string, string> }) {
  const config = imageConfig(image);
  const name = `aura-check-${randomBytes(4).toString("hex")}`;
  buildah(["from", "--name", name, image]);
  buildah(["config", ...Object.entries(options.env).flatMap(([k, v]) => ["--env", `${k}=${v}`]), name]);
  const mounts = Object.entries(options.volumes).flatMap(([host, inside]) => ["-v", `${host}:${inside}`]);
  const child: ChildProcess = spawn("buildah", ["run", ...mounts, name, "--", ...config.Cmd], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (c) => (output += c));
  child.stderr!.on("data", (c) => (output += c));
  /** A command in the running container's image, as its user, with its environment. */
  const exec = (command: string[]) => spawnSync("buildah", ["run", ...mounts, name, "--", ...command], { encoding: "utf8" });
  return {
    output: () => output,
    exec,
    /** The image's HEALTHCHECK command, run in the container: true when it exits 0. */
    healthy() {
      const test = config.Healthcheck?.Test;
      if (test?.[0] !== "CMD") throw new Error(`${image} has no exec-form HEALTHCHECK`);
      return exec(test.slice(1)).status === 0;
    },
    async waitHealthy(timeoutMs: number) {
      const until = Date.now() + timeoutMs;
      while (Date.now() < until) {
        if (child.exitCode !== null) throw new Error(`${image} exited: ${output}`);
        if (this.healthy()) return;
        await new Promise((r) => setTimeout(r, 1000));
      }
      throw new Error(`${image} not healthy after ${timeoutMs} ms: ${output}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill("SIGTERM");
        await new Promise((r) => child.once("exit", r));
      }
      spawnSync("buildah", ["rm", name]);
    },
  };
}
