import { isIP } from "node:net";

/** Names proxy-addr (Fastify's trustProxy) knows for address ranges. */
const NAMED = new Set(["loopback", "linklocal", "uniquelocal"]);

/**
 * Checks the addresses of trusted reverse proxies (`--trust-proxy`): IPv4 or IPv6 addresses, CIDR
 * ranges, or proxy-addr's names `loopback`, `linklocal`, `uniquelocal`; comma-separated values are
 * split. Only a request arriving from one of them has its X-Forwarded-For believed, and only for
 * the hops that are trusted: the client is the last address a trusted proxy vouches for. A range
 * that covers every address would let any client choose its own address (and so its own login
 * rate-limit bucket): refused. Returns the list, or throws naming the bad entry.
 */
export function trustedProxies(values: string[]): string[] {
  const out: string[] = [];
  for (const value of values.flatMap((v) => v.split(","))) {
    const entry = value.trim();
    if (entry === "") continue;
    if (NAMED.has(entry)) {
      out.push(entry);
      continue;
    }
    const [address = "", prefix, extra] = entry.split("/");
    const family = isIP(address);
    if (family === 0 || extra !== undefined)
      throw new Error(
        `${JSON.stringify(entry)} is not an IP address, a CIDR range or one of ${[...NAMED].join(", ")}`,
      );
    if (prefix !== undefined) {
      const bits = Number(prefix);
      const max = family === 4 ? 32 : 128;
      if (!/^\d{1,3}$/.test(prefix) || bits > max)
        throw new Error(`${JSON.stringify(entry)}: the prefix length must be 0 to ${max}`);
      if (bits === 0)
        throw new Error(
          `${JSON.stringify(entry)} trusts every address: any client could then choose its own address; name the proxies`,
        );
    }
    out.push(entry);
  }
  return out;
}

/** `--public-url`: the address users reach Cairn at. https:// means cookies are Secure and HSTS is sent. */
export function publicUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${JSON.stringify(value)} is not a URL (give e.g. https://cairn.example.org)`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    throw new Error(`${JSON.stringify(value)}: the public URL is http:// or https://`);
  return url;
}
