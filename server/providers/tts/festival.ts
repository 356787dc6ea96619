// Narration with festival and the HTS voice cmu_us_slt_arctic_hts (American English, female),
// the clearest offline voice here. Festival runs a Scheme script; the text never goes into it:
// the script reads the text from a file beside it, so quotes, brackets or a leading dash in
// the narration are only ever words to say. Festival reports when it said each word, so its
// speech carries its own word timings.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { ProviderError } from "../errors.ts";
import { runProcessForAudio } from "./espeak.ts";
import { NORMAL_WPM } from "./rate.ts";
import { speechFromWav, type Speech, type WordTiming } from "./wav.ts";
import { withWorkDir } from "./work-dir.ts";

export const FESTIVAL_VOICE = "cmu_us_slt_arctic_hts";
/** The voice's own pace at HTS speed 1 on the bench passages (words a minute), so that rate 1
 *  is NORMAL_WPM like every other voice. */
const FESTIVAL_WPM = 186;
const WORD_LINE = "AURA-WORD";

/** The script festival runs. Only paths Aura made itself go into it, and the speed is a number. */
export function festivalScript(textFile: string, wavFile: string, speed: number) {
  if (!Number.isFinite(speed) || speed <= 0) throw new Error(`festival speed must be a positive number, got ${speed}`);
  for (const file of [textFile, wavFile]) if (!/^[\w/.-]+$/.test(file)) throw new Error(`festival work file has an unsafe path: ${file}`);
  return [
    `(voice_${FESTIVAL_VOICE})`,
    // HTS ignores Duration_Stretch; its engine's own speed option (-r) sets the pace.
    `(set! hts_engine_params (append hts_engine_params (list (list "-r" ${speed.toFixed(4)}))))`,
    `(set! aura_fd (fopen "${textFile}" "rb"))`,
    "(set! aura_text (fread 1000000 aura_fd))",
    "(fclose aura_fd)",
    "(set! aura_utt (utt.synth (eval (list 'Utterance 'Text aura_text))))",
    `(mapcar (lambda (w) (format t "${WORD_LINE}\\t%s\\t%f\\t%f\\n" (item.name w) (item.feat w "word_start") (item.feat w "word_end"))) (utt.relation.items aura_utt 'Word))`,
    `(utt.save.wave aura_utt "${wavFile}" 'riff)`,
    "",
  ].join("\n");
}

/** Festival's word lines from its output; anything else it printed is left out. */
export function parseFestivalWords(stdout: string): WordTiming[] {
  const words: WordTiming[] = [];
  for (const line of stdout.split("\n")) {
    const [tag, word, start, end] = line.split("\t");
    if (tag !== WORD_LINE || !word) continue;
    const startSec = Number(start);
    const endSec = Number(end);
    if (Number.isFinite(startSec) && Number.isFinite(endSec)) words.push({ word, startSec, endSec: Math.max(startSec, endSec) });
  }
  return words;
}

export async function synthesizeFestival(text: string, options: { binary: string; signal?: AbortSignal; rate?: number }): Promise<Speech> {
  return withWorkDir("festival", async (dir) => {
    const textFile = path.join(dir, "text.txt");
    const wavFile = path.join(dir, "speech.wav");
    const scriptFile = path.join(dir, "speak.scm");
    await writeFile(textFile, text);
    await writeFile(scriptFile, festivalScript(textFile, wavFile, ((options.rate ?? 1) * NORMAL_WPM) / FESTIVAL_WPM));
    const stdout = await runProcessForAudio("festival", options.binary, ["--batch", scriptFile], "", options.signal).catch((error: unknown) => {
      // A missing voice is a setup to fix, not a fault worth another try.
      if (error instanceof ProviderError && error.reason.includes(`unbound variable : voice_${FESTIVAL_VOICE}`))
        throw new ProviderError("festival", "config", `festival has no voice ${FESTIVAL_VOICE} (Debian package festvox-us-slt-hts)`);
      throw error;
    });
    const wav = await readFile(wavFile).catch(() => {
      throw new ProviderError(
        "festival",
        "transient",
        `festival wrote no audio (is the voice ${FESTIVAL_VOICE} installed?): ${stdout.toString().slice(-300).trim()}`,
      );
    });
    return speechFromWav("festival", wav, parseFestivalWords(stdout.toString("utf8")));
  });
}
