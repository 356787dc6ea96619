// Output formats and the export profiles built on them. H.264 MP4 is the default (and the
// only one the worker can encode with hardware); the others encode in software.

export const FORMATS = ["mp4-h264", "mp4-hevc-hdr10", "webm-vp9", "mov-prores"] as const;
export type OutputFormat = (typeof FORMATS)[number];

export const FORMAT_EXTENSION: Record<OutputFormat, string> = { "mp4-h264": ".mp4", "mp4-hevc-hdr10": ".mp4", "webm-vp9": ".webm", "mov-prores": ".mov" };

/** Ready-made targets: the size and the format a platform expects. */
export const EXPORT_PROFILES = {
  "youtube-1080p": { label: "YouTube 16:9 1080p", width: 1920, height: 1080, format: "mp4-h264" },
  "youtube-4k": { label: "YouTube 16:9 4K", width: 3840, height: 2160, format: "mp4-h264" },
  "vertical-1080": { label: "Shorts / TikTok / Reels 9:16", width: 1080, height: 1920, format: "mp4-h264" },
  "instagram-square": { label: "Instagram 1:1", width: 1080, height: 1080, format: "mp4-h264" },
  "instagram-portrait": { label: "Instagram 4:5", width: 1080, height: 1350, format: "mp4-h264" },
  "webm-vp9": { label: "WebM VP9 1080p", width: 1920, height: 1080, format: "webm-vp9" },
  "prores-master": { label: "ProRes 422 HQ master 1080p", width: 1920, height: 1080, format: "mov-prores" },
  "hdr-hevc": { label: "HDR10 HEVC 10-bit 2160p", width: 3840, height: 2160, format: "mp4-hevc-hdr10" },
} as const satisfies Record<string, { label: string; width: number; height: number; format: OutputFormat }>;
