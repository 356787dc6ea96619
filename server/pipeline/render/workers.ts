// The render workers the app knows: RENDER_WORKER_URL (one URL or a comma-separated list),
// or with RENDER_WORKER_DISCOVERY=dns each URL's host name resolved to all its addresses (a
// headless service, a DNS round robin), one worker per address. Asked again whenever a render
// is placed, so workers that come and go are found. Their health (load, encoders, last
// contact) is recorded for the admin's System page.
import dns from "node:dns";
import net from "node:net";
import type { Db, Prisma } from "../../db/client.ts";
import { getEnv } from "../../env.ts";

export async function renderWorkerUrls(): Promise<string[]> {
  const env = getEnv();
  if (env.RENDER_WORKER_DISCOVERY === "list") return env.RENDER_WORKER_URL;
  const found = await Promise.all(
    env.RENDER_WORKER_URL.map(async (base) => {
      const url = new URL(base);
      if (net.isIP(url.hostname.replace(/^\[|\]$/g, ""))) return [base];
      const addresses = await dns.promises.lookup(url.hostname, { all: true }).catch(() => []);
      return addresses.map(({ address, family }) => {
        const each = new URL(base);
        each.hostname = family === 6 ? `[${address}]` : address;
        return each.href.replace(/\/$/, "");
      });
    }),
  );
  return [...new Set(found.flat())];
}

export type WorkerHealth = {
  url: string;
  /** Answered /health with the secret accepted: it can take renders. */
  ok: boolean;
  /** Answered at all (an HTTP answer of any status). */
  reachable: boolean;
  /** Accepted the shared secret; null when it could not be asked. */
  authenticated: boolean | null;
  /** The worker's own version (null for a worker too old to say, or one that did not answer). */
  version: string | null;
  running: number | null;
  capacity: number | null;
  encoders: string[];
  preferred: string | null;
  error: string | null;
  lastContactAt: Date | null;
};

type HealthBody = { running?: number; capacity?: number; encoders?: string[]; preferred?: string; version?: string; error?: string };
type Probed = { url: string; ok: boolean; reachable: boolean; authenticated: boolean | null; error: string | null; body: HealthBody | null };

/** Asks one worker for its health with the shared secret: whether it answers, whether it
 *  takes the secret (a 401 or 403 is a refused secret, told apart from being down), and what
 *  it says of its load, encoders and version. */
async function probeWorker(url: string, secret: string): Promise<Probed> {
  try {
    const response = await fetch(new URL("/health", url), { headers: { authorization: `Bearer ${secret}` }, signal: AbortSignal.timeout(3000) });
    const body = (await response.json().catch(() => ({}))) as HealthBody;
    if (response.status === 401 || response.status === 403)
      return {
        url,
        ok: false,
        reachable: true,
        authenticated: false,
        error: `refused the secret (HTTP ${response.status}: ${body.error ?? "no reason given"})`,
        body: null,
      };
    if (!response.ok)
      return { url, ok: false, reachable: true, authenticated: true, error: `HTTP ${response.status}: ${body.error ?? "no reason given"}`, body: null };
    return { url, ok: true, reachable: true, authenticated: true, error: null, body };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { url, ok: false, reachable: false, authenticated: null, error: cause?.code ?? (error as Error).message, body: null };
  }
}

/** Asks every known worker for its health (with the shared secret), records what it said, and
 *  returns each with its last contact (for one that does not answer now: when it last did). */
export async function probeRenderWorkers(db: Db): Promise<WorkerHealth[]> {
  const env = getEnv();
  const urls = await renderWorkerUrls();
  const now = new Date();
  const probed = await Promise.all(urls.map((url) => probeWorker(url, env.RENDER_WORKER_SECRET)));
  return Promise.all(
    probed.map(async (p) => {
      const health = (p.body ?? undefined) as Prisma.InputJsonValue | undefined;
      const row = await db.renderWorker.upsert({
        where: { url: p.url },
        create: { url: p.url, checkedAt: now, lastContactAt: p.ok ? now : null, error: p.error, health },
        update: { checkedAt: now, ...(p.ok ? { lastContactAt: now, health } : {}), error: p.error },
      });
      const body = (p.ok ? p.body : row.health) as HealthBody | null;
      return {
        url: p.url,
        ok: p.ok,
        reachable: p.reachable,
        authenticated: p.authenticated,
        version: body?.version ?? null,
        running: p.ok ? (body?.running ?? null) : null,
        capacity: body?.capacity ?? null,
        encoders: body?.encoders ?? [],
        preferred: body?.preferred ?? null,
        error: p.error,
        lastContactAt: row.lastContactAt,
      };
    }),
  );
}
