import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { appendPeerAddress, clientAddress, parseTrustedProxies, resolveClientAddress } from "../../../../server/lib/client-address.ts";

const trusted = (text: string) => {
  const { ranges, invalid } = parseTrustedProxies(text);
  assert.deepEqual(invalid, []);
  return ranges;
};
const none = trusted("");

/** Sends one request from `localAddress` through a server that does what scripts/web-server.ts
 *  does, and answers what clientAddress makes of it. */
async function addressSeenBy(headers: Record<string, string>, trustedProxies = none, localAddress = "127.0.0.1") {
  const server = http.createServer((req, res) => {
    appendPeerAddress(req);
    const request = new Request(`http://aura.test${req.url}`, { headers: req.headers as Record<string, string> });
    res.end(clientAddress(request, trustedProxies));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: "127.0.0.1", port: (server.address() as AddressInfo).port, localAddress, headers }, (res) => {
        let body = "";
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => resolve(body));
      });
      req.on("error", reject);
      req.end();
    });
  } finally {
    server.close();
  }
}

describe("TRUSTED_PROXIES", () => {
  test("takes addresses and CIDR ranges, IPv4 and IPv6, and names each entry that is neither", () => {
    assert.deepEqual(parseTrustedProxies(" 10.0.0.1, 10.0.0.0/8 ,fd00::/8,, ::FFFF:192.168.1.1, ::1").ranges, [
      { network: "10.0.0.1", prefix: 32, family: "ipv4" },
      { network: "10.0.0.0", prefix: 8, family: "ipv4" },
      { network: "fd00::", prefix: 8, family: "ipv6" },
      { network: "192.168.1.1", prefix: 32, family: "ipv4" },
      { network: "::1", prefix: 128, family: "ipv6" },
    ]);
    assert.deepEqual(parseTrustedProxies("").ranges, []);
    assert.deepEqual(parseTrustedProxies("10.0.0.300, 10.0.0.0/33, fd00::/129, proxy.internal, 10.0.0.1/8/9, 10.0.0.1:80, 10.0.0.0/x, 10.1.2.3").invalid, [
      "10.0.0.300",
      "10.0.0.0/33",
      "fd00::/129",
      "proxy.internal",
      "10.0.0.1/8/9",
      "10.0.0.1:80",
      "10.0.0.0/x",
    ]);
  });
});

describe("the client address rule", () => {
  test("without trusted proxies the connection's address (the last entry) decides, whatever the client wrote", () => {
    assert.equal(resolveClientAddress("127.0.0.1", none), "127.0.0.1");
    assert.equal(resolveClientAddress("203.0.113.9, 127.0.0.1", none), "127.0.0.1");
    assert.equal(resolveClientAddress("203.0.113.9, 10.0.0.5, 127.0.0.1", trusted("10.0.0.0/8")), "127.0.0.1");
    assert.equal(resolveClientAddress("", none), null);
    assert.equal(resolveClientAddress(null, none), null);
  });

  test("behind trusted proxies, the first address from the right that is not one of them", () => {
    const proxies = trusted("10.0.0.0/8, ::1");
    assert.equal(resolveClientAddress("203.0.113.9, 10.0.0.5", proxies), "203.0.113.9");
    // What the client wrote left of the address its proxy saw is never read.
    assert.equal(resolveClientAddress("6.6.6.6, 203.0.113.9, 10.0.0.7, 10.0.0.5", proxies), "203.0.113.9");
    assert.equal(resolveClientAddress("2001:DB8::1, ::1", proxies), "2001:db8::1");
    // Ports, which some proxies write, are not part of the address.
    assert.equal(resolveClientAddress("203.0.113.9:4711, 10.0.0.5", proxies), "203.0.113.9");
    assert.equal(resolveClientAddress("[2001:db8::2]:443, 10.0.0.5", proxies), "2001:db8::2");
    // A request from the proxy itself, and an entry that is no address: the walk stops at the proxy.
    assert.equal(resolveClientAddress("10.0.0.5", proxies), "10.0.0.5");
    assert.equal(resolveClientAddress("10.0.0.7, 10.0.0.5", proxies), "10.0.0.7");
    assert.equal(resolveClientAddress("unknown, 10.0.0.5", proxies), "10.0.0.5");
    assert.equal(resolveClientAddress("203.0.113.9, , 10.0.0.5", proxies), "10.0.0.5");
  });

  test("an IPv4 connection on a dual-stack socket counts as IPv4", () => {
    assert.equal(resolveClientAddress("203.0.113.9, ::ffff:127.0.0.1", none), "127.0.0.1");
    assert.equal(resolveClientAddress("203.0.113.9, ::ffff:127.0.0.1", trusted("127.0.0.1")), "203.0.113.9");
  });
});

describe("clientAddress", () => {
  // First in the file: nothing has appended a peer address in this process yet.
  test("refuses to guess when the web server did not append the connection's address", () => {
    const request = new Request("http://aura.test/", { headers: { "x-forwarded-for": "203.0.113.9" } });
    assert.throws(() => clientAddress(request, none), /start the web app with scripts\/launch\.ts/);
  });

  test("a forged X-Forwarded-For does not move a client to another address", async () => {
    assert.equal(await addressSeenBy({}, none, "127.0.0.2"), "127.0.0.2");
    for (const forged of ["203.0.113.9", "198.51.100.1, 203.0.113.9", "127.0.0.3"]) {
      assert.equal(await addressSeenBy({ "x-forwarded-for": forged }, none, "127.0.0.2"), "127.0.0.2", forged);
    }
    assert.equal(await addressSeenBy({ "x-real-ip": "203.0.113.9", forwarded: "for=203.0.113.9" }, none, "127.0.0.2"), "127.0.0.2");
  });

  test("from a trusted proxy, the address it forwards", async () => {
    assert.equal(await addressSeenBy({ "x-forwarded-for": "203.0.113.9" }, trusted("127.0.0.2"), "127.0.0.2"), "203.0.113.9");
    assert.equal(await addressSeenBy({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }, trusted("127.0.0.0/8"), "127.0.0.4"), "203.0.113.9");
    // The same header from a connection that is not the proxy decides nothing.
    assert.equal(await addressSeenBy({ "x-forwarded-for": "203.0.113.9" }, trusted("127.0.0.2"), "127.0.0.5"), "127.0.0.5");
  });
});
