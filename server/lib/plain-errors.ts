// Raw failure text (a provider's reply, a schema path, a file path, a server setting's name)
// turned into plain words for the people who use Aura: what happened and what to do. The raw
// text stays where it was recorded (Job.errorMessage, step errors) for the admin's job detail;
// pages, the job stream, webhooks and the REST API show these words instead.

/** The names people know providers by (the catalog's labels say more than a sentence needs). */
const PROVIDER_NAMES: Record<string, string> = {
  openai: "OpenAI",
  "openai-video": "OpenAI video",
  elevenlabs: "ElevenLabs",
  ollama: "Ollama",
  piper: "Piper",
  pexels: "Pexels",
  "pexels-video": "Pexels",
  "pixabay-video": "Pixabay",
  "sd-webui": "Stable Diffusion WebUI",
  offline: "the offline writer",
  festival: "the offline voice",
  flite: "the offline voice",
  "espeak-ng": "the offline voice",
  "offline-card": "the offline illustrations",
  keyword: "keyword ranking",
};

export const providerName = (id: string | null | undefined) => (id ? (PROVIDER_NAMES[id] ?? id) : "The provider");

/** What happened (a sentence without its full stop, to follow "because") and what to do. */
export type PlainCause = { what: string; todo: string; kind: PlainKind };
export type PlainKind =
  | "auth"
  | "quota"
  | "rate_limit"
  | "timeout"
  | "unreachable"
  | "content"
  | "not_found"
  | "server"
  | "spend_limit"
  | "offline_mode"
  | "language"
  | "worker_secret"
  | "missing_file"
  | "server_setting"
  | "invalid_data"
  | "other";

const PROVIDERS_TODO = "Settings → Providers";

/** A provider id that starts a raw message ("openai: the API key was refused …"). */
function leadingProvider(raw: string) {
  const match = /^([a-z][a-z0-9-]*): /.exec(raw);
  return match && (match[1]! in PROVIDER_NAMES || match[1] === "render-worker") ? { id: match[1]!, rest: raw.slice(match[0].length) } : null;
}

/** A name like RENDER_WORKER_SECRET or OPENAI_API_KEY: a server setting, never shown to users. */
const ENV_NAME = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]{2,}\b/;

/** The cause of one raw failure, in plain words. `provider` names who failed when the text does not. */
export function plainCause(raw: string, provider?: string | null): PlainCause {
  const lead = leadingProvider(raw.trim());
  const text = lead?.rest ?? raw.trim();
  const who = providerName(lead?.id ?? provider);
  const t = text.toLowerCase();
  if (/render worker secret|render-worker.*(401|refused)/.test(t) || (lead?.id === "render-worker" && /401|403/.test(t)))
    return { kind: "worker_secret", what: "the render worker refused the server's secret", todo: "Ask your admin to check the render worker's secret." };
  if (/unhealthy at the last check/.test(t)) {
    const inner = plainCause(text.replace(/^unhealthy at the last check:\s*/i, ""), lead?.id ?? provider);
    return { ...inner, what: `${who} failed its last health check (${inner.what})` };
  }
  if (/offline mode/.test(t))
    return { kind: "offline_mode", what: "offline mode is on", todo: `Turn offline mode off in ${PROVIDERS_TODO} to use connected providers.` };
  if (/^does not speak /.test(t)) return { kind: "language", what: `${who} ${text}`, todo: `Connect a voice that speaks this language in ${PROVIDERS_TODO}.` };
  if (/spend limit|spend_limit/.test(t))
    return {
      kind: "spend_limit",
      what: "the workspace's monthly AI spend limit would have been passed",
      todo: "Ask an owner to raise the limit, or wait for next month.",
    };
  if (/an api key is required|no api key/.test(t)) return { kind: "auth", what: `${who} needs an API key`, todo: `Enter the ${who} key in ${PROVIDERS_TODO}.` };
  if (/api key was refused|invalid api key|incorrect api key|unauthori[sz]ed|\bhttp 40[13]\b/.test(t))
    return { kind: "auth", what: `${who} refused the API key`, todo: `Check the ${who} key in ${PROVIDERS_TODO} and save it again.` };
  if (/quota or credit|insufficient_quota|billing|out of credit/.test(t))
    return { kind: "quota", what: `${who} says the account is out of credit`, todo: `Add credit at ${who}, or choose another provider in ${PROVIDERS_TODO}.` };
  if (/rate limit|http 429|too many requests/.test(t))
    return { kind: "rate_limit", what: `${who} had too many requests at once`, todo: "Wait a minute, then retry." };
  if (/content policy|content_policy|moderation|safety system/.test(t))
    return { kind: "content", what: `${who} refused the content`, todo: "Reword the scene (its narration or picture prompt), then retry." };
  if (/no answer in time|timed out|timeout|etimedout|deadline/.test(t))
    return {
      kind: "timeout",
      what: `${who} did not answer in time`,
      todo: `Retry. If it keeps happening, check ${who}'s address in ${PROVIDERS_TODO}.`,
    };
  if (/econnrefused|enotfound|eai_again|econnreset|ehostunreach|could not connect|fetch failed|socket hang up|refused when connecting/.test(t))
    return {
      kind: "unreachable",
      what: `${who} could not be reached`,
      todo: `Check that it is running and that its address in ${PROVIDERS_TODO} is right, then retry.`,
    };
  if (/not found \(http 404\)|model .*not (found|exist)|voice .*not (found|exist)/.test(t))
    return { kind: "not_found", what: `${who} does not have the model or voice that is set`, todo: `Choose another model or voice in ${PROVIDERS_TODO}.` };
  if (/server error|http 5\d\d|bad gateway|service unavailable/.test(t))
    return { kind: "server", what: `${who} had a problem on its side`, todo: "Retry in a few minutes." };
  if (/enoent|no such file/.test(t))
    return {
      kind: "missing_file",
      what: "a file Aura needed was missing",
      todo: "Retry. If it happens again, ask your admin: the job's details name the file.",
    };
  if (ENV_NAME.test(text) || /environment variable|is not set|not configured on the server/.test(t))
    return {
      kind: "server_setting",
      what: "the server is missing a setting",
      todo: "Ask your admin to finish the server's setup: the job's details name the setting.",
    };
  if (isSchemaText(text))
    return {
      kind: "invalid_data",
      what: "a step got data it did not expect",
      todo: "Retry from this stage. If it happens again, ask your admin: the job's details have the reason.",
    };
  if (looksPlain(text)) return { kind: "other", what: text.replace(/[.\s]+$/, ""), todo: "" };
  return {
    kind: "other",
    what: lead || provider ? `${who} failed` : "something went wrong",
    todo: "Retry. If it happens again, ask your admin: the job's details have the reason.",
  };
}

