import "reflect-metadata";
import { X509Certificate as NodeX509, webcrypto } from "node:crypto";
import { readdirSync } from "node:fs";
import * as x509 from "@peculiar/x509";
import { describe, expect, it } from "vitest";
import { fixture } from "../../../test/helpers/collect.js";
import { splitCertificates } from "./pem.js";
import { tbsFields } from "./profile.js";
import { quickRead } from "./quick-read.js";

/**
 * quickRead stands in for OpenSSL's reading in the batch checks: whenever it gives fields, OpenSSL
 * must parse the same certificate and agree on every one of them.
 */
function agreesWithOpenSsl(der: Uint8Array): boolean {
  const q = quickRead(der);
  if (!q) return false;
  let node: NodeX509;
  try {
    node = new NodeX509(der);
  } catch (e) {
    throw new Error(
      `quickRead accepted what OpenSSL refuses (${(e as Error).message}): ${Buffer.from(der).toString("hex")}`,
    );
  }
  const seen = {
    subject: q.subject,
    issuer: q.issuer,
    serialNumber: q.serialNumber,
    notBefore: q.notBefore,
    notAfter: q.notAfter,
    spki: Buffer.from(q.spki).toString("hex"),
    ca: q.ca ?? node.ca,
  };
  const expected = {
    subject: node.subject,
    issuer: node.issuer,
    serialNumber: node.serialNumber,
    notBefore: Date.parse(node.validFrom),
    notAfter: Date.parse(node.validTo),
    spki: Buffer.from(tbsFields(der)?.spki ?? []).toString("hex"),
    ca: node.ca,
  };
  expect(seen, Buffer.from(der).toString("hex")).toEqual(expected);
  return true;
}

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fixtureCerts = readdirSync(new URL("../../../test/fixtures/x509", import.meta.url))
  .filter((f) => f.endsWith(".pem"))
  .flatMap((f) => splitCertificates(fixture("x509", f)));

describe("quickRead against OpenSSL", () => {
  it("reads every fixture certificate as OpenSSL does", () => {
    expect(fixtureCerts.length).toBeGreaterThan(10);
    const read = fixtureCerts.filter(agreesWithOpenSsl).length;
    // The weak RSA fixture is version 3 too: all of them are of the common shape.
    expect(read).toBe(fixtureCerts.length);
  });

  it("agrees with OpenSSL on generated names, serials, dates and constraints", async () => {
    x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
    const alg = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
    const keys = await webcrypto.subtle.generateKey(alg, false, ["sign", "verify"]);
    const r = prng(9);
    // Characters printed as they are, and some OpenSSL escapes or converts (those are left to it).
    const plain = "abcXYZ019 '()./:=?-_@*&!%~";
    const hostile = `${plain},+;"<>#\\\u00e9\u0001`;
    const text = () => {
      const pool = r() < 0.6 ? plain : hostile;
      return Array.from({ length: 1 + Math.floor(r() * 12) }, () => pool[Math.floor(r() * pool.length)]).join(
        "",
      );
    };
    const types = ["CN", "O", "OU", "C", "L", "ST", "serialNumber", "E", "DC", "G", "SN", "T", "UID"];
    const dates = [
      "1950-01-01T00:00:00Z",
      "1999-12-31T23:59:59Z",
      "2024-02-29T12:00:00Z",
      "2049-12-31T23:59:59Z",
      "2050-01-01T00:00:00Z",
      "9999-12-31T23:59:59Z",
    ];
    let read = 0;
    for (let i = 0; i < 400; i++) {
      const rdn = () => `${types[Math.floor(r() * types.length)]}=${text().replace(/[,+=\\"]/g, "x")}`;
      const subject = Array.from({ length: 1 + Math.floor(r() * 3) }, rdn).join(", ");
      const from = dates[Math.floor(r() * 4)] as string;
      const to = dates[2 + Math.floor(r() * 4)] as string;
      const bc = r();
      const serialBytes = Array.from({ length: 1 + Math.floor(r() * 20) }, () => Math.floor(r() * 256));
      if (serialBytes[0] === 0 || (serialBytes[0] as number) >= 0x80)
        serialBytes[0] = 1 + Math.floor(r() * 126);
      let cert: x509.X509Certificate;
      try {
        cert = await x509.X509CertificateGenerator.create({
          serialNumber: Buffer.from(serialBytes).toString("hex"),
          subject,
          issuer: "CN=Batch CA, O=Northwind",
          notBefore: new Date(from),
          notAfter: new Date(to),
          signingAlgorithm: alg,
          publicKey: keys.publicKey,
          signingKey: keys.privateKey,
          extensions:
            bc < 0.3
              ? []
              : [new x509.BasicConstraintsExtension(bc > 0.7, bc > 0.85 ? 0 : undefined, bc > 0.5)],
        });
      } catch {
        continue; // a name the generator refuses
      }
      if (agreesWithOpenSsl(new Uint8Array(cert.rawData))) read++;
    }
    // Most generated names hold characters OpenSSL escapes: those are left to OpenSSL.
    expect(read).toBeGreaterThan(40);
  }, 60_000);

  it("never accepts what OpenSSL refuses or reads differently: 20,000 mutated certificates", () => {
    const r = prng(5280);
    const int = (n: number) => Math.floor(r() * n);
    let read = 0;
    for (let i = 0; i < 20_000; i++) {
      const b = Uint8Array.from(fixtureCerts[int(fixtureCerts.length)] as Uint8Array);
      for (let k = 0, n = 1 + int(3); k < n; k++) {
        const at = int(b.length);
        b[at] =
          int(4) === 0
            ? ([0, 0x7f, 0x80, 0xff, 0x30, 0x31, 0x0c, 0x13][int(8)] as number)
            : (b[at] as number) ^ (1 << int(8));
      }
      if (agreesWithOpenSsl(b)) read++;
    }
    expect(read).toBeGreaterThan(1000);
  }, 120_000);
});
