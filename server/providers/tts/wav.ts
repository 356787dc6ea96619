// WAV helpers for speech: every voice provider hands back a PCM WAV whose real duration is
// measured from its header, never estimated from the text.
import { ProviderError } from "../errors.ts";

/** Duration of a PCM WAV file from its header. */
export function wavDurationSec(wav: Buffer, provider = "tts") {
  if (wav.length < 44 || wav.toString("ascii", 0, 4) !== "RIFF" || wav.toString("ascii", 8, 12) !== "WAVE") {
    throw new ProviderError(provider, "malformed", "the audio is not a WAV file");
  }
  let offset = 12;
  let byteRate = 0;
  while (offset + 8 <= wav.length) {
    const id = wav.toString("ascii", offset, offset + 4);
    let size = wav.readUInt32LE(offset + 4);
    if (id === "fmt ") byteRate = wav.readUInt32LE(offset + 16);
    if (id === "data") {
      // Streamed WAVs (espeak-ng to a pipe, OpenAI) cannot seek back to fill in the size: 0 or 0xFFFFFFFF.
      if (size === 0 || size === 0xffffffff || offset + 8 + size > wav.length) size = wav.length - offset - 8;
      if (!byteRate) throw new ProviderError(provider, "malformed", "the WAV has no format chunk");
      return size / byteRate;
    }
    offset += 8 + size + (size % 2);
  }
  throw new ProviderError(provider, "malformed", "the WAV has no data chunk");
}

/** Raw 16-bit little-endian PCM in a WAV container. */
export function pcmToWav(pcm: Buffer, sampleRate: number, channels = 1) {
  const header = Buffer.alloc(44);
  header.write("RIFF", 0, "ascii");
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write("WAVE", 8, "ascii");
  header.write("fmt ", 12, "ascii");
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(sampleRate, 24);
  header.writeUInt32LE(sampleRate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write("data", 36, "ascii");
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

export type WordTiming = { word: string; startSec: number; endSec: number };
export type Speech = { wav: Buffer; durationSec: number; words?: WordTiming[] };

/** Checks a provider's audio and measures it. Silence-only or empty audio is malformed. */
export function speechFromWav(provider: string, wav: Buffer, words?: WordTiming[]): Speech {
  const durationSec = wavDurationSec(wav, provider);
  if (durationSec < 0.05) throw new ProviderError(provider, "malformed", "the audio is empty");
  return { wav, durationSec, ...(words?.length ? { words } : {}) };
}
