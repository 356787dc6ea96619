// Splits a document into passages of about `target` characters along its own structure:
// Markdown headings and blank lines first, sentences when a paragraph is too long. Each
// passage carries its section heading, so a passage read alone still says what it is about.
// Sentences are Unicode's (Intl.Segmenter), so Chinese "。", Hindi "।" and Arabic "؟" end
// them as a full stop does.
const sentenceSegmenter = new Intl.Segmenter(undefined, { granularity: "sentence" });
const sentencesOf = (text: string) => {
  const sentences = Array.from(sentenceSegmenter.segment(text), (s) => s.segment.trim()).filter(Boolean);
  return sentences.length ? sentences : [text];
};

export function chunkText(text: string, target = 900, max = 1500): string[] {
  const chunks: string[] = [];
  let heading = "";
  let current = "";
  const flush = () => {
    const body = current.trim();
    if (body) chunks.push(heading && !body.startsWith(heading) ? `${heading}\n${body}` : body);
    current = "";
  };
  const add = (piece: string) => {
    if (current && current.length + piece.length + 2 > target) flush();
    current = current ? `${current}\n\n${piece}` : piece;
  };
  for (const block of text.split(/\n\s*\n/)) {
    const trimmed = block.trim();
    if (!trimmed) continue;
    const headingMatch = /^#{1,6}\s+(.+)$/m.exec(trimmed);
    if (headingMatch && trimmed.split("\n").length === 1) {
      flush();
      heading = headingMatch[1]!.trim();
      continue;
    }
    if (trimmed.length <= max) {
      add(trimmed);
      continue;
    }
    for (const sentence of sentencesOf(trimmed.replace(/\s*\n\s*/g, " "))) {
      // A "sentence" longer than max (a table, a list without stops) is cut hard.
      for (let i = 0; i < sentence.length; i += max) add(sentence.slice(i, i + max));
    }
  }
  flush();
  return chunks;
}
