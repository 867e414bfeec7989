// Collectors of issue 12 in process: each kind on a typical file, CSAF's mandatory tests on a 1 MB
// advisory, and a batch of 10,000 device certificates checked for uniqueness. Run with `npm run bench`.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Collector, CollectorContext } from "../src/collect/contract.js";
import { csafCollector } from "../src/collect/csaf/index.js";
import { firmwareCollector } from "../src/collect/firmware/index.js";
import { mudCollector } from "../src/collect/mud/index.js";
import { osvScannerCollector } from "../src/collect/osv-scanner/index.js";
import { collectorKinds, detectKinds } from "../src/collect/registry.js";
import { scanCollector } from "../src/collect/scan/index.js";
import { securityTxtCollector } from "../src/collect/security-txt/index.js";
import { sha256Hex } from "../src/collect/support/report.js";
import { x509Collector } from "../src/collect/x509/index.js";
import { fmt, report } from "./stats.js";

const fixture = (kind: string, name: string) => new Uint8Array(readFileSync(`test/fixtures/${kind}/${name}`));
const input = (bytes: Uint8Array) => ({ bytes, info: { sha256: sha256Hex(bytes), bytes: bytes.byteLength } });

async function time(
  c: Collector,
  bytes: Uint8Array,
  context: CollectorContext,
  runs: number,
): Promise<number[]> {
  const inp = input(bytes);
  await c.collect(inp, context); // warm: imports, JIT
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await c.collect(inp, context);
    out.push(performance.now() - t);
  }
  return out;
}

/** The Northwind advisory grown to about 1 MB: more products and vulnerabilities of the same shape. */
export function bigAdvisory(targetBytes = 1_000_000): Uint8Array {
  const doc = JSON.parse(new TextDecoder().decode(fixture("csaf", "northwind/nwc-2026-0007.json")));
  const versions = doc.product_tree.branches[0].branches[0].branches;
  const vulns = doc.vulnerabilities;
  const template = vulns[0];
  let i = 0;
  while (JSON.stringify(doc).length < targetBytes) {
    i++;
    const id = `T800-4.${Math.floor(i / 100)}.${i % 100}-b${i}`;
    versions.push({
      category: "product_version",
      name: `4.${Math.floor(i / 100)}.${i % 100}-b${i}`,
      product: { name: `Northwind Controls T-800 ${id}`, product_id: id },
    });
    if (i % 4 === 0)
      vulns.push({
        ...template,
        cve: `CVE-2026-${String(40000 + i).padStart(5, "0")}`,
        product_status: { known_affected: [id], fixed: ["T800-4.2.0"] },
        remediations: [{ category: "vendor_fix", details: "Update to firmware 4.2.0.", product_ids: [id] }],
      });
  }
  return new TextEncoder().encode(JSON.stringify(doc));
}

/**
 * 10,000 distinct device certificates from one DAC: a four-byte serial number and the public key
 * replaced (signatures are not checked without a trust anchor), every other field as the DAC has it.
 */
export function certificateBatch(n = 10_000): Uint8Array {
  const pem = new TextDecoder().decode(fixture("x509", "matterjs-DAC-FFF1-8000.pem"));
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ""), "base64");
  // Certificate and TBSCertificate both have two-byte lengths (30 82 xx xx); the serial follows the
  // version ([0] { INTEGER 2 }) as a one-byte INTEGER, replaced by a four-byte one.
  const version = der.indexOf(Buffer.from([0xa0, 0x03, 0x02, 0x01, 0x02]));
  if (der[0] !== 0x30 || der[1] !== 0x82 || der[4] !== 0x30 || der[5] !== 0x82 || version !== 8)
    throw new Error("the DAC fixture no longer has the layout this batch is built from");
  const serialAt = version + 5;
  const oldSerial = 2 + (der[serialAt + 1] as number);
  const grown = 6 - oldSerial;
  const template = Buffer.concat([
    der.subarray(0, serialAt),
    Buffer.alloc(6),
    der.subarray(serialAt + oldSerial),
  ]);
  template.writeUInt16BE(der.readUInt16BE(2) + grown, 2);
  template.writeUInt16BE(der.readUInt16BE(6) + grown, 6);
  template[serialAt] = 0x02;
  template[serialAt + 1] = 4;
  const point = template.indexOf(Buffer.from([0x03, 0x42, 0x00, 0x04])) + 4; // BIT STRING with the EC point
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const c = Buffer.from(template);
    c.writeUInt32BE(0x01000000 + i, serialAt + 2);
    randomBytes(64).copy(c, point);
    c.writeUInt32BE(i, point); // distinct even if random bytes collided
    out.push(`-----BEGIN CERTIFICATE-----\n${c.toString("base64")}\n-----END CERTIFICATE-----\n`);
  }
  return new TextEncoder().encode(out.join(""));
}

/** OSV-Scanner output with `n` vulnerable packages, each with two aliased records and a group. */
export function osvScannerOutput(n: number): Uint8Array {
  const record = (id: string, alias: string, name: string) => ({
    id,
    aliases: [alias],
    modified: "2026-10-01T00:00:00Z",
    summary: `A vulnerability in ${name}`,
    affected: [
      {
        package: { ecosystem: "npm", name },
        ranges: [{ type: "SEMVER", events: [{ introduced: "0" }, { fixed: "1.0.1" }] }],
      },
    ],
    severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N" }],
  });
  const packages = Array.from({ length: n }, (_, i) => {
    const name = `nwc-pkg-${i}`;
    return {
      package: { name, version: "1.0.0", ecosystem: "npm" },
      vulnerabilities: [
        record(`CAIRN-A-${i}`, `CVE-2099-${i}`, name),
        record(`CAIRN-B-${i}`, `CVE-2099-${i}`, name),
      ],
      groups: [{ ids: [`CAIRN-A-${i}`, `CAIRN-B-${i}`], aliases: [`CVE-2099-${i}`], max_severity: "7.5" }],
    };
  });
  return new TextEncoder().encode(
    JSON.stringify({
      results: [{ source: { path: "/build/package-lock.json", type: "lockfile" }, packages }],
    }),
  );
}

