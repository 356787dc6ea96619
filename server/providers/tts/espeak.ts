// Narration with espeak-ng, which runs offline, is always there and speaks every language Aura
// has (each brief voice names its espeak-ng voice). Text goes in on stdin (never as an
// argument, where a leading '-' would read as an option).
import { spawn } from "node:child_process";
import { NORMAL_WPM } from "./rate.ts";
import { VOICES, type Brief } from "../../videos/brief.ts";
import { ProviderError } from "../errors.ts";
import { speechFromWav, type Speech } from "./wav.ts";

export function runProcessForAudio(provider: string, binary: string, args: string[], input: string, signal?: AbortSignal) {
  return new Promise<Buffer>((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ["pipe", "pipe", "pipe"], signal });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.setEncoding("utf8").on("data", (c) => (stderr = (stderr + c).slice(-2000)));
    child.on("error", (err: NodeJS.ErrnoException) => {
      if (signal?.aborted) return reject(signal.reason ?? err);
      reject(new ProviderError(provider, err.code === "ENOENT" ? "config" : "transient", `${binary} could not run: ${err.code ?? err.message}`));
    });
    child.on("close", (code) => {
      if (code !== 0) return reject(new ProviderError(provider, "transient", `${binary} exited with ${code}: ${stderr.trim().slice(0, 300)}`));
      resolve(Buffer.concat(chunks));
    });
    child.stdin.on("error", () => {}); // a binary that exits early closes its stdin: its exit code tells
    child.stdin.end(`${input}\n`);
  });
}

/** The espeak-ng voice for a brief's voice (VOICES[].espeak). */
export function espeakVoiceFor(voice: string) {
  return VOICES.find((v) => v.id === voice)?.espeak ?? "en-us";
}

export async function synthesizeEspeak(text: string, voice: Brief["voice"], options: { binary: string; signal?: AbortSignal; rate?: number }): Promise<Speech> {
  const spec = espeakVoiceFor(voice);
  const wav = await runProcessForAudio(
    "espeak-ng",
    options.binary,
    ["-v", spec, "-s", String(Math.round(NORMAL_WPM * (options.rate ?? 1))), "--stdout"],
    text,
    options.signal,
  );
  return speechFromWav("espeak-ng", wav);
}
