// Serves stored media with HTTP Range support, so players can seek and stream. The bytes come
// from the store (a local file, or a ranged GET on the bucket), through the app.
import { Readable } from "node:stream";
import { NotFoundError } from "../lib/errors.ts";
import { getStore } from "../storage/store.ts";

/** Parses a single `bytes=` range; null when absent, "invalid" when unsatisfiable. */
export function parseRange(header: string | null, size: number): { start: number; end: number } | null | "invalid" {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return "invalid";
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "invalid";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start > end || start >= size) return "invalid";
  return { start, end };
}

export async function mediaResponse(
  asset: { storageKey: string; mimeType: string },
  request: Request,
  options: { download?: string | null; cache?: string } = {},
) {
  const store = await getStore();
  const info = await store.head(asset.storageKey);
  if (!info) throw new NotFoundError("media");
  const size = info.bytes;
  const headers: Record<string, string> = {
    // Caption files are UTF-8 text: say so, so that no browser guesses another encoding.
    "content-type": asset.mimeType.startsWith("text/") || asset.mimeType === "application/x-subrip" ? `${asset.mimeType}; charset=utf-8` : asset.mimeType,
    "accept-ranges": "bytes",
    "cache-control": options.cache ?? "private, max-age=3600",
    "x-content-type-options": "nosniff",
  };
  if (options.download) headers["content-disposition"] = `attachment; filename="${options.download.replace(/[^\w.\- ]+/g, "_")}"`;
  const range = parseRange(request.headers.get("range"), size);
  if (range === "invalid") return new Response(null, { status: 416, headers: { ...headers, "content-range": `bytes */${size}` } });
  const { start, end } = range ?? { start: 0, end: size - 1 };
  headers["content-length"] = String(end - start + 1);
  if (range) headers["content-range"] = `bytes ${start}-${end}/${size}`;
  if (request.method === "HEAD" || size === 0) return new Response(null, { status: range ? 206 : 200, headers });
  const found = await store.read(asset.storageKey, { start, end });
  if (!found) throw new NotFoundError("media");
  return new Response(Readable.toWeb(found.body) as ReadableStream, { status: range ? 206 : 200, headers });
}

const VIDEO_TYPES: Record<string, { mime: string; ext: string }> = {
  mp4: { mime: "video/mp4", ext: ".mp4" },
  webm: { mime: "video/webm", ext: ".webm" },
  mov: { mime: "video/quicktime", ext: ".mov" },
};

/** The MIME type of a rendered video, from its storage key's extension. */
export const videoMimeType = (key: string) => VIDEO_TYPES[key.split(".").pop() ?? ""]?.mime ?? "application/octet-stream";

/** A file extension for a download, from the asset's MIME type. */
export const extensionFor = (mimeType: string) =>
  Object.values(VIDEO_TYPES).find((t) => t.mime === mimeType)?.ext ??
  ({ "image/jpeg": ".jpg", "text/vtt": ".vtt", "application/x-subrip": ".srt" } as Record<string, string>)[mimeType] ??
  "";

/** The caption sidecar written beside a rendered video (same name, .srt or .vtt). */
export const sidecarKey = (videoKey: string, ext: ".srt" | ".vtt") => videoKey.replace(/\.(mp4|webm|mov)$/, ext);
