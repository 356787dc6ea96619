// Finds the H.264 encoders that truly work on this machine. FFmpeg lists hardware encoders
// (NVENC, VAAPI, QSV, AMF) whether or not the hardware exists, so each one is tried with a
// tiny encode; the result is cached for the life of the process.
import { runFfmpeg } from "./ffmpeg.ts";

type Candidate = { name: string; kind: "software" | "nvenc" | "vaapi" | "qsv" | "amf"; args: string[] };

const source = ["-f", "lavfi", "-i", "color=c=black:s=256x256:r=30:d=0.1"];
const CANDIDATES: Candidate[] = [
  { name: "h264_nvenc", kind: "nvenc", args: [...source, "-frames:v", "2", "-c:v", "h264_nvenc"] },
  {
    name: "h264_vaapi",
    kind: "vaapi",
    args: ["-vaapi_device", "/dev/dri/renderD128", ...source, "-vf", "format=nv12,hwupload", "-frames:v", "2", "-c:v", "h264_vaapi"],
  },
  { name: "h264_qsv", kind: "qsv", args: [...source, "-frames:v", "2", "-c:v", "h264_qsv"] },
  { name: "h264_amf", kind: "amf", args: [...source, "-frames:v", "2", "-c:v", "h264_amf"] },
  { name: "libx264", kind: "software", args: [...source, "-frames:v", "2", "-c:v", "libx264", "-preset", "ultrafast"] },
];

export type EncoderReport = { name: string; kind: Candidate["kind"]; works: boolean; error?: string; trialMs: number };

let cached: Promise<EncoderReport[]> | null = null;

export function detectEncoders(): Promise<EncoderReport[]> {
  cached ??= Promise.all(
    CANDIDATES.map(async (c): Promise<EncoderReport> => {
      const started = performance.now();
      try {
        await runFfmpeg(["-hide_banner", "-nostdin", "-loglevel", "error", ...c.args, "-f", "null", "-"], { timeoutMs: 10_000 });
        return { name: c.name, kind: c.kind, works: true, trialMs: Math.round(performance.now() - started) };
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return { name: c.name, kind: c.kind, works: false, error: message.slice(0, 300), trialMs: Math.round(performance.now() - started) };
      }
    }),
  );
  return cached;
}

export type CudaReport = { works: boolean; error?: string; trialMs: number };

let cudaCached: Promise<CudaReport> | null = null;

/** Whether CUDA frames work here: a device opens, a frame goes up, scale_cuda scales it, and
 *  it comes back (the same trial-not-trust rule as the encoders). Cached for the process. */
export function detectCuda(): Promise<CudaReport> {
  cudaCached ??= (async () => {
    const started = performance.now();
    const trial = [
      "-init_hw_device",
      "cuda=cu",
      "-filter_hw_device",
      "cu",
      ...source,
      "-vf",
      "format=nv12,hwupload,scale_cuda=128:128,hwdownload,format=nv12",
      "-frames:v",
      "2",
    ];
    try {
      await runFfmpeg(["-hide_banner", "-nostdin", "-loglevel", "error", ...trial, "-f", "null", "-"], { timeoutMs: 10_000 });
      return { works: true, trialMs: Math.round(performance.now() - started) };
    } catch (error) {
      return { works: false, error: (error instanceof Error ? error.message : String(error)).slice(0, 300), trialMs: Math.round(performance.now() - started) };
    }
  })();
  return cudaCached;
}

const PREFERENCE = ["h264_nvenc", "h264_qsv", "h264_vaapi", "h264_amf", "libx264"] as const;

/** The fastest H.264 encoder that passed its trial: hardware first, libx264 last. */
export async function bestEncoder(): Promise<(typeof PREFERENCE)[number]> {
  const reports = await detectEncoders();
  return PREFERENCE.find((name) => reports.some((r) => r.name === name && r.works)) ?? "libx264";
}
