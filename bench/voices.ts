// How clear and how fast each offline voice is: every voice reads fixed passages, pocketsphinx
// recognises the speech freely (its English language model, not the narration's grammar) and
// the word error rate is printed with the synthesis speed. Then the forced aligner's figures:
// its speed, peak memory and how far its word starts land from festival's own.
// With --pace: every language's speaking rate with espeak-ng (its voice per language, rate 1),
// the figures pacing.ts plans with, how far its estimate lands from the spoken length, and
// whether espeak-ng reads the language's own script (it falls back to English on what it
// cannot read, marked "(en)" in its phonemes).
// Run: npm run bench:voices   or   npm run bench:voices -- --pace
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { setTestEnv } from "../test/helpers/env.ts";
import { LANGUAGE_PASSAGES } from "./language-passages.ts";
import { VOICE_PASSAGES } from "./voice-passages.ts";

setTestEnv({ DATABASE_URL: "postgresql://unused@localhost/unused" });
const { synthesizeEspeak } = await import("../server/providers/tts/espeak.ts");
const { synthesizeFestival } = await import("../server/providers/tts/festival.ts");
const { synthesizeFlite } = await import("../server/providers/tts/flite.ts");
const { withWorkDir } = await import("../server/providers/tts/work-dir.ts");
const { alignSpeech, pocketsphinxModel, resampleForRecognition, runTool } = await import("../server/pipeline/narration/align-speech.ts");
const { getEnv } = await import("../server/env.ts");
const { countWords, estimateSpeechSec, pacedByCharacters, SPEECH_RATES } = await import("../server/pipeline/pacing.ts");
const { espeakVoiceFor } = await import("../server/providers/tts/espeak.ts");
const { kanaForSpeech } = await import("../server/pipeline/narration/japanese-reading.ts");
type Speech = Awaited<ReturnType<typeof synthesizeFestival>>;

const fixed = (n: number, digits = 2) => n.toFixed(digits);

/** espeak-ng's phonemes for a text, to see which parts it read as English. */
const phonemes = (voice: string, text: string) =>
  new Promise<string>((resolve, reject) => {
    const child = execFile(getEnv().ESPEAK_BINARY, ["-v", voice, "-q", "--ipa"], (error, stdout) => (error ? reject(error) : resolve(stdout)));
    child.stdin?.end(text);
  });

if (process.argv.includes("--pace")) {
  console.log("espeak-ng at rate 1 (-s 165), male voice, two passages per language");
  console.log("language | espeak-ng voice | measured | planned (pacing.ts) | estimate error per passage | English fallbacks in its phonemes");
  for (const [language, passages] of Object.entries(LANGUAGE_PASSAGES)) {
    const voice = language === "en" ? "en-us-male" : `${language}-male`;
    let units = 0;
    let seconds = 0;
    const errors: string[] = [];
    // Japanese is spoken as the narration stage speaks it: kanji as their kana.
    const said = async (text: string) => (language === "ja" ? kanaForSpeech(text) : text);
    for (const passage of passages) {
      const speech = await synthesizeEspeak(await said(passage), voice, { binary: getEnv().ESPEAK_BINARY });
      units += countWords(passage, language);
      seconds += speech.durationSec;
      errors.push(`${Math.round(((estimateSpeechSec(passage, undefined, language) - speech.durationSec) / speech.durationSec) * 100)}%`);
    }
    const byCharacters = pacedByCharacters(language);
    const measured = byCharacters ? `${fixed(units / seconds)} characters/s` : `${Math.round((units / seconds) * 60)} words/min`;
    const rate = SPEECH_RATES[language]!;
    const planned = "charactersPerSecond" in rate ? `${rate.charactersPerSecond} characters/s` : `${rate.wordsPerMinute} words/min`;
    const english = (await phonemes(espeakVoiceFor(voice), await said(passages[0]))).match(/\(en\)/g)?.length ?? 0;
    console.log(`${language} | ${espeakVoiceFor(voice)} | ${measured} | ${planned} | ${errors.join(", ")} | ${english}`);
  }
  process.exit(0);
}

const VOICES: { name: string; speak: (text: string) => Promise<Speech> }[] = [
  { name: "festival cmu_us_slt_arctic_hts (female)", speak: (t) => synthesizeFestival(t, { binary: getEnv().FESTIVAL_BINARY }) },
  { name: "flite rms (male)", speak: (t) => synthesizeFlite(t, "rms", { binary: getEnv().FLITE_BINARY }) },
  { name: "flite awb (Scottish male)", speak: (t) => synthesizeFlite(t, "awb", { binary: getEnv().FLITE_BINARY }) },
  { name: "flite slt (female)", speak: (t) => synthesizeFlite(t, "slt", { binary: getEnv().FLITE_BINARY }) },
  { name: "espeak-ng en-us (male)", speak: (t) => synthesizeEspeak(t, "en-us-male", { binary: getEnv().ESPEAK_BINARY }) },
  { name: "espeak-ng en-gb (male)", speak: (t) => synthesizeEspeak(t, "en-gb-male", { binary: getEnv().ESPEAK_BINARY }) },
];

