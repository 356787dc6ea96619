// Word timings for speech whose voice gave none (flite, OpenAI, Piper, ElevenLabs without
// them): the known narration is force-aligned to the audio with pocketsphinx. The grammar is
// one sentence, the narration's own words in order, so the recogniser only decides where each
// word falls. Only words found in pocketsphinx's dictionary go into the grammar (so no user
// text reaches it unchecked); the others take times between their aligned neighbours.
import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { getEnv } from "../../env.ts";
import { deadlineSignal } from "../../lib/deadline.ts";
import { FFMPEG } from "../../media/probe.ts";
import { wavDurationSec, type WordTiming } from "../../providers/tts/wav.ts";
import { withWorkDir } from "../../providers/tts/work-dir.ts";

/** Languages the installed acoustic model and dictionary serve. */
export function canAlign(language: string) {
  return /^en(-|$)/i.test(language);
}

/** Below this share of the narration's words found in the audio, alignment is not trusted. */
export const MIN_ALIGNED_SHARE = 0.5;

/** A written word of the narration and the dictionary words it is said as ("well-known" is two). */
export type AlignToken = { token: string; keys: string[] };

/** Lowercased words a dictionary might hold, from one written word: curly apostrophes made
 *  straight, surrounding punctuation dropped, hyphens and slashes split. */