/** A schema's complaint: a dotted path before the message, zod's own wording, or its JSON. */
function isSchemaText(text: string) {
  return (
    /^\s*\[\s*\{\s*"(code|expected|path)"/.test(text) ||
    /\b[\w]+(\.\d+|\.[\w]+)+: /.test(text) ||
    /invalid input: expected|expected (string|number|object|array), received/i.test(text)
  );
}

/** Text already meant for people: short, one line, none of the marks of a machine's answer.
 *  What it quotes (a scene's title, a character) is the user's own text: left out of the test,
 *  so a title with brackets or slashes does not turn "edit the scene" into "Retry". */
function looksPlain(text: string) {
  const bare = text.replace(/"[^"\n]*"|“[^”\n]*”/g, '""');
  return bare.length <= 200 && !/[{}[\]<>]|\/\w+\/|\bhttps?:|\bHTTP\b|Error:|\bat \S+:\d+|\bE[A-Z]{3,}\b/.test(bare);
}

const sentence = (s: string) => (s ? `${s[0]!.toUpperCase()}${s.slice(1)}.` : "");

/** Why a provider was passed over, as one sentence (the job page's "passed over" list). */
export const plainReason = (raw: string, provider?: string | null) => sentence(plainCause(raw, provider).what);

/** A whole failure message for people: what happened, then what to do. A chain where every
 *  provider failed says why the first (the one the workspace chose) failed. */
export function plainError(raw: string | null | undefined, context: { provider?: string | null; stage?: string | null } = {}): string {
  if (!raw) return "";
  const chain = /^every provider failed: (.*)$/s.exec(raw.trim());
  if (chain) {
    const failures = chain[1]!.split(/; (?=[a-z][a-z0-9-]*: )/);
    const first = plainCause(failures[0]!);
    const rest = failures.length > 1 ? " No other provider could stand in." : "";
    return `${sentence(first.what)}${rest}${first.todo ? ` ${first.todo}` : ""}`;
  }
  const cause = plainCause(raw, context.provider);
  const where = cause.kind === "other" && cause.what === "something went wrong" && context.stage ? ` in the ${context.stage} stage` : "";
  return `${sentence(cause.what + where)}${cause.todo ? ` ${cause.todo}` : ""}`;
}

/** A job event's payload with its failure text in plain words (the stored row keeps the raw). */
export function plainEventPayload(payload: unknown): unknown {
  if (!payload || typeof payload !== "object") return payload;
  const p = payload as Record<string, unknown>;
  const out: Record<string, unknown> = { ...p };
  const error = p.error as { stage?: string; provider?: string | null; reason?: string } | undefined;
  if (error && typeof error === "object" && typeof error.reason === "string")
    out.error = { ...error, reason: plainError(error.reason, { provider: error.provider, stage: error.stage }) };
  // A retry's message is its attempt's failure.
  if (typeof p.message === "string" && typeof p.attempt === "number" && typeof p.stepId === "string")
    out.message = plainError(p.message, { provider: p.provider as string | undefined, stage: p.stage as string | undefined });
  return out;
}
