// The client's address, for per-address limits: the one place that reads X-Forwarded-For.
//
// `next start` hands a client's X-Forwarded-For on as sent and fills in the socket's address
// only when the request has none (`req.headers['x-forwarded-for'] ??= …socket.remoteAddress`
// in node_modules/next/dist/server/base-server.js, handleRequestImpl, Next.js 16.4.6), and a
// route handler, a server action or Auth.js's `authorize` gets a `Request` with no other trace
// of the socket. Checked against a production build (docs/deployment.md, "Behind a reverse
// proxy"): from 127.0.0.1, `X-Forwarded-For: 203.0.113.9` reached a route handler as just
// `203.0.113.9`, and an empty header as an empty one. So Aura serves Next.js from a server of
// its own (scripts/web-server.ts), which appends each connection's address to X-Forwarded-For
// the way a reverse proxy does: the last entry is always the socket's. Reading right to left,
// entries from TRUSTED_PROXIES are skipped, and the first address that is not a trusted proxy
// is the client. Whatever a client writes further left is never read.
import type { IncomingMessage } from "node:http";
import { BlockList, isIP } from "node:net";
import { log } from "./log.ts";

type Family = "ipv4" | "ipv6";
export type AddressRange = { readonly network: string; readonly prefix: number; readonly family: Family };
/** TRUSTED_PROXIES as parsed by {@link parseTrustedProxies}. */
export type TrustedProxies = readonly AddressRange[];

// Set by appendPeerAddress in the process's global scope: Next.js bundles this module apart from
// the copy scripts/web-server.ts imports, and a client cannot reach globalThis.
const globalForAddress = globalThis as unknown as { auraPeerAddressAppended?: boolean };

/** An address as sockets and proxies write it: `::ffff:`-mapped IPv4 becomes IPv4; with `port`,
 *  a trailing port (`1.2.3.4:5678`, `[2001:db8::1]:443`) is dropped. Null when it is no address. */
function parseAddress(text: string, { port }: { port: boolean }): { address: string; family: Family } | null {
  let value = text.trim();
  const bracketed = port ? /^\[([^\]]+)\](?::\d+)?$/.exec(value) : null;
  if (bracketed) value = bracketed[1]!;
  else if (port && /^[\d.]+:\d+$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(value);
  if (mapped) value = mapped[1]!;
  const version = isIP(value);
  if (version === 4) return { address: value, family: "ipv4" };
  if (version === 6) return { address: value.toLowerCase(), family: "ipv6" };
  return null;
}

/** Parses a comma-separated list of IP addresses and CIDR ranges (`10.0.0.1, 10.0.0.0/8, fd00::/8`);
 *  `invalid` lists the entries that are neither. */
export function parseTrustedProxies(text: string): { ranges: TrustedProxies; invalid: string[] } {
  const ranges: AddressRange[] = [];
  const invalid: string[] = [];
  for (const entry of text
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [addressText = "", prefixText, ...rest] = entry.split("/");
    const parsed = parseAddress(addressText, { port: false });
    const mapped = parsed?.family === "ipv4" && addressText.includes(":");
    const max = parsed?.family === "ipv6" ? 128 : 32;
    let prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : Number.NaN;
    if (mapped && prefixText !== undefined) prefix -= 96;
    if (!parsed || rest.length > 0 || !(prefix >= 0 && prefix <= max)) invalid.push(entry);
    else ranges.push({ network: parsed.address, prefix, family: parsed.family });
  }
  return { ranges, invalid };
}

const blockLists = new WeakMap<TrustedProxies, BlockList>();
function isTrusted(address: { address: string; family: Family }, trusted: TrustedProxies) {
  let list = blockLists.get(trusted);
  if (!list) {
    list = new BlockList();
    for (const range of trusted) list.addSubnet(range.network, range.prefix, range.family);
    blockLists.set(trusted, list);
  }
  try {
    return list.check(address.address, address.family);
  } catch {
    return false; // an address BlockList cannot read (an IPv6 zone) is no proxy of ours
  }
}

/**
 * The client's address from an X-Forwarded-For whose last entry is the socket's address. From
 * the right, trusted proxies are skipped; the first other address is the client. An entry that
 * is no address, written by a trusted proxy, stops the walk at that proxy; when every entry is
 * trusted, the leftmost is the client. Null when there is no entry.
 */
export function resolveClientAddress(forwardedFor: string | null, trusted: TrustedProxies): string | null {
  const entries = (forwardedFor ?? "").split(",");
  let client: string | null = null;
  for (let i = entries.length - 1; i >= 0; i--) {
    const address = parseAddress(entries[i]!, { port: true });
    if (!address) return client;
    client = address.address;
    if (!isTrusted(address, trusted)) return client;
  }
  return client;
}

/** For Aura's web server, on each request before Next.js sees it: appends the socket's address
 *  to X-Forwarded-For (Node.js has joined repeated headers into one). */
export function appendPeerAddress(req: IncomingMessage) {
  globalForAddress.auraPeerAddressAppended = true;
  const peer = req.socket.remoteAddress ?? "unknown";
  const sent = req.headers["x-forwarded-for"];
  req.headers["x-forwarded-for"] = sent ? `${sent}, ${peer}` : peer;
}

let warnedUntrustedForwarding = false;

/** The address of the client that sent `request`, by the rule above. Throws when the app was
 *  started without scripts/web-server.ts, where X-Forwarded-For may come from the client alone. */
export function clientAddress(request: Request, trusted: TrustedProxies): string {
  if (!globalForAddress.auraPeerAddressAppended) {
    throw new Error("The client's address is unknown: start the web app with scripts/launch.ts (npm start), not `next start` or `next dev`");
  }
  const forwardedFor = request.headers.get("x-forwarded-for") ?? "";
  const address = resolveClientAddress(forwardedFor, trusted);
  if (!address) throw new Error("The client's address is unknown: X-Forwarded-For has no socket address");
  // A reverse proxy left out of TRUSTED_PROXIES makes all its clients one address, which a few
  // wrong passwords then lock out: say so once.
  const lastComma = forwardedFor.lastIndexOf(",");
  if (!warnedUntrustedForwarding && lastComma >= 0 && address === resolveClientAddress(forwardedFor.slice(lastComma + 1), [])) {
    warnedUntrustedForwarding = true;
    log.warn("X-Forwarded-For not used: the connection is not from a proxy in TRUSTED_PROXIES (set it if Aura is behind a reverse proxy)", { peer: address });
  }
  return address;
}
