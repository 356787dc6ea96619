// Open Clip Art (public domain, Debian's openclipart-svg) as illustrations: ~7,500 distinct SVG
// files under category folders. Key words come from each file's RDF metadata (dc:title and
// dc:subject), which sits in its first few kilobytes, and from its folders; the author
// (dc:creator) is kept for the credit. Reading those heads of all files takes under a second,
// so the index is built in the process, without a cache. A file that is a link to another
// (the same picture in a second category) is left out, and so is one too big to draw quickly.
// Many files need mending before resvg reads them: see mendSvg.
import { type Dirent, closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from "node:fs";
import path from "node:path";

export const OPENCLIPART_DIR = "/usr/share/openclipart/svg";

/** Files above this size are left out: they take long to draw (the largest, 1.6 MB, ~1 s). */
export const MAX_CLIPART_BYTES = 300_000;

const HEAD_BYTES = 8192;

export type ClipartEntry = {
  /** The file's path under the collection's folder. */
  file: string;
  title: string;
  creator: string;
  words: string[];
};

/** Text of a file's bytes: UTF-8 when valid, else Latin-1 (older files are). */
export function decodeSvg(bytes: Buffer) {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return bytes.toString("latin1");
  }
}

const unescapeXml = (text: string) =>
  text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&")
    .trim();

/** The picture's title, subject tags and author from its RDF metadata. */
export function readMetadata(head: string) {
  const work = head.match(/<cc:Work[\s\S]*?<\/cc:Work>/)?.[0] ?? head;
  const title = unescapeXml(work.match(/<dc:title>([^<]*)<\/dc:title>/)?.[1] ?? "");
  const subjects = [...(work.match(/<dc:subject>([\s\S]*?)<\/dc:subject>/)?.[1] ?? "").matchAll(/<rdf:li>([^<]*)<\/rdf:li>/g)]
    .map((m) => unescapeXml(m[1]!))
    .filter(Boolean);
  const creator = unescapeXml(work.match(/<dc:creator>[\s\S]*?<dc:title>([^<]*)<\/dc:title>/)?.[1] ?? "");
  return { title, subjects, creator };
}

function readHead(file: string, size: number) {
  const fd = openSync(/*turbopackIgnore: true*/ file, "r");
  try {
    const bytes = Buffer.alloc(Math.min(size, HEAD_BYTES));
    readSync(fd, bytes, 0, bytes.length, 0);
    return decodeSvg(bytes);
  } catch {
    return "";
  } finally {
    closeSync(fd);
  }
}

/** The collection's pictures; none when the folder is missing. */
export function scanOpenClipart(root = OPENCLIPART_DIR): ClipartEntry[] {
  let found: Dirent[];
  try {
    found = readdirSync(/*turbopackIgnore: true*/ root, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
  const entries: ClipartEntry[] = [];
  for (const dirent of found) {
    // A link is the same picture filed again under another category.
    if (!dirent.isFile() || !dirent.name.endsWith(".svg")) continue;
    const full = path.join(/*turbopackIgnore: true*/ dirent.parentPath, dirent.name);
    const size = statSync(/*turbopackIgnore: true*/ full).size;
    if (size < 200 || size > MAX_CLIPART_BYTES) continue;
    const file = path.relative(root, full);
    const { title, subjects, creator } = readMetadata(readHead(full, size));
    const folders = path
      .dirname(file)
      .split(path.sep)
      .flatMap((f) => f.split(/[_\s]+/));
    const name = path.basename(file, ".svg").replace(/_[^_]*_\d+$/, "");
    const label = title || name.replace(/_/g, " ");
    entries.push({ file, title: label, creator, words: [label, ...subjects, ...folders.filter((f) => f !== "." && f !== "and")] });
  }
  return entries;
}

/** A start tag (or empty-element tag), its quoted values read whole: a ">" in one does not end it. */
const TAG = /<[A-Za-z][\w.:-]*(?:[^>"']|"[^"]*"|'[^']*')*>/g;
/** An <image> element, empty or with content, under any prefix. */
const IMAGE = /<(?:[\w.-]+:)?image(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*?(?:\/>|>[\s\S]*?<\/(?:[\w.-]+:)?image\s*>)/g;
/** An href (xlink:href or plain) to anything other than an element of the same file. */
const OUTSIDE_HREF = /\s(?:[\w.-]+:)?href\s*=\s*(?:"(?!#)[^"]*"|'(?!#)[^']*')/g;

/**
 * The picture without what the card cannot draw or should not load: every <image> element, and
 * every link to something outside the file (a <use> of another file, an <feImage> of one). The
 * card embeds the picture as a nested SVG, and resvg drops every <image> from a nested SVG; drawn
 * alone, resvg would show them (and read a local file one links to). So the blank check has to
 * see the picture as the card draws it, or a file whose picture is an embedded PNG passes the
 * check and shows as an empty panel.
 */
export function removeOutsideContent(svg: string) {
  return svg.replace(IMAGE, "").replace(TAG, (tag) => tag.replace(OUTSIDE_HREF, ""));
}

/**
 * A file made readable by resvg: the DOCTYPE removed (after its entities, which Illustrator
 * files use for namespaces, are put in their places), and the namespaces the root element uses
 * but does not declare added. Without this about a fifth of the files fail with "no root node".
 * Images and links outside the file are removed as well: see removeOutsideContent.
 */
export function mendSvg(text: string) {
  let svg = text.replace(/^\uFEFF/, "");
  const doctype = svg.match(/<!DOCTYPE[^[>]*(\[[\s\S]*?\])?\s*>/);
  if (doctype) {
    const entities = [...(doctype[1] ?? "").matchAll(/<!ENTITY\s+([\w.-]+)\s+(?:"([^"]*)"|'([^']*)')\s*>/g)];
    svg = svg.replace(doctype[0], "");
    for (const [, name, double, single] of entities) svg = svg.split(`&${name};`).join(double ?? single ?? "");
  }
  // After the entities: an href may be written with one.
  svg = removeOutsideContent(svg);
  const root = svg.match(/<svg\b[^>]*>/);
  if (!root) return svg;
  let tag = root[0];
  const declared = new Set([...tag.matchAll(/\bxmlns:([\w.-]+)\s*=/g)].map((m) => m[1]!));
  const missing: string[] = [];
  if (!/\sxmlns\s*=/.test(tag)) missing.push('xmlns="http://www.w3.org/2000/svg"');
  const known: Record<string, string> = { xlink: "http://www.w3.org/1999/xlink", svg: "http://www.w3.org/2000/svg" };
  // Prefixes used on elements or attributes anywhere in the file.
  for (const [, prefix] of svg.matchAll(/[<\s]([A-Za-z][\w.-]*):[A-Za-z][\w.-]*(?=[\s=/>])/g)) {
    if (prefix === "xml" || prefix === "xmlns" || declared.has(prefix!)) continue;
    declared.add(prefix!);
    missing.push(`xmlns:${prefix}="${known[prefix!] ?? `urn:aura:${prefix}`}"`);
  }
  if (missing.length) tag = tag.replace(/^<svg\b/, `<svg ${missing.join(" ")}`);
  return svg.replace(root[0], tag);
}

/** The picture as an SVG document resvg reads. */
export function readClipartSvg(entry: ClipartEntry, root = OPENCLIPART_DIR) {
  return mendSvg(decodeSvg(readFileSync(path.join(/*turbopackIgnore: true*/ root, entry.file))));
}
