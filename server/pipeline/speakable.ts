// Makes text speakable before text-to-speech: symbols, URLs and markup that a voice would
// read out badly are turned into words or removed.
const SYMBOLS: [RegExp, string][] = [
  [/&/g, " and "],
  [/(\d)\s*%/g, "$1 percent"],
  [/\+/g, " plus "],
  [/@/g, " at "],
  [/=/g, " equals "],
  [/#(\w)/g, "number $1"],
];

export function makeSpeakable(text: string) {
  let out = text.replace(/https?:\/\/(www\.)?([^\s/]+)[^\s]*/gi, (_m, _w, host: string) => host.replace(/\./g, " dot "));
  for (const [pattern, words] of SYMBOLS) out = out.replace(pattern, words);
  return out
    .replace(/[*_`~>#|[\]{}<]/g, " ") // markdown and markup
    .replace(/\p{Extended_Pictographic}/gu, " ").replace(/\s+([,.!?;:])/g, "$1").replace(/\s+/g, " ").trim();
}
