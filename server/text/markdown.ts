// Markdown as plain sentences: a reference document's headings, paragraphs, list items and table
// rows as the words they say, without the marks (#, *, _, `, links' brackets, table pipes), so
// that no mark reaches a script, a caption or the picture. Parsed by marked's lexer, not by
// regular expressions: emphasis, links and code spans nest and escape in ways a pattern misses.
import { Lexer, type Token, type Tokens } from "marked";

/** Sentence end marks: a heading or a table row without one gets a full stop. */
const ENDED = /[.!?:;\u3002\uff01\uff1f]["')\]\u201d\u300d]*$/u;

/** Entities as the lexer leaves them in text ("&amp;" for an escaped "&"). */
const ENTITIES: Record<string, string> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"', "&#39;": "'" };
const decode = (text: string) => text.replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!);

function inline(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((token) => {
      switch (token.type) {
        case "text":
          return "tokens" in token && token.tokens?.length ? inline(token.tokens) : decode(token.text);
        case "strong":
        case "em":
        case "del":
        case "link":
          return inline((token as Tokens.Strong).tokens);
        case "image":
          return decode((token as Tokens.Image).text);
        case "codespan":
        case "escape":
          return decode((token as Tokens.Codespan).text);
        case "br":
          return " ";
        default:
          // Inline HTML and anything else without words of its own.
          return "";
      }
    })
    .join("");
}

const sentence = (text: string) => {
  const clean = text.replace(/\s+/g, " ").trim();
  return !clean || ENDED.test(clean) ? clean : `${clean}.`;
};

function blocks(tokens: Token[]): string[] {
  return tokens.flatMap((token): string[] => {
    switch (token.type) {
      case "heading":
        return [sentence(inline((token as Tokens.Heading).tokens))];
      case "paragraph":
        return [inline((token as Tokens.Paragraph).tokens).trim()];
      case "text":
        return [inline("tokens" in token ? token.tokens : undefined) || decode(token.text)];
      case "list":
        // One line each: the writers read a line as a list item (material.ts splitSentences).
        return (token as Tokens.List).items.map((item) => blocks(item.tokens).join(" ").trim());
      case "blockquote":
        return blocks((token as Tokens.Blockquote).tokens);
      case "table": {
        // A row as what its cells say under their headers: "Origin: Ethiopia; Caffeine: high."
        const table = token as Tokens.Table;
        const header = table.header.map((cell) => inline(cell.tokens).trim());
        return table.rows.map((row) =>
          sentence(
            row
              .map((cell, i) => [header[i], inline(cell.tokens).trim()].filter(Boolean).join(": "))
              .filter(Boolean)
              .join("; "),
          ),
        );
      }
      case "code":
        // An indented block is as often a plain text's indented paragraph as code: its words
        // stay. A fenced block is code, which says nothing to narrate.
        return (token as Tokens.Code).codeBlockStyle === "indented" ? [(token as Tokens.Code).text] : [];
      default:
        // Rules, HTML blocks, link definitions and blank space.
        return [];
    }
  });
}

/** The text of a Markdown document (plain text passes through nearly as it is): one block a
 *  paragraph, blocks apart by a blank line, list items and table rows a line each. */
export function markdownToPlainText(text: string) {
  return blocks(Lexer.lex(text, { gfm: true }))
    .map((block) => block.replace(/[ \t]+/g, " ").trim())
    .filter(Boolean)
    .join("\n\n");
}
