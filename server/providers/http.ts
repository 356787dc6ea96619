// Every HTTP call to a provider goes through here. The base URL is a user's setting, so it is
// checked before each call: http(s) only, no credentials in it, and no private, loopback or
// link-local address unless the server's PROVIDER_PRIVATE_HOSTS names that host and port (the
// defaults are Ollama's and SD WebUI's local ports). The check runs again when the socket
// connects, so a name that later resolves elsewhere is refused too. Answers that are not 2xx
// become classified ProviderErrors; every call has a timeout.
import dns from "node:dns";
import net from "node:net";
import { Agent, fetch as undiciFetch, type RequestInit as UndiciRequestInit, type Response } from "undici";
import { getEnv } from "../env.ts";
import { classifyHttp, errorMessageOf, parseRetryAfter, ProviderError, toProviderError } from "./errors.ts";
import { deadlineSignal } from "../lib/deadline.ts";

const never = new net.BlockList();
never.addSubnet("169.254.0.0", 16, "ipv4"); // link-local, where cloud metadata services live
never.addSubnet("224.0.0.0", 4, "ipv4");
never.addAddress("255.255.255.255", "ipv4");
never.addSubnet("fe80::", 10, "ipv6");
never.addSubnet("ff00::", 8, "ipv6");

const privateNets = new net.BlockList();
for (const [net4, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
] as const) {
  privateNets.addSubnet(net4, prefix, "ipv4");
}
privateNets.addAddress("::1", "ipv6");
privateNets.addAddress("::", "ipv6");
privateNets.addSubnet("fc00::", 7, "ipv6");
// IPv6 forms that carry an IPv4 address inside: IPv4-compatible (::a.b.c.d) and NAT64
// (64:ff9b::/96, and the local-use 64:ff9b:1::/48), which a gateway turns into that address.
privateNets.addSubnet("::", 96, "ipv6");
privateNets.addSubnet("64:ff9b::", 96, "ipv6");
privateNets.addSubnet("64:ff9b:1::", 48, "ipv6");

