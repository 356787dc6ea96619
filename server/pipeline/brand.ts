// The workspace's brand kit as a job applies it: only when the brief says to use it (a brief
// from before brand kits never does), with the brief's own choices (the logo off, its own
// music). The kit is read as it stands when the stage runs. Its files are copied into the
// video's own keys before a render uses them, so deleting a library item or changing the font
// later never breaks a video.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readFile, rename, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadBrandKitForRender, type BrandKitForRender } from "../brand/service.ts";
import { getDb } from "../db/client.ts";
import { runFfmpeg } from "../media/probe.ts";
import { getStore, putFileObject } from "../storage/store.ts";
import type { Brief } from "../videos/brief.ts";
import { baseKey, saveAsset } from "./job.ts";
import type { CardBrand } from "./visuals/card.ts";

/** The kit for a job whose brief uses it, or null. */
export async function brandKitOf(workspaceId: string, brief: Brief): Promise<BrandKitForRender | null> {
  if (!brief.brand?.use) return null;
  return loadBrandKitForRender({ db: getDb(), workspaceId });
}

/** The kit's card colours and its font as a local file. A font's key is new with each upload
 *  and never rewritten, so a file fetched once per process serves every later card. */
export async function cardBrandOf(kit: BrandKitForRender): Promise<CardBrand> {
  let font: CardBrand["font"] = null;
  if (kit.fontKey && kit.fontFamily) {
    const dir = path.join(tmpdir(), "aura-brand-fonts");
    const file = path.join(dir, kit.fontKey.replace(/[^A-Za-z0-9.-]/g, "_"));
    if (!(await stat(file).catch(() => null))) {
      await mkdir(dir, { recursive: true });
      const partial = `${file}.${process.pid}.${Date.now()}.part`;
      await (await getStore()).download(kit.fontKey, partial);
      await rename(partial, file);
    }
    font = { file, family: kit.fontFamily };
  }
  return { primary: kit.primaryColor, background: kit.backgroundColor, accent: kit.accentColor, font };
}

/** Where a brand file is kept among the video's own: named by its content (its sha256, or for
 *  a font, whose key is new with every upload, its key), so a later job of the same video with
 *  the same kit finds it there and the render worker's segment cache keys stay the same. */
export function brandKeyOf(videoBase: string, name: string, content: string | Buffer, ext: string) {
  return `${videoBase}/brand/${name}-${createHash("sha256").update(content).digest("hex").slice(0, 16)}${ext}`;
}

/** Copies a stored object (a library item, the kit's font) into the video's keys, once, and
 *  records it as the video's asset. */
export async function copyIntoVideo(
  job: { id: string; workspaceId: string; videoId: string },
  source: { key: string; mimeType: string; sha256?: string },
  name: string,
  kind: "visual" | "music" | "captions",
  info: { width?: number | null; height?: number | null; durationSec?: number | null } = {},
) {
  const key = brandKeyOf(baseKey(job.workspaceId, job.videoId), name, source.sha256 ?? source.key, path.extname(source.key));
  if (await (await getStore()).head(key)) return { key };
  const dir = await mkdtemp(path.join(tmpdir(), "aura-brand-"));
  try {
    const file = path.join(dir, "copy");
    await (await getStore()).download(source.key, file);
    const stored = await putFileObject(key, file, source.mimeType);
    await saveAsset({
      workspaceId: job.workspaceId,
      videoId: job.videoId,
      jobId: job.id,
      kind,
      ...stored,
      mimeType: source.mimeType,
      ...(info.width ? { width: info.width } : {}),
      ...(info.height ? { height: info.height } : {}),
      ...(info.durationSec ? { durationSec: info.durationSec } : {}),
    });
    return stored;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A logo's bytes as resvg draws them: PNG and JPEG as they are, any other picture (WebP)
 *  converted to PNG by FFmpeg first. */
export async function logoAsPng(logo: { storageKey: string; mimeType: string }) {
  const store = await getStore();
  if (logo.mimeType === "image/png" || logo.mimeType === "image/jpeg") return { bytes: await store.getBuffer(logo.storageKey), mimeType: logo.mimeType };
  const dir = await mkdtemp(path.join(tmpdir(), "aura-brand-logo-"));
  try {
    const source = path.join(dir, "logo");
    const png = path.join(dir, "logo.png");
    await store.download(logo.storageKey, source);
    await runFfmpeg(["-v", "error", "-nostdin", "-y", "-i", source, "-frames:v", "1", "-c:v", "png", "-f", "image2", png], 60_000);
    return { bytes: await readFile(png), mimeType: "image/png" };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