export function dictionaryKeys(token: string) {
  return token
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .split(/[-\u2010-\u2014/]+/)
    .map((part) => part.replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, ""))
    .filter((part) => /^[a-z][a-z']*$/.test(part));
}

/** The narration's words with the dictionary words each is said as (only words the dictionary has). */
export function alignTokens(text: string, dictionary: ReadonlySet<string>): AlignToken[] {
  return text
    .split(/\s+/)
    .filter(Boolean)
    .map((token) => ({ token, keys: dictionaryKeys(token).filter((key) => dictionary.has(key)) }));
}

/** A one-sentence JSGF grammar: the words in order. Each must be a plain dictionary word. */
export function buildGrammar(keys: string[]) {
  if (!keys.length) throw new Error("a grammar needs at least one word");
  for (const key of keys) if (!/^[a-z][a-z']*$/.test(key)) throw new Error(`not a plain dictionary word: ${JSON.stringify(key)}`);
  return `#JSGF V1.0;\ngrammar narration;\npublic <narration> = ${keys.join(" ")};\n`;
}

/** The words pocketsphinx recognised with `-time yes` ("word start end confidence" lines),
 *  without silences, noises, sentence marks and alternative-pronunciation suffixes. */
export function parseRecognition(stdout: string): WordTiming[] {
  const words: WordTiming[] = [];
  for (const line of stdout.split("\n")) {
    const m = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)(?: \S+)?$/.exec(line.trim());
    if (!m || /^(<.*>|\[.*\]|\+\+.*)$/.test(m[1]!)) continue;
    words.push({ word: m[1]!.replace(/\(\d+\)$/, ""), startSec: Number(m[2]), endSec: Number(m[3]) });
  }
  return words;
}

/** Whether the recognised words' times run forwards: each word ends after it starts, and starts
 *  where the one before it ended or later. Pocketsphinx restarting its clock (a new utterance)
 *  breaks this, and then none of its times can be placed. */
export function timesRunForwards(recognized: WordTiming[]) {
  return recognized.every((r, i) => r.endSec >= r.startSec && (i === 0 || r.startSec >= recognized[i - 1]!.endSec));
}

/**
 * Times for every written word: recognised words are matched to the expected dictionary words
 * in order (longest common subsequence, so a skipped or extra word costs only itself); a
 * written word takes the span of its matched parts; words with none take times between their
 * aligned neighbours, shared by length. Every start lies between the previous word's end and
 * the audio's end, and every end between its start and the audio's end, so the times run
 * forwards inside the audio. Null when too few words matched to trust, or when the recognised
 * times go backwards (the caller then estimates the times).
 */
export function placeWords(tokens: AlignToken[], recognized: WordTiming[], durationSec: number): WordTiming[] | null {
  if (!tokens.length || !timesRunForwards(recognized)) return null;
  const expected = tokens.flatMap((t, i) => t.keys.map((key) => ({ key, token: i })));
  // Longest common subsequence of expected keys and recognised words.
  const n = expected.length;
  const m = recognized.length;
  const table = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      table[i]![j] = expected[i]!.key === recognized[j]!.word ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
  const spans: ({ start: number; end: number } | null)[] = tokens.map(() => null);
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (expected[i]!.key === recognized[j]!.word) {
      const k = expected[i]!.token;
      const r = recognized[j]!;
      spans[k] = spans[k] ? { start: spans[k]!.start, end: r.endSec } : { start: r.startSec, end: r.endSec };
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  const aligned = spans.filter(Boolean).length;
  if (aligned < tokens.length * MIN_ALIGNED_SHARE) return null;
  // Whole milliseconds not past the audio's end, so rounding never steps outside it.
  const end = Math.max(0, Math.floor(durationSec * 1000) / 1000);
  const clamp = (sec: number, low: number) => round(Math.min(end, Math.max(low, sec)));
  const out: WordTiming[] = [];
  for (let i = 0; i < tokens.length; ) {
    if (spans[i]) {
      const startSec = clamp(spans[i]!.start, out.at(-1)?.endSec ?? 0);
      out.push({ word: tokens[i]!.token, startSec, endSec: clamp(spans[i]!.end, startSec) });
      i++;
      continue;
    }
    // A run of unaligned words between the previous word's end and the next aligned start.
    let j = i;
    while (j < tokens.length && !spans[j]) j++;
    const from = out.at(-1)?.endSec ?? 0;
    const to = clamp(j < tokens.length ? spans[j]!.start : end, from);
    const lengths = tokens.slice(i, j).map((t) => t.token.length + 1);
    const total = lengths.reduce((a, b) => a + b, 0);
    let at = from;
    for (let k = i; k < j; k++) {
      const next = at + ((to - from) * lengths[k - i]!) / total;
      out.push({ word: tokens[k]!.token, startSec: round(at), endSec: round(next) });
      at = next;
    }
    i = j;
  }
  return out;
}

const round = (sec: number) => Math.round(sec * 1000) / 1000;

const dictionaries = new Map<string, Promise<Set<string>>>();

/** The words of pocketsphinx's pronunciation dictionary (read once per file). */
export function loadDictionary(file: string) {
  let dictionary = dictionaries.get(file);
  if (!dictionary) {
    dictionary = readFile(file, "utf8").then((text) => new Set(text.split("\n").map((line) => line.slice(0, line.indexOf(" ")).replace(/\(\d+\)$/, ""))));
    dictionary.catch(() => dictionaries.delete(file));
    dictionaries.set(file, dictionary);
  }
  return dictionary;
}

/** The model and dictionary pocketsphinx uses, from POCKETSPHINX_MODEL_DIR. */
export function pocketsphinxModel() {
  const dir = getEnv().POCKETSPHINX_MODEL_DIR;
  return { hmm: path.join(dir, "en-us"), dict: path.join(dir, "cmudict-en-us.dict"), lm: path.join(dir, "en-us.lm.bin") };
}

/** Runs a binary with an argument array; resolves its stdout, rejects naming the binary and why. */
export function runTool(binary: string, args: string[], signal?: AbortSignal) {
  return new Promise<string>((resolve, reject) => {
    execFile(binary, args, { signal, maxBuffer: 16 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      const code = (error as NodeJS.ErrnoException).code;
      if (signal?.aborted) return reject(new Error(`${binary} was stopped: ${signal.reason instanceof Error ? signal.reason.message : "aborted"}`));
      reject(new Error(code === "ENOENT" ? `${binary} is not installed` : `${binary} failed: ${stderr.trim().split("\n").slice(-2).join(" ").slice(0, 300)}`));
    });
  });
}

/** The audio as 16 kHz mono WAV, written to `file` (what the acoustic model was trained on). */
export async function resampleForRecognition(wav: Buffer, dir: string, file: string, signal?: AbortSignal) {
  const input = path.join(dir, "input.wav");
  await writeFile(input, wav);
  // No metadata and no encoder tag: ffmpeg would write them as a LIST chunk before the samples,
  // which pocketsphinx (reading a plain 44-byte header) takes for audio.
  await runTool(
    FFMPEG,
    ["-nostdin", "-v", "error", "-y", "-i", input, "-ar", "16000", "-ac", "1", "-c:a", "pcm_s16le", "-map_metadata", "-1", "-fflags", "+bitexact", file],
    signal,
  );
}

/** Pocketsphinx splits audio at pauses longer than this many 10 ms frames; a narration's
 *  pauses are shorter, so the whole scene is one utterance matched against the one sentence. */
const MAX_PAUSE_FRAMES = "300";

/**
 * When each word of `text` is said in `wav`: one entry per whitespace-separated word of the
 * text, in order. Null when too few words could be aligned or the recogniser's times ran
 * backwards; throws (naming the tool) when resampling or recognition could not run.
 */
export async function alignSpeech(wav: Buffer, text: string, signal?: AbortSignal): Promise<WordTiming[] | null> {
  const model = pocketsphinxModel();
  const tokens = alignTokens(text, await loadDictionary(model.dict));
  const keys = tokens.flatMap((t) => t.keys);
  if (!keys.length) return null;
  const durationSec = wavDurationSec(wav, "alignment");
  const limit = deadlineSignal(getEnv().PROVIDER_TIMEOUT_SEC * 1000, signal);
  return withWorkDir("align", async (dir) => {
    const audio = path.join(dir, "speech-16k.wav");
    const grammar = path.join(dir, "narration.jsgf");
    await resampleForRecognition(wav, dir, audio, limit);
    await writeFile(grammar, buildGrammar(keys));
    const stdout = await runTool(
      getEnv().POCKETSPHINX_BINARY,
      [
        "-infile",
        audio,
        "-jsgf",
        grammar,
        "-time",
        "yes",
        "-hmm",
        model.hmm,
        "-dict",
        model.dict,
        "-vad_postspeech",
        MAX_PAUSE_FRAMES,
        // Left on, silence frames are dropped before recognition and the words' times shift.
        "-remove_silence",
        "no",
        "-logfn",
        path.join(dir, "log.txt"),
      ],
      limit,
    );
    return placeWords(tokens, parseRecognition(stdout), durationSec);
  });
}