function normalise(address: string) {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** Webhooks are the workspace's URLs, not the server's providers: they have their own allow-list (empty by default). */
type Scope = "provider" | "webhook";
const scopeOf = (provider: string): Scope => (provider === "webhook" ? "webhook" : "provider");
const ALLOW_SETTING = { provider: "PROVIDER_PRIVATE_HOSTS", webhook: "WEBHOOK_PRIVATE_HOSTS" } as const;

function allowlist(scope: Scope) {
  return getEnv()
    [ALLOW_SETTING[scope]].split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

const bare = (host: string) => host.replace(/^\[|\]$/g, "").toLowerCase();

/** Why this address may not be called, or null when it may. `port` null: any allowed port. */
export function addressRefusal(host: string, address: string, port: string | null, scope: Scope = "provider") {
  const ip = normalise(address);
  const family = net.isIPv6(ip) ? "ipv6" : "ipv4";
  if (never.check(ip, family)) return `${ip} is a link-local or broadcast address`;
  if (!privateNets.check(ip, family)) return null;
  const h = bare(host);
  const allowed = allowlist(scope).some((entry) => {
    const at = entry.lastIndexOf(":");
    const [eh, ep] = at > 0 && !entry.endsWith("]") && !net.isIPv6(entry) ? [entry.slice(0, at), entry.slice(at + 1)] : [entry, "*"];
    return bare(eh) === h && (port === null || ep === "*" || ep === port);
  });
  return allowed ? null : `${h}${port ? `:${port}` : ""} is a private address; allow it with ${ALLOW_SETTING[scope]}`;
}

/** Checks a provider URL before any request; throws a config ProviderError naming the reason. */
export async function checkProviderUrl(provider: string, raw: string) {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ProviderError(provider, "config", `"${raw.slice(0, 100)}" is not a URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new ProviderError(provider, "config", `only http and https URLs are allowed, not ${url.protocol}`);
  if (url.username || url.password) throw new ProviderError(provider, "config", "the URL must not contain a user name or password");
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  const host = bare(url.hostname);
  const addresses = net.isIP(host)
    ? [host]
    : await dns.promises.lookup(host, { all: true }).then(
        (list) => list.map((a) => a.address),
        (error: NodeJS.ErrnoException) => {
          throw new ProviderError(provider, "transient", `cannot resolve ${host}: ${error.code ?? error.message}`, { cause: error });
        },
      );
  for (const address of addresses) {
    const refusal = addressRefusal(host, address, port, scopeOf(provider));
    if (refusal) throw new ProviderError(provider, "config", refusal);
  }
  return url;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void;

/** The connect-time check: the same rule, so a host cannot resolve to a private address later. */
const guardedLookup = (scope: Scope) => (hostname: string, options: dns.LookupOptions, callback: LookupCallback) => {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, "");
    for (const a of addresses) {
      const refusal = addressRefusal(hostname, a.address, null, scope);
      if (refusal) return callback(Object.assign(new Error(refusal), { code: "EADDRBLOCKED" }), "");
    }
    if (options.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

const agents = new Map<Scope, Agent>();
function getAgent(provider: string) {
  const scope = scopeOf(provider);
  let agent = agents.get(scope);
  if (!agent) {
    agent = new Agent({ connect: { lookup: guardedLookup(scope) as never }, keepAliveTimeout: 10_000 });
    agents.set(scope, agent);
  }
  return agent;
}

export type ProviderCallOptions = {
  timeoutMs: number;
  signal?: AbortSignal;
  /** For an API that answers 429 without Retry-After: the header that says in how many
   *  seconds its rate limit ends (Pixabay's X-RateLimit-Reset). */
  rateLimitResetHeader?: string;
};

function callSignal(options: ProviderCallOptions) {
  return deadlineSignal(options.timeoutMs, options.signal);
}

/**
 * Redirects are never followed: each hop would be a request to an address nobody checked (an
 * allowed host answering 302 to 127.0.0.1 or the cloud metadata address). A redirect is
 * refused as a setting to fix, naming only where it pointed, and its body is never read.
 */
async function refuseRedirect(
  provider: string,
  response: { status: number; headers: { get(name: string): string | null }; body: { cancel(): Promise<void> } | null },
) {
  if (response.status < 300 || response.status > 399) return;
  await response.body?.cancel().catch(() => {});
  let to = "";
  try {
    to = ` to ${new URL(response.headers.get("location") ?? "", "http://x").host}`;
  } catch {}
  throw new ProviderError(
    provider,
    "config",
    `the address answered with a redirect (HTTP ${response.status}${to}); redirects are not followed: use the final address`,
  );
}

/** The most an SDK's answer may hold (a chat completion, a list of models); more is refused. */
export const SDK_ANSWER_MAX_BYTES = 16 * 1024 * 1024;

/** An SDK's multipart body (OpenAI's video create) is Node's own FormData, which the undici
 *  package's fetch does not take for one (it sent "[object FormData]"): encoded here, with its
 *  boundary in the content type. */
async function encodeFormBody(init: RequestInit | undefined) {
  if (!(init?.body instanceof globalThis.FormData)) return init;
  const encoded = new globalThis.Response(init.body);
  const headers = new globalThis.Headers(init.headers);
  headers.set("content-type", encoded.headers.get("content-type") ?? "multipart/form-data");
  return { ...init, headers, body: Buffer.from(await encoded.arrayBuffer()) };
}

/** fetch for SDKs (the openai client takes one): checked URL, guarded connect, our dispatcher,
 *  no redirects, and an answer body that errors once it passes `maxBytes`. */
export function guardedFetch(provider: string, maxBytes = SDK_ANSWER_MAX_BYTES) {
  return async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    await checkProviderUrl(provider, url);
    const request = await encodeFormBody(init);
    const response = await undiciFetch(url, { ...(request as UndiciRequestInit), redirect: "manual", dispatcher: getAgent(provider) });
    await refuseRedirect(provider, response);
    const declared = Number(response.headers.get("content-length"));
    if (declared > maxBytes) {
      await response.body?.cancel().catch(() => {});
      throw new ProviderError(provider, "malformed", `the answer is ${declared} bytes, more than the ${maxBytes} allowed`);
    }
    if (!response.body) return response as unknown as globalThis.Response;
    let total = 0;
    const capped = (response.body as unknown as ReadableStream<Uint8Array>).pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          total += chunk.byteLength;
          if (total > maxBytes) controller.error(new ProviderError(provider, "malformed", `the answer is more than the ${maxBytes} bytes allowed`));
          else controller.enqueue(chunk);
        },
      }),
    );
    return new globalThis.Response(capped, { status: response.status, statusText: response.statusText, headers: response.headers as unknown as Headers });
  };
}

/** The error code an API put in its body, in the shapes OpenAI and ElevenLabs use. */
function errorCodeOf(body: string) {
  try {
    const json = JSON.parse(body) as { error?: { code?: unknown; type?: unknown }; detail?: { status?: unknown } };
    const code = json.error?.code ?? json.error?.type ?? json.detail?.status;
    return typeof code === "string" ? code : undefined;
  } catch {
    return undefined;
  }
}

type BodyResponse = { headers: { get(name: string): string | null }; body: unknown };

/** A body's chunks as they arrive, at most `maxBytes` in all: a declared length past it is
 *  refused before anything is read, and a body that passes it stops there. `what` names the
 *  body in the error ("the answer", "the clip pexels-video:12"). */
export async function* cappedBody(provider: string, response: BodyResponse, maxBytes: number, what = "the answer"): AsyncGenerator<Uint8Array> {
  const declared = Number(response.headers.get("content-length"));
  if (declared > maxBytes) throw new ProviderError(provider, "malformed", `${what} is ${declared} bytes, more than the ${maxBytes} allowed`);
  let total = 0;
  for await (const chunk of (response.body ?? []) as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new ProviderError(provider, "malformed", `${what} is more than the ${maxBytes} bytes allowed`);
    yield chunk;
  }
}

/** Reads at most `maxBytes` of a body; more is a malformed answer, not an out-of-memory. */
export async function readBody(provider: string, response: BodyResponse, maxBytes: number) {
  const chunks: Buffer[] = [];
  for await (const chunk of cappedBody(provider, response, maxBytes)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

/** One HTTP request to a provider: checked, timed out, and classified when it fails. */
export async function providerFetch(provider: string, url: string, init: UndiciRequestInit, options: ProviderCallOptions): Promise<Response> {
  await checkProviderUrl(provider, url);
  const signal = callSignal(options);
  let response: Response;
  try {
    response = await undiciFetch(url, { ...init, redirect: "manual", signal, dispatcher: getAgent(provider) });
  } catch (error) {
    throw toProviderError(provider, error, options.signal);
  }
  if (response.ok) return response;
  await refuseRedirect(provider, response);
  const body = (await readBody(provider, response, 64 * 1024).catch(() => Buffer.alloc(0))).toString("utf8");
  throw classifyHttp(provider, response.status, errorMessageOf(body), { code: errorCodeOf(body), retryAfterMs: retryAfterOf(response, options) });
}

function retryAfterOf(response: Response, options: ProviderCallOptions) {
  const asked = parseRetryAfter(response.headers);
  if (asked !== undefined || response.status !== 429 || !options.rateLimitResetHeader) return asked;
  const seconds = Number(response.headers.get(options.rateLimitResetHeader) ?? "");
  return response.headers.has(options.rateLimitResetHeader) && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** A JSON answer, parsed; a body that is not JSON is a malformed answer. */
export async function providerJson(provider: string, url: string, init: UndiciRequestInit, options: ProviderCallOptions & { maxBytes?: number }) {
  const response = await providerFetch(provider, url, init, options);
  let text: string;
  try {
    text = (await readBody(provider, response, options.maxBytes ?? 8 * 1024 * 1024)).toString("utf8");
  } catch (error) {
    throw toProviderError(provider, error, options.signal);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProviderError(provider, "malformed", `the answer is not JSON (${Buffer.byteLength(text)} bytes, not shown)`);
  }
}

export function joinUrl(base: string, path: string) {
  return `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
}
