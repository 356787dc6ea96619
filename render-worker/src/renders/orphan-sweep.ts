// What a killed worker (SIGKILL, OOM, power loss) leaves behind: FFmpeg still running and
// its renders' temp directories. Each render's directory is named after the worker's pid and
// holds a pid file for each FFmpeg run, so a later worker can tell whose it is and stop it.
import { mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { isProcessAlive } from "@aura/render-contract";
import type { Logger } from "../log.ts";

const ORPHAN_DIR = /^render-.+-p(\d+)-[A-Za-z0-9]{6}$/;

/** A render's temp directory. The worker's pid in the name tells a later worker whose directory this is (sweepOrphans). */
export function makeWorkDir(tmpDir: string, renderId: string) {
  return mkdtemp(path.join(tmpDir, `render-${renderId}-p${process.pid}-`));
}

/** Records an FFmpeg run's pid in the work directory, for sweepOrphans after a crash. */
export function recordPid(work: string, name: string) {
  return (pid: number) => void writeFile(path.join(work, `ffmpeg-${name}.pid`), String(pid)).catch(() => {});
}

/**
 * After a worker was killed: stop the FFmpeg it left running and remove its temp directory.
 * Only directories of workers that are no longer alive are touched, so several workers can
 * share one temp directory.
 */
export async function sweepOrphans(tmpDir: string, log: Logger) {
  let entries: string[];
  try {
    entries = await readdir(tmpDir);
  } catch {
    return { directories: 0, processes: 0 };
  }
  let directories = 0;
  let processes = 0;
  for (const name of entries) {
    const owner = Number(ORPHAN_DIR.exec(name)?.[1]);
    if (!owner || owner === process.pid || isProcessAlive(owner)) continue;
    const dir = path.join(tmpDir, name);
    const pidFiles = (await readdir(dir).catch(() => [] as string[])).filter((f) => /^ffmpeg.*\.pid$/.test(f));
    for (const pidFile of pidFiles) {
      const pid = Number(await readFile(path.join(dir, pidFile), "utf8").catch(() => ""));
      // Kill only what is still FFmpeg (a pid can be reused by another program).
      const cmdline = pid ? await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "") : "";
      if (pid && cmdline.includes(dir)) {
        try {
          process.kill(-pid, "SIGKILL");
          processes++;
        } catch {}
      }
    }
    await rm(dir, { recursive: true, force: true });
    directories++;
  }
  if (directories) log.warn("removed what a stopped worker left behind", { directories, processes });
  return { directories, processes };
}
