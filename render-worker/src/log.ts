// Structured JSON logs, one object per line, carrying the correlation id of the job.
export type Logger = {
  info: (msg: string, fields?: Record<string, unknown>) => void;
  warn: (msg: string, fields?: Record<string, unknown>) => void;
  error: (msg: string, fields?: Record<string, unknown>) => void;
  child: (fields: Record<string, unknown>) => Logger;
};

export function createLogger(base: Record<string, unknown>, write: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): Logger {
  const emit =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) =>
      write(JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields }));
  return { info: emit("info"), warn: emit("warn"), error: emit("error"), child: (fields) => createLogger({ ...base, ...fields }, write) };
}
