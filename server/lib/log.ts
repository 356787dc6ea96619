// Structured JSON logs, one object per line; jobs log with their correlation id.
export type Logger = {
  info: (msg: string, fields?: Record<string, unknown>) => void;
  warn: (msg: string, fields?: Record<string, unknown>) => void;
  error: (msg: string, fields?: Record<string, unknown>) => void;
  child: (fields: Record<string, unknown>) => Logger;
};

export function createLogger(base: Record<string, unknown> = {}): Logger {
  const emit =
    (level: string) =>
    (msg: string, fields: Record<string, unknown> = {}) => {
      if (process.env.AURA_QUIET_LOGS === "1" && level === "info") return;
      process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...base, ...fields })}\n`);
    };
  return { info: emit("info"), warn: emit("warn"), error: emit("error"), child: (fields) => createLogger({ ...base, ...fields }) };
}

export const log = createLogger({ service: "app" });
