// Minimal, valid PDFs with lines of text (Helvetica), for upload tests: one page, many pages
// (a page bomb), or one page whose compressed content inflates to a given size (a zip bomb).
import { deflateSync } from "node:zlib";

export function makePdf(lines: string[]) {
  return makePdfPages([lines]);
}

/** One page per entry, each with its lines of text. */
export function makePdfPages(pages: string[][]) {
  return assemblePdf(pages.map((lines) => ({ content: Buffer.from(textContent(lines), "latin1") })));
}

/** One page with `lines` whose content stream, padded with spaces, inflates to `inflatedBytes`. */
export function makeInflatingPdf(lines: string[], inflatedBytes: number) {
  const content = Buffer.alloc(inflatedBytes, " ");
  content.write(textContent(lines), "latin1");
  return assemblePdf([{ content: deflateSync(content, { level: 9 }), filter: "/FlateDecode" }]);
}

function textContent(lines: string[]) {
  return ["BT", "/F1 12 Tf", "72 720 Td", "14 TL", ...lines.map((l) => `(${l.replace(/[\\()]/g, (c) => `\\${c}`)}) '`), "ET"].join("\n");
}

function assemblePdf(pages: { content: Buffer; filter?: string }[]) {
  // 1 catalog, 2 page tree, 3 font, then a page and its content stream for each page.
  const objects: Buffer[] = [
    Buffer.from("<< /Type /Catalog /Pages 2 0 R >>"),
    Buffer.from(`<< /Type /Pages /Kids [${pages.map((_, i) => `${4 + 2 * i} 0 R`).join(" ")}] /Count ${pages.length} >>`),
    Buffer.from("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"),
  ];
  pages.forEach(({ content, filter }, i) => {
    objects.push(
      Buffer.from(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${5 + 2 * i} 0 R >>`),
      Buffer.concat([
        Buffer.from(`<< /Length ${content.length}${filter ? ` /Filter ${filter}` : ""} >>\nstream\n`, "latin1"),
        content,
        Buffer.from("\nendstream"),
      ]),
    );
  });
  const parts = [Buffer.from("%PDF-1.4\n")];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(length);
    const part = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), object, Buffer.from("\nendobj\n")]);
    parts.push(part);
    length += part.length;
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  parts.push(Buffer.from(`${xref}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`));
  return Buffer.concat(parts);
}
