// Which clip of a search answer a shot gets, and which of its files. Clips in the wrong
// orientation are left out. Of a clip's files, the smallest that is at least the output's size
// is taken (4K is not downloaded for a 720p video), else the largest below it; MP4 files are
// preferred. Clips that last the shot come first, a shorter one (it will be looped) only when
// none does; then clips whose file covers the output; then the provider's own order. Clips are
// claimed in that order, so that no clip shows twice in one video.
import { ProviderError } from "../errors.ts";
import type { CallContext } from "../types.ts";
import type { MediaHosts } from "../media-hosts.ts";
import { downloadClip } from "./download.ts";
import type { ClipCandidate, ClipFile, ClipOrientation, ClipWanted, FoundClip } from "./types.ts";

/** A file this much smaller than the output still counts as its size: stock files are often a
 *  few pixels off the standard sizes (1920×1012), and nobody sees a 4% upscale. */
const SIZE_TOLERANCE = 0.04;

export function orientationOf(width: number, height: number): ClipOrientation {
  const ratio = width / height;
  if (ratio > 1.1) return "landscape";
  if (ratio < 0.9) return "portrait";
  return "square";
}

const isMp4 = (file: ClipFile) => (file.mime ? file.mime === "video/mp4" : /\.mp4$/i.test(safePath(file.url)));

function safePath(url: string) {
  try {
    return new URL(url).pathname;
  } catch {
    return "";
  }
}

const pixels = (f: { width: number; height: number }) => f.width * f.height;

/** The file of a clip to download for this output size, or null when none can be used. */
export function chooseFile(files: ClipFile[], wanted: Pick<ClipWanted, "width" | "height">, maxBytes: number) {
  const usable = files.filter((f) => f.width > 0 && f.height > 0 && !(f.bytes !== undefined && f.bytes > maxBytes));
  const mp4 = usable.filter(isMp4);
  const pool = mp4.length ? mp4 : usable;
  if (!pool.length) return null;
  const covers = (f: ClipFile) => f.width >= wanted.width * (1 - SIZE_TOLERANCE) && f.height >= wanted.height * (1 - SIZE_TOLERANCE);
  const covering = pool.filter(covers);
  if (covering.length) {
    const file = covering.reduce((best, f) => (pixels(f) < pixels(best) || (pixels(f) === pixels(best) && (f.bytes ?? 0) < (best.bytes ?? 0)) ? f : best));
    return { file, coversSize: true };
  }
  return { file: pool.reduce((best, f) => (pixels(f) > pixels(best) ? f : best)), coversSize: false };
}

export type RankedClip = { candidate: ClipCandidate; file: ClipFile; coversSize: boolean; coversDuration: boolean };

/** The clips a shot may use, best first, with the file to take of each. `foreignHosts` names
 *  the hosts of files left out because they are not allowed. */
export function rankClips(candidates: ClipCandidate[], wanted: ClipWanted, options: { hosts: MediaHosts; maxBytes: number }) {
  const foreignHosts = new Set<string>();
  const ranked: (RankedClip & { order: number })[] = [];
  candidates.forEach((candidate, order) => {
    if (orientationOf(candidate.width, candidate.height) !== wanted.orientation) return;
    const allowed = candidate.files.filter((f) => {
      const ok = options.hosts.allows(f.url);
      if (!ok) foreignHosts.add(options.hosts.hostOf(f.url));
      return ok;
    });
    const chosen = chooseFile(allowed, wanted, options.maxBytes);
    if (!chosen) return;
    ranked.push({ candidate, ...chosen, coversDuration: candidate.durationSec >= wanted.minDurationSec, order });
  });
  ranked.sort(
    (a, b) =>
      Number(b.coversDuration) - Number(a.coversDuration) ||
      Number(b.coversSize) - Number(a.coversSize) ||
      (a.coversSize ? 0 : pixels(b.file) - pixels(a.file)) ||
      a.order - b.order,
  );
  return { ranked: ranked.map(({ order: _, ...r }) => r), foreignHosts: [...foreignHosts] };
}

/**
 * Ranks the clips of a search answer, claims the best one no other shot of the video has, and
 * downloads and checks it. A clip that fails after its claim is given back (so a later try, or
 * another shot, may claim it) and the error is thrown, for the fallback chain to act on.
 */
export async function findClipAmong(
  provider: string,
  candidates: ClipCandidate[],
  wanted: ClipWanted,
  options: { hosts: MediaHosts; maxBytes: number },
  ctx: CallContext,
): Promise<FoundClip> {
  const query = `"${wanted.query.slice(0, 60)}"`;
  if (!candidates.length) throw new ProviderError(provider, "not_found", `no video found for ${query}`);
  const { ranked, foreignHosts } = rankClips(candidates, wanted, options);
  if (!ranked.length && foreignHosts.length) {
    throw new ProviderError(
      provider,
      "malformed",
      `the videos found for ${query} link to ${foreignHosts.join(", ")}, not to an allowed media host (${options.hosts.setting})`,
    );
  }
  if (!ranked.length) throw new ProviderError(provider, "not_found", `no ${wanted.orientation} video with a usable file found for ${query}`);
  for (const pick of ranked) {
    if (!(await wanted.claim(pick.candidate.sourceId))) continue;
    try {
      return await downloadClip(provider, pick.candidate, pick.file, wanted.dir, options, ctx);
    } catch (error) {
      await wanted.release(pick.candidate.sourceId, error instanceof ProviderError && error.kind === "malformed");
      throw error;
    }
  }
  throw new ProviderError(provider, "not_found", `every video found for ${query} is already used in this video`);
}
