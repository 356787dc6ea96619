// Japanese for espeak-ng: its Japanese voice reads kana but says "Chinese letter" for every
// kanji, so before it speaks, words written with kanji are replaced by their pronunciation in
// katakana, from kuromoji's morphological dictionary (IPADIC). The dictionary takes about 1.8 s
// and 340 MB to load (measured here): it is loaded on the first Japanese narration and let go
// after a few idle minutes. Other voices get the text as written.
import { createRequire } from "node:module";
import path from "node:path";
import kuromoji from "kuromoji";

const IDLE_MS = 5 * 60_000;
const HAN = /\p{Script=Han}/u;

let tokenizer: Promise<kuromoji.Tokenizer<kuromoji.IpadicFeatures>> | null = null;
let idle: NodeJS.Timeout | null = null;

function loadTokenizer() {
  tokenizer ??= new Promise((resolve, reject) => {
    const dicPath = path.join(path.dirname(createRequire(import.meta.url).resolve("kuromoji/package.json")), "dict");
    kuromoji.builder({ dicPath }).build((error, built) => (error ? reject(error) : resolve(built)));
  });
  tokenizer.catch(() => {
    tokenizer = null;
  });
  if (idle) clearTimeout(idle);
  idle = setTimeout(() => {
    tokenizer = null;
  }, IDLE_MS).unref();
  return tokenizer;
}

/** Japanese text with each word written in kanji replaced by its katakana pronunciation
 *  (小さな町は → チーサナマチは); kana, Latin letters and punctuation stay as written. */
export async function kanaForSpeech(text: string): Promise<string> {
  if (!HAN.test(text)) return text;
  const tokens = (await loadTokenizer()).tokenize(text);
  return tokens.map((t) => (HAN.test(t.surface_form) && t.pronunciation && t.pronunciation !== "*" ? t.pronunciation : t.surface_form)).join("");
}
