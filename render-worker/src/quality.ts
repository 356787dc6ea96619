// Quality presets, mapped to each encoder's own settings. Software encoders get two passes
// at Premium and Maximum (a bitrate target from bits per pixel); NVENC does its multipass
// inside one run; the other hardware encoders run one pass at a fixed quality.
import type { RenderSpec } from "@aura/render-contract";

export type Quality = RenderSpec["quality"];
export type EncoderName = "libx264" | "libx265" | "h264_nvenc" | "h264_qsv" | "h264_vaapi" | "h264_amf";

export type EncoderSettings = {
  name: EncoderName | "libvpx-vp9" | "prores_ks";
  /** Before the inputs (device set-up). */
  inputArgs: string[];
  /** Appended to the video chain before it reaches the encoder (upload to the device). */
  filterTail: string;
  videoArgs: string[];
  /** 2: run FFmpeg twice, `-pass 1` then `-pass 2`, sharing a pass log. */
  passes: 1 | 2;
};

const LEVEL = { draft: 0, standard: 1, premium: 2, maximum: 3 } as const;
/** Bits per pixel per frame for the two-pass bitrate target. */
const BITS_PER_PIXEL = { premium: 0.12, maximum: 0.2 } as const;

export function targetBitrateKbps(quality: "premium" | "maximum", width: number, height: number, fps: number) {
  return Math.round((width * height * fps * BITS_PER_PIXEL[quality]) / 1000);
}

/** `cuda`: CUDA frames work here (encoders.ts detectCuda), so NVENC is handed frames already
 *  in GPU memory, uploaded once at the end of the chain. */
export function encoderSettings(
  name: EncoderName,
  quality: Quality,
  video: { width: number; height: number; fps: number },
  options: { cuda?: boolean } = {},
): EncoderSettings {
  const level = LEVEL[quality];
  const pick = <T>(values: readonly [T, T, T, T]) => values[level]!;
  const base = { name, inputArgs: [] as string[], filterTail: "", passes: 1 as 1 | 2 };
  const twoPass = (quality === "premium" || quality === "maximum") && (name === "libx264" || name === "libx265");
  const bitrate = twoPass ? targetBitrateKbps(quality as "premium" | "maximum", video.width, video.height, video.fps) : 0;
  const rate = twoPass ? ["-b:v", `${bitrate}k`, "-maxrate", `${Math.round(bitrate * 1.5)}k`, "-bufsize", `${bitrate * 2}k`] : [];
  switch (name) {
    case "libx264":
      return {
        ...base,
        passes: twoPass ? 2 : 1,
        videoArgs: [
          "-c:v",
          "libx264",
          "-preset",
          pick(["ultrafast", "veryfast", "medium", "slow"] as const),
          ...(twoPass ? rate : ["-crf", pick(["28", "21", "", ""] as const)]),
          "-profile:v",
          "high",
          "-pix_fmt",
          "yuv420p",
        ],
      };
    case "libx265":
      return {
        ...base,
        passes: twoPass ? 2 : 1,
        videoArgs: [
          "-c:v",
          "libx265",
          "-preset",
          pick(["ultrafast", "fast", "medium", "slow"] as const),
          ...(twoPass ? rate : ["-crf", pick(["30", "24", "", ""] as const)]),
          "-tag:v",
          "hvc1",
          "-pix_fmt",
          "yuv420p",
          "-x265-params",
          "log-level=error",
        ],
      };
    case "h264_nvenc":
      return {
        ...base,
        ...(options.cuda ? { inputArgs: ["-init_hw_device", "cuda=cu", "-filter_hw_device", "cu"], filterTail: ",hwupload" } : {}),
        // CUDA frames carry their own format (yuv420p inside): asking for a pixel format there
        // would make FFmpeg try to convert frames that are in GPU memory.
        videoArgs: [
          "-c:v",
          "h264_nvenc",
          "-preset",
          pick(["p1", "p4", "p6", "p7"] as const),
          "-tune",
          "hq",
          "-rc",
          "vbr",
          "-cq",
          pick(["28", "23", "20", "18"] as const),
          "-b:v",
          "0",
          ...(level >= 2 ? ["-multipass", "fullres"] : []),
          ...(options.cuda ? [] : ["-pix_fmt", "yuv420p"]),
        ],
      };
    case "h264_qsv":
      return {
        ...base,
        videoArgs: [
          "-c:v",
          "h264_qsv",
          "-preset",
          pick(["veryfast", "medium", "slow", "veryslow"] as const),
          "-global_quality",
          pick(["28", "23", "20", "18"] as const),
        ],
      };
    case "h264_vaapi":
      return {
        ...base,
        inputArgs: ["-vaapi_device", "/dev/dri/renderD128"],
        filterTail: ",format=nv12,hwupload",
        videoArgs: ["-c:v", "h264_vaapi", "-rc_mode", "CQP", "-qp", pick(["28", "23", "20", "18"] as const)],
      };
    case "h264_amf":
      return {
        ...base,
        videoArgs: [
          "-c:v",
          "h264_amf",
          "-quality",
          pick(["speed", "balanced", "quality", "quality"] as const),
          "-rc",
          "cqp",
          "-qp_i",
          pick(["28", "23", "20", "18"] as const),
          "-qp_p",
          pick(["30", "25", "22", "20"] as const),
        ],
      };
  }
}
