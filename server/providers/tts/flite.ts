// Narration with flite, offline: its "rms" voice (American English, male) is far clearer than
// espeak-ng. The text goes in as a file (-f), never as an argument. Flite gives no word
// timings; the narration stage aligns its speech to the text instead.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ProviderError } from "../errors.ts";
import { runProcessForAudio } from "./espeak.ts";
import { NORMAL_WPM } from "./rate.ts";
import { speechFromWav, type Speech } from "./wav.ts";
import { withWorkDir } from "./work-dir.ts";

/** Flite voices that ship with it and their pace at duration_stretch 1 (words a minute, on
 *  the bench passages), so that rate 1 is NORMAL_WPM for each. */
export const FLITE_VOICES = { rms: 172, awb: 193, slt: 194 } as const;
export type FliteVoice = keyof typeof FLITE_VOICES;

export async function synthesizeFlite(text: string, voice: FliteVoice, options: { binary: string; signal?: AbortSignal; rate?: number }): Promise<Speech> {
  const stretch = FLITE_VOICES[voice] / (NORMAL_WPM * (options.rate ?? 1));
  return withWorkDir("flite", async (dir) => {
    const textFile = path.join(dir, "text.txt");
    const wavFile = path.join(dir, "speech.wav");
    await writeFile(textFile, text);
    await runProcessForAudio(
      "flite",
      options.binary,
      ["-voice", voice, "--setf", `duration_stretch=${stretch.toFixed(4)}`, "-f", textFile, "-o", wavFile],
      "",
      options.signal,
    );
    const wav = await readFile(wavFile).catch(() => {
      throw new ProviderError("flite", "transient", `flite wrote no audio for its voice ${voice}`);
    });
    return speechFromWav("flite", wav);
  });
}
