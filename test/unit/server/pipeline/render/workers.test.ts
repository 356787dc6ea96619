// Which render workers the app knows: RENDER_WORKER_URL as a list, or with
// RENDER_WORKER_DISCOVERY=dns each URL's name resolved to all its addresses (asked again for
// every render, so workers that come and go are found).
import assert from "node:assert/strict";
import dns from "node:dns";
import { test } from "node:test";
import { setTestEnv } from "../../../../helpers/env.ts";

setTestEnv({
  DATABASE_URL: "postgresql://unused/aura",
  RENDER_WORKER_URL: "http://render-worker.test:4100, http://10.0.0.9:4100",
  RENDER_WORKER_DISCOVERY: "dns",
});
const { renderWorkerUrls } = await import("../../../../../server/pipeline/render/workers.ts");

test("a name that resolves to several addresses is one worker per address; an address stays as it is", async () => {
  const lookup = dns.promises.lookup;
  let answers = [
    { address: "10.0.0.5", family: 4 },
    { address: "fd00::7", family: 6 },
  ];
  dns.promises.lookup = (async (host: string) => (host === "render-worker.test" ? answers : lookup(host))) as typeof lookup;
  try {
    assert.deepEqual(await renderWorkerUrls(), ["http://10.0.0.5:4100", "http://[fd00::7]:4100", "http://10.0.0.9:4100"]);
    // A replica goes away and another comes: the next render sees the new set.
    answers = [{ address: "10.0.0.6", family: 4 }];
    assert.deepEqual(await renderWorkerUrls(), ["http://10.0.0.6:4100", "http://10.0.0.9:4100"]);
  } finally {
    dns.promises.lookup = lookup;
  }
});