/** Lowercase words without punctuation, as the recogniser writes them. */
export const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[^a-z0-9' ]+/g, " ")
    .split(/\s+/)
    .filter(Boolean);

/** Word-level edit distance over the reference's length. */
export function wordErrorRate(reference: string[], hypothesis: string[]) {
  let row = Array.from({ length: hypothesis.length + 1 }, (_, j) => j);
  for (let i = 1; i <= reference.length; i++) {
    const next = [i];
    for (let j = 1; j <= hypothesis.length; j++)
      next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (reference[i - 1] === hypothesis[j - 1] ? 0 : 1));
    row = next;
  }
  return row[hypothesis.length]! / reference.length;
}

/** What pocketsphinx hears in the speech with its general English language model. */
async function recognise(wav: Buffer) {
  const model = pocketsphinxModel();
  return withWorkDir("bench-asr", async (dir) => {
    const audio = path.join(dir, "speech-16k.wav");
    await resampleForRecognition(wav, dir, audio);
    const out = await runTool(getEnv().POCKETSPHINX_BINARY, [
      "-infile",
      audio,
      "-hmm",
      model.hmm,
      "-lm",
      model.lm,
      "-dict",
      model.dict,
      "-logfn",
      path.join(dir, "log.txt"),
    ]);
    return out.split("\n").join(" ");
  });
}

console.log(
  `Offline voices on ${VOICE_PASSAGES.length} passages (${VOICE_PASSAGES.map((p) => normalise(p).length).join(", ")} words), read back by pocketsphinx`,
);
console.log("voice | word error rate | synthesis × real time | words a minute at rate 1");
for (const voice of VOICES) {
  let errors = 0;
  let words = 0;
  let audioSec = 0;
  let wallSec = 0;
  for (const passage of VOICE_PASSAGES) {
    const started = performance.now();
    const speech = await voice.speak(passage);
    wallSec += (performance.now() - started) / 1000;
    audioSec += speech.durationSec;
    const reference = normalise(passage);
    errors += wordErrorRate(reference, normalise(await recognise(speech.wav))) * reference.length;
    words += reference.length;
  }
  console.log(`${voice.name} | ${fixed(errors / words)} | ${fixed(audioSec / wallSec, 1)} | ${Math.round((words / audioSec) * 60)}`);
}

// The aligner against festival's own word starts, on the same passages.
let audioSec = 0;
let wallSec = 0;
const startErrors: number[] = [];
for (const passage of VOICE_PASSAGES) {
  const speech = await synthesizeFestival(passage, { binary: getEnv().FESTIVAL_BINARY });
  const started = performance.now();
  const aligned = await alignSpeech(speech.wav, passage);
  wallSec += (performance.now() - started) / 1000;
  audioSec += speech.durationSec;
  if (!aligned || aligned.length !== speech.words?.length)
    throw new Error(`alignment gave ${aligned?.length ?? 0} words, festival ${speech.words?.length ?? 0}`);
  startErrors.push(...aligned.map((w, i) => Math.abs(w.startSec - speech.words![i]!.startSec)));
}
const mean = startErrors.reduce((a, b) => a + b, 0) / startErrors.length;
console.log(
  `\nAlignment (pocketsphinx, narration grammar) on festival's speech: ${fixed(audioSec / wallSec, 1)}× real time (with resampling); ` +
    `word start error mean ${Math.round(mean * 1000)} ms, worst ${Math.round(Math.max(...startErrors) * 1000)} ms over ${startErrors.length} words`,
);

// Peak memory of one pocketsphinx alignment run, as GNU time reports it.
await withWorkDir("bench-memory", async (dir) => {
  const speech = await synthesizeFestival(VOICE_PASSAGES[0], { binary: getEnv().FESTIVAL_BINARY });
  const audio = path.join(dir, "speech-16k.wav");
  await resampleForRecognition(speech.wav, dir, audio);
  const grammar = path.join(dir, "g.jsgf");
  await writeFile(grammar, `#JSGF V1.0;\ngrammar g;\npublic <g> = ${normalise(VOICE_PASSAGES[0]).join(" ")};\n`);
  const model = pocketsphinxModel();
  const args = [
    "-f",
    "%M",
    getEnv().POCKETSPHINX_BINARY,
    "-infile",
    audio,
    "-jsgf",
    grammar,
    "-hmm",
    model.hmm,
    "-dict",
    model.dict,
    "-logfn",
    path.join(dir, "log"),
  ];
  const peakKb = await new Promise<number>((resolve) =>
    execFile("/usr/bin/time", args, (_error, _stdout, stderr) => resolve(Number(stderr.trim().split("\n").at(-1)) || Number.NaN)),
  );
  console.log(`Alignment peak memory: ${Number.isNaN(peakKb) ? "unknown (GNU time not installed)" : `${Math.round(peakKb / 1024)} MB`}`);
});
