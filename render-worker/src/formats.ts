// The FFmpeg settings of each output format (the formats themselves are the render
// contract's). H.264 MP4 is the only one that can use hardware encoders; the others encode
// in software.
import os from "node:os";
import type { OutputFormat } from "@aura/render-contract";
import { encoderSettings, type EncoderName, type EncoderSettings, type Quality } from "./quality.ts";

export type FormatSettings = { video: EncoderSettings; audioArgs: string[]; muxerArgs: string[] };

const LEVEL = { draft: 0, standard: 1, premium: 2, maximum: 3 } as const;

/**
 * Video, audio and container arguments for a format. `h264Encoder` is the encoder chosen for
 * H.264 (hardware when one works); the other formats have one software encoder each.
 */
export function formatSettings(
  format: OutputFormat,
  quality: Quality,
  video: { width: number; height: number; fps: number },
  h264Encoder: EncoderName = "libx264",
  options: { cuda?: boolean } = {},
): FormatSettings {
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
      const hdr =
        "hdr10=1:colorprim=bt2020:transfer=smpte2084:colormatrix=bt2020nc:master-display=G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(10000000,50):max-cll=1000,400:log-level=error";
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
          videoArgs: [
            "-c:v",
            "libvpx-vp9",
            "-b:v",
            "0",
            "-crf",
            ["40", "33", "30", "28"][level]!,
            "-deadline",
            "good",
            "-cpu-used",
            ["8", "4", "2", "1"][level]!,
            "-row-mt",
            "1",
            "-pix_fmt",
            "yuv420p",
          ],
        },
        audioArgs: ["-c:a", "libopus", "-b:a", "160k", "-ar", "48000", "-ac", "2"],
        muxerArgs: ["-f", "webm"],
      };
    case "mov-prores":
      return {
        video: {
          name: "prores_ks",
          inputArgs: [],
          filterTail: ",format=yuv422p10le",
          passes: 1,
          videoArgs: ["-c:v", "prores_ks", "-profile:v", ["0", "2", "3", "3"][level]!, "-vendor", "apl0", "-pix_fmt", "yuv422p10le"],
        },
        audioArgs: ["-c:a", "pcm_s16le", "-ar", "48000", "-ac", "2"],
        muxerArgs: ["-f", "mov"],
      };
  }
}

/**
 * libx264's own threads when `parallel` FFmpeg processes encode at once: the cores split
 * evenly between them (one each on a machine with as many cores as processes). Its default,
 * 1.5 threads a core in every process, took about a tenth more CPU time and more memory per
 * process for the same frames (docs/performance.md). Other encoders keep their defaults.
 */
export function encoderThreadArgs(encoder: string, parallel: number, cores = os.availableParallelism()) {
  return encoder === "libx264" ? ["-threads", String(Math.max(1, Math.floor(cores / Math.max(1, parallel))))] : [];
}