export async function benchCollectArtifacts(): Promise<void> {
  console.log(
    "\n== collectors: security.txt, CSAF, x509, firmware (MCUboot, SUIT, TUF), MUD, scan, osv-scanner ==",
  );
  const date = "2026-12-01";
  const northwind = {
    product: { manufacturer: "Northwind Controls", model: "T-800" },
    release: { version: "4.2.0" },
  };
  const cases: [string, Collector, Uint8Array, CollectorContext][] = [
    [
      "security-txt, signed, key given",
      securityTxtCollector,
      fixture("security-txt", "northwind-signed.security.txt"),
      { date, options: { keys: fixture("security-txt", "northwind-psirt.pub.asc") } },
    ],
    [
      "csaf, advisory, mandatory tests",
      csafCollector,
      fixture("csaf", "northwind/nwc-2026-0007.json"),
      { date, ...northwind },
    ],
    [
      "csaf, provider-metadata.json",
      csafCollector,
      fixture("csaf", "northwind/provider-metadata.json"),
      { date },
    ],
    [
      "x509, Matter DAC+PAI to PAA",
      x509Collector,
      new Uint8Array(
        Buffer.concat([
          fixture("x509", "matterjs-DAC-FFF1-8000.pem"),
          fixture("x509", "matterjs-PAI-FFF1.pem"),
        ]),
      ),
      { date, options: { trust: fixture("x509", "Matter-Test-PAA-NoVID.pem") } },
    ],
    [
      "firmware, MCUboot ECDSA P-256 image",
      firmwareCollector,
      fixture("firmware", "t800-4.2.0-ecdsa-p256.signed.bin"),
      { date, options: { keys: fixture("firmware", "nwc-fw-p256.pub.pem") } },
    ],
    [
      "firmware, SUIT envelope, ES256, payload digest",
      firmwareCollector,
      fixture("firmware", "t800-4.2.0-es256.suit"),
      {
        date,
        options: {
          keys: fixture("firmware", "nwc-suit-p256.pub.pem"),
          target: fixture("firmware", "t800-4.2.0-suit-payload.bin"),
        },
      },
    ],
    [
      "firmware, TUF root (5 ECDSA signatures)",
      firmwareCollector,
      fixture("firmware", "sigstore-root.json"),
      { date },
    ],
    [
      "mud, structure + CMS signature",
      mudCollector,
      fixture("mud", "t800.mud.json"),
      {
        date,
        options: { signature: fixture("mud", "t800.mud.p7s"), trust: fixture("mud", "northwind-mud-ca.pem") },
      },
    ],
    [
      "scan, nmap XML",
      scanCollector,
      fixture("scan", "nmap-loopback-sv.xml"),
      { date, options: { declared: "tcp/2222" } },
    ],
    [
      "osv-scanner, JSON (2 sources, 4 packages)",
      osvScannerCollector,
      fixture("osv-scanner", "t800-gateway.osv-scanner.json"),
      { date },
    ],
    ["scan, ssh-audit JSON", scanCollector, fixture("scan", "ssh-audit-openssh-9.2-weak.json"), { date }],
    [
      "scan, testssl.sh JSON (152 findings)",
      scanCollector,
      fixture("scan", "testssl-openssl-s_server.json"),
      { date },
    ],
  ];
  for (const [name, c, bytes, ctx] of cases) {
    const t0 = performance.now();
    await c.collect(input(bytes), ctx);
    const first = performance.now() - t0;
    report(`${name} (first run ${fmt(first)})`, await time(c, bytes, ctx, 30), 50);
  }

  // Detection runs before every `cairn collect <file>` without a kind: every registered kind looks at the input's start.
  const samples = cases.map(([, , bytes]) => bytes);
  await detectKinds(samples[0] as Uint8Array, undefined);
  const detect: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    for (const b of samples) await detectKinds(b, undefined);
    detect.push((performance.now() - t) / samples.length);
  }
  report(`detection, ${collectorKinds().length} kinds, per file (${samples.length} fixtures)`, detect, 5);

  const big = bigAdvisory();
  report(
    `csaf, ${(big.byteLength / 1e6).toFixed(2)} MB advisory, schema + mandatory`,
    await time(csafCollector, big, { date, ...northwind }, 5),
    1000,
  );

  const osvBig = osvScannerOutput(20_000);
  report(
    `osv-scanner, 20,000 vulnerable packages (${(osvBig.byteLength / 1e6).toFixed(1)} MB)`,
    await time(osvScannerCollector, osvBig, { date }, 3),
    2000,
  );

  const batch = certificateBatch();
  report(
    "x509, 10,000 certificates, generic + uniqueness",
    await time(x509Collector, batch, { date, options: { profile: "generic" } }, 3),
    2000,
  );
  // The Matter profile reads every certificate's extensions with @peculiar/x509: far slower per certificate.
  report(
    "x509, 1,000 certificates, Matter profile",
    await time(x509Collector, certificateBatch(1000), { date }, 1),
  );
}

if (import.meta.url === `file://${process.argv[1]}`) await benchCollectArtifacts();
