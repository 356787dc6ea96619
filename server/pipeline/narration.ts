// Narration with espeak-ng, which runs offline. Text goes in on stdin (never as an argument,
// where a leading '-' would read as an option); the WAV's real duration is measured from
// its header.
import { spawn } from "node:child_process";
import { VOICES, type Brief } from "../videos/brief.ts";
import { NARRATION_WPM } from "./pacing.ts";
import { makeSpeakable } from "./speakable.ts";

export class NarrationError extends Error {
  readonly provider = "espeak-ng";
}

/** Duration of a PCM WAV file from its header. */
export function wavDurationSec(wav: Buffer) {
  if (wav.length < 44 || wav.toString("ascii", 0, 4) !== "RIFF" || wav.toString("ascii", 8, 12) !== "WAVE") {
    throw new NarrationError("espeak-ng did not produce a WAV file");
  }
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= wav.length) {
    const id = wav.toString("ascii", offset, offset + 4);
    let size = wav.readUInt32LE(offset + 4);
    if (id === "fmt ") byteRate = wav.readUInt32LE(offset + 16);
    if (id === "data") {
      // espeak-ng writes to a pipe and cannot seek back to fill in the size: it leaves 0 or 0xFFFFFFFF.
      if (size === 0 || size === 0xffffffff || offset + 8 + size > wav.length) size = wav.length - offset - 8;
      if (!byteRate) throw new NarrationError("WAV has no format chunk");
      return size / byteRate;
    }
    offset += 8 + size + (size % 2);
  }
  throw new NarrationError("WAV has no data chunk");
}

export function synthesizeWithEspeak(text: string, voice: Brief["voice"], options: { binary?: string; signal?: AbortSignal } = {}) {
  const spec = VOICES.find((v) => v.id === voice)?.espeak ?? "en-us";
  const speakable = makeSpeakable(text);
  if (!speakable) throw new NarrationError("the narration has no speakable words");
  return new Promise<{ wav: Buffer; durationSec: number; text: string }>((resolve, reject) => {
    const child = spawn(options.binary ?? "espeak-ng", ["-v", spec, "-s", String(NARRATION_WPM), "--stdout"], {
      stdio: ["pipe", "pipe", "pipe"],
      signal: options.signal,
    });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.setEncoding("utf8").on("data", (c) => (stderr += c));
    child.on("error", (err) => reject(new NarrationError(`espeak-ng could not run: ${err.message}`)));
    child.on("close", (code) => {
      if (code !== 0) return reject(new NarrationError(`espeak-ng exited with ${code}: ${stderr.trim().slice(0, 300)}`));
      try {
        const wav = Buffer.concat(chunks);
        resolve({ wav, durationSec: wavDurationSec(wav), text: speakable });
      } catch (error) {
        reject(error);
      }
    });
    child.stdin.end(speakable + "\n");
  });
}
