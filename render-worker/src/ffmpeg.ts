// Runs FFmpeg and ffprobe as child processes with argument arrays (never a shell),
// parses `-progress` output, and stops a run on request: SIGTERM, then SIGKILL.
import { spawn } from "node:child_process";

/** `frames`: frames written so far (the last block's count is the whole output's). */
export type FfmpegProgress = { outTimeSec: number; frames: number | null; fps: number | null; speed: number | null; done: boolean };

/** Parses one block of `-progress` key=value lines. */
export function parseProgressBlock(block: Record<string, string>): FfmpegProgress {
  const us = Number(block.out_time_us ?? block.out_time_ms);
  const fps = Number(block.fps);
  const speed = Number(String(block.speed ?? "").replace("x", ""));
  const frames = block.frame === undefined ? Number.NaN : Number(block.frame);
  return {
    outTimeSec: Number.isFinite(us) && us > 0 ? us / 1e6 : 0,
    frames: Number.isInteger(frames) && frames >= 0 ? frames : null,
    fps: Number.isFinite(fps) && fps > 0 ? fps : null,
    speed: Number.isFinite(speed) && speed > 0 ? speed : null,
    done: block.progress === "end",
  };
}

export class FfmpegError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(message);
  }
}

export type RunOptions = {
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress) => void;
  timeoutMs?: number;
  binary?: string;
  /** Called with FFmpeg's pid (also its process group id) once it runs. */
  onSpawn?: (pid: number) => void;
  /** Called with each stderr line as it comes: the stderr returned keeps only its end. */
  onStderrLine?: (line: string) => void;
};

export function runFfmpeg(args: string[], options: RunOptions = {}): Promise<{ stderr: string }> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) return reject(new FfmpegError("cancelled", "", null, null));
    // Its own process group, so that a cancel reaches every process FFmpeg starts.
    const child = spawn(options.binary ?? "ffmpeg", args, { stdio: ["ignore", "pipe", "pipe"], detached: true });
    if (child.pid) options.onSpawn?.(child.pid);
    let stderr = "";
    let stderrPending = "";
    let pending = "";
    let block: Record<string, string> = {};
    let killTimer: NodeJS.Timeout | undefined;
    let reason: string | null = null;
    const stop = (why: string) => {
      if (reason) return;
      reason = why;
      try {
        process.kill(-child.pid!, "SIGTERM");
      } catch {}
      killTimer = setTimeout(() => {
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {}
      }, 2000);
    };
    const onAbort = () => stop("cancelled");
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const timeout = options.timeoutMs ? setTimeout(() => stop(`timed out after ${options.timeoutMs} ms`), options.timeoutMs) : undefined;

    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const eq = line.indexOf("=");
        if (eq < 0) continue;
        const key = line.slice(0, eq).trim();
        block[key] = line.slice(eq + 1).trim();
        if (key === "progress") {
          options.onProgress?.(parseProgressBlock(block));
          block = {};
        }
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-20000);
      if (!options.onStderrLine) return;
      stderrPending += chunk;
      const lines = stderrPending.split("\n");
      stderrPending = lines.pop() ?? "";
      for (const line of lines) options.onStderrLine(line.replace(/\r$/, ""));
    });
    child.on("error", (err) => reject(new FfmpegError(`could not start ${options.binary ?? "ffmpeg"}: ${err.message}`, stderr, null, null)));
    child.on("close", (code, signal) => {
      if (stderrPending) options.onStderrLine?.(stderrPending);
      clearTimeout(timeout);
      clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      if (reason) return reject(new FfmpegError(reason, stderr, code, signal));
      if (code === 0) return resolve({ stderr });
      const lastLine = stderr.trim().split("\n").slice(-3).join(" | ");
      reject(new FfmpegError(`ffmpeg exited with ${code ?? signal}: ${lastLine}`, stderr, code, signal));
    });
  });
}

export type ProbeResult = {
  durationSec: number;
  video: { width: number; height: number; codec: string; frames: number | null } | null;
  audio: { codec: string; sampleRate: number; channels: number } | null;
  chapters: { start: number; end: number; title: string }[];
};

export function ffprobe(file: string): Promise<ProbeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("ffprobe", ["-v", "error", "-print_format", "json", "-show_format", "-show_streams", "-show_chapters", file], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.setEncoding("utf8").on("data", (c) => (out += c));
    child.stderr.setEncoding("utf8").on("data", (c) => (err += c));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`ffprobe failed on ${file}: ${err.trim()}`));
      const data = JSON.parse(out) as {
        format: { duration?: string };
        streams: Record<string, string | number>[];
        chapters?: { start_time: string; end_time: string; tags?: { title?: string } }[];
      };
      const v = data.streams.find((s) => s.codec_type === "video");
      const a = data.streams.find((s) => s.codec_type === "audio");
      resolve({
        durationSec: Number(data.format.duration ?? 0),
        video: v ? { width: Number(v.width), height: Number(v.height), codec: String(v.codec_name), frames: v.nb_frames ? Number(v.nb_frames) : null } : null,
        audio: a ? { codec: String(a.codec_name), sampleRate: Number(a.sample_rate), channels: Number(a.channels) } : null,
        chapters: (data.chapters ?? []).map((c) => ({ start: Number(c.start_time), end: Number(c.end_time), title: c.tags?.title ?? "" })),
      });
    });
  });
}
