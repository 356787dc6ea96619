// Output formats and the export profiles built on them. H.264 MP4 is the default (and the
// only one that can use hardware encoders); the others encode in software.
import { encoderSettings, type EncoderName, type EncoderSettings, type Quality } from "./quality.ts";

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

export type FormatSettings = { video: EncoderSettings; audioArgs: string[]; muxerArgs: string[] };

const LEVEL = { draft: 0, standard: 1, premium: 2, maximum: 3 } as const;

/**
 * Video, audio and container arguments for a format. `h264Encoder` is the encoder chosen for
 * H.264 (hardware when one works); the other formats have one software encoder each.
 */
export function formatSettings(format: OutputFormat, quality: Quality, video: { width: number; height: number; fps: number }, h264Encoder: EncoderName = "libx264", options: { cuda?: boolean } = {}): FormatSettings {
  const level = LEVEL[quality];
  // FFmpeg's "fast" AAC coder: a third less time than its default (twoloop) at 192 kb/s.
  const aac = ["-c:a", "aac", "-aac_coder", "fast", "-b:a", "192k", "-ar", "48000", "-ac", "2"];
  const mp4 = ["-movflags", "+faststart", "-f", "mp4"];
  switch (format) {
    case "mp4-h264":
      return { video: encoderSettings(h264Encoder, quality, video, options), audioArgs: aac, muxerArgs: mp4 };
    case "mp4-hevc-hdr10": {
      const base = encoderSettings("libx265", quality, video);
      // SDR stills and cards, placed in a PQ/BT.2020 signal at 203 nits (ITU-R BT.2408 graphics white).
      const hdr = "hdr10=1:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,50):max-cll=1000,400:log-level=error";
      const args = base.videoArgs.map((a, i, all) => (all[i - 1] === "-pix_fmt" ? "yuv420p10le" : all[i - 1] === "-x265-params" ? hdr : a));
      return {
        video: {
          ...base,
          filterTail: ",zscale=tin=bt709:pin=bt709:min=bt709:t=smpte2084:p=bt2020:m=bt2020nc:npl=203,format=yuv420p10le",
          videoArgs: [...args, "-color_primaries", "bt2020", "-color_trc", "smpte2084", "-colorspace", "bt2020nc"],
        },
        audioArgs: aac,
        muxerArgs: mp4,
      };
    }
    case "webm-vp9":
      return {
        video: {
          name: "libvpx-vp9",
          inputArgs: [],
          filterTail: "",
          passes: 1,
          videoArgs: ["-c:v", "libvpx-vp9", "-b:v", "0", "-crf", ["40", "33", "30", "28"][level]!, "-deadline", "good", "-cpu-used", ["8", "4", "2", "1"][level]!, "-row-mt", "1", "-pix_fmt", "yuv420p"],
        },
        audioArgs: ["-c:a", "libopus", "-b:a", "160k", "-ar", "48000", "-ac", "2"],
        muxerArgs: ["-f", "webm"],
      };
    case "mov-prores":
      return {
        video: { name: "prores_ks", inputArgs: [], filterTail: ",format=yuv422p10le", passes: 1, videoArgs: ["-c:v", "prores_ks", "-profile:v", ["0", "2", "3", "3"][level]!, "-vendor", "apl0", "-pix_fmt", "yuv422p10le"] },
        audioArgs: ["-c:a", "pcm_s16le", "-ar", "48000", "-ac", "2"],
        muxerArgs: ["-f", "mov"],
      };
  }
}
