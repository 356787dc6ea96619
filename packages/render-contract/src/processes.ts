// Both sides leave files named after the process that writes them (staging files
// `*.partial-<pid>-*` in the shared storage, the worker's `render-…-p<pid>-…` temp directories);
// whoever cleans up after a crash asks whether that process still runs.
/** Whether a process with this pid exists (on this machine). */
export function isProcessAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
