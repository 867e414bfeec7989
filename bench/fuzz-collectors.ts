// `npm run fuzz`: every collector parser of issue 12 on 10,000 hostile inputs per path (the same
// generators and seeds as the collectors' tests, which run the expensive paths on samples to keep
// `npm test` short). Prints inputs, crashes, valid reports, the slowest input, heap growth and the
// process's peak RSS per suite; exits 1 when an input crashes a collector or a bound is exceeded.
// Options: --runs <n> (default 10000), --only <suite name substring>.
// The SBOM, vulnerability feed and VEX parsers run 10,000 inputs each in test/collect/fuzz.test.ts.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import type { Collector, CollectorContext } from "../src/collect/contract.js";
import { csafCollector } from "../src/collect/csaf/index.js";
import { firmwareCollector } from "../src/collect/firmware/index.js";
import { mudCollector } from "../src/collect/mud/index.js";
import { osvScannerCollector } from "../src/collect/osv-scanner/index.js";
import { scanCollector } from "../src/collect/scan/index.js";
import { securityTxtCollector } from "../src/collect/security-txt/index.js";
import { x509Collector } from "../src/collect/x509/index.js";
import { jsonMutator, mutator, runFuzz } from "./fuzz-inputs.js";

const fixture = (kind: string, name: string) => new Uint8Array(readFileSync(`test/fixtures/${kind}/${name}`));
const json = (kind: string, name: string): unknown =>
  JSON.parse(new TextDecoder().decode(fixture(kind, name)));
const pemToDer = (pem: Uint8Array) =>
  new Uint8Array(Buffer.from(new TextDecoder().decode(pem).replace(/-----[A-Z ]+-----|\s/g, ""), "base64"));
const cat = (...b: Uint8Array[]) => new Uint8Array(Buffer.concat(b));

interface Suite {
  name: string;
  collector: Collector;
  next: () => Uint8Array;
  context?: Partial<CollectorContext>;
  /** The slowest single input allowed (ms): a hang is a failure. */
  maxMs: number;
}

export function fuzzSuites(): Suite[] {
  const northwind = {
    product: { manufacturer: "Northwind Controls", model: "T-800" },
    release: { version: "4.2.0" },
  };
  const x509 = (n: string) => fixture("x509", n);
  return [
    {
      name: "security-txt: text, no key",
      collector: securityTxtCollector,
      next: mutator(
        [
          "northwind-signed.security.txt",
          "express-security-txt.security.txt",
          "gatsby-plugin-template.security.txt",
        ].map((n) => fixture("security-txt", n)),
        [
          "\r",
          "\n",
          ":",
          "Contact: ",
          "Expires: 9999-12-31T23:59:60Z",
          "-----BEGIN PGP SIGNATURE-----\n",
          "- ",
          "\u0000",
          "\uFEFF",
          "é",
        ],
      ),
      maxMs: 1000,
    },
    {
      name: "security-txt: signed, OpenPGP key given",
      collector: securityTxtCollector,
      next: mutator(
        [fixture("security-txt", "northwind-signed.security.txt")],
        ["=", "\n\n", "-----END PGP SIGNATURE-----", "Hash: SHA1\n"],
        99,
      ),
      context: { options: { keys: fixture("security-txt", "northwind-psirt.pub.asc") } },
      maxMs: 5000,
    },
    {
      name: "csaf: provider and aggregator metadata, bytes",
      collector: csafCollector,
      next: mutator(
        ["northwind/provider-metadata.json", "northwind/aggregator.json"].map((n) => fixture("csaf", n)),
        ['"', "{", "}", "[", "]", ",", "null", '"metadata_version":"2.0"', "\\u0000"],
      ),
      maxMs: 5000,
    },
    {
      name: "csaf: documents, schema + mandatory tests",
      collector: csafCollector,
      next: jsonMutator(
        ["northwind/nwc-2026-0007.json", "northwind/nwc-vex-2026-0002.json"].map((n) => json("csaf", n)),
      ),
      context: northwind,
      maxMs: 5000,
    },
    {
      name: "mud: JSON structure and ACLs",
      collector: mudCollector,
      next: jsonMutator([json("mud", "t800.mud.json")], 8520),
      maxMs: 1000,
    },
    {
      name: "mud: bytes, CMS signature and CA given",
      collector: mudCollector,
      next: mutator([fixture("mud", "t800.mud.json")], ['"', "{", "}", "[", "]", ":", "null"]),
      context: {
        options: { signature: fixture("mud", "t800.mud.p7s"), trust: fixture("mud", "northwind-mud-ca.pem") },
      },
      maxMs: 1000,
    },
    {
      name: "x509: PEM and DER, trust anchor given",
      collector: x509Collector,
      next: mutator(
        [
          cat(x509("matterjs-DAC-FFF1-8000.pem"), x509("matterjs-PAI-FFF1.pem")),
          pemToDer(x509("idevid-t800-000123.pem")),
          pemToDer(x509("matterjs-PAI-FFF1.pem")),
        ],
        [
          "-----BEGIN CERTIFICATE-----\n",
          "-----END CERTIFICATE-----\n",
          "\u0030\u0082\u00ff\u00ff",
          "==",
          "\u0000",
        ],
      ),
      context: { options: { trust: x509("Matter-Test-PAA-NoVID.pem") } },
      maxMs: 1000,
    },
    {
      name: "firmware: MCUboot images, key given",
      collector: firmwareCollector,
      next: mutator(
        [
          "t800-4.2.0-ecdsa-p256.signed.bin",
          "t800-4.2.0-ed25519.signed.bin",
          "t800-1.0.0-mcuboot-dev-key-rsa2048-pubkey.signed.bin",
        ].map((n) => fixture("firmware", n)),
        [
          "\u003d\u00b8\u00f3\u0096",
          "\u0007\u0069\u00ff\u00ff",
          "\u0008\u0069\u0004\u0000",
          "\u0022\u0000\u00ff\u00ff",
        ],
      ),
      context: { options: { keys: fixture("firmware", "nwc-fw-p256.pub.pem") } },
      maxMs: 1000,
    },
    {
      name: "firmware: TUF metadata (signatures verified)",
      collector: firmwareCollector,
      next: jsonMutator([json("firmware", "sigstore-root.json")], 31),
      context: { date: "2026-03-01" },
      maxMs: 1000,
    },
    {
      name: "firmware: SUIT envelopes, key and target given",
      collector: firmwareCollector,
      next: mutator(
        [
          "t800-4.2.0-es256.suit",
          "t800-4.2.0-eddsa-integrated.suit",
          "t800-4.2.0-unsigned.suit",
          "t800-4.2.0-no-identifiers.suit",
        ].map((n) => fixture("firmware", n)),
        [
          "\u00d8\u006b",
          "\u009f",
          "\u00bf",
          "\u00ff",
          "\u005b\u00ff\u00ff\u00ff\u00ff",
          "\u0081\u0081\u0081\u0081",
          "\u00d2\u0084",
          "\u0018\u002a",
        ],
        4242,
      ),
      context: {
        options: {
          keys: fixture("firmware", "nwc-suit-p256.pub.pem"),
          target: fixture("firmware", "t800-4.2.0-suit-payload.bin"),
        },
      },
      maxMs: 1000,
    },
    {
      name: "scan: nmap XML and testssl.sh CSV, bytes",
      collector: scanCollector,
      next: mutator(
        ["nmap-loopback-sv.xml", "testssl-openssl-s_server.csv"].map((n) => fixture("scan", n)),
        [
          "<",
          ">",
          "</port>",
          "<!ENTITY a 'aaaaaaaaaa'>",
          "&a;",
          '"',
          ",",
          "\n",
          '<host><ports><port portid="99999"/></ports></host>',
        ],
      ),
      context: { options: { declared: "tcp/22" } },
      maxMs: 1000,
    },
    {
      name: "scan: ssh-audit and testssl.sh JSON",
      collector: scanCollector,
      next: jsonMutator(
        ["ssh-audit-openssh-9.2-weak.json", "testssl-openssl-s_server.json"].map((n) => json("scan", n)),
        5,
      ),
      maxMs: 1000,
    },
    {
      name: "osv-scanner: JSON output, bytes",
      collector: osvScannerCollector,
      next: mutator(
        ["t800-gateway.osv-scanner.json", "clean.osv-scanner.json", "t800-webui-v1.0.osv-scanner.json"].map(
          (n) => fixture("osv-scanner", n),
        ),
        ['"', "{", "}", "[", "]", ",", '"results":', '"groups":[{"ids":[]}]', "null"],
      ),
      maxMs: 1000,
    },
    {
      name: "osv-scanner: JSON output, structure",
      collector: osvScannerCollector,
      next: jsonMutator(
        ["t800-gateway.osv-scanner.json", "clean.osv-scanner.json", "t800-webui-v1.0.osv-scanner.json"].map(
          (n) => json("osv-scanner", n),
        ),
        5,
      ),
      maxMs: 1000,
    },
  ];
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { runs: { type: "string" }, only: { type: "string" } } });
  const runs = Number(values.runs ?? 10_000);
  if (!Number.isInteger(runs) || runs < 1)
    throw new Error(`--runs: "${values.runs}" is not a positive integer`);
  const suites = fuzzSuites().filter((s) => !values.only || s.name.includes(values.only));
  console.log(`== fuzz: ${runs} hostile inputs per suite, ${suites.length} suites ==`);
  let failed = 0;
  const t = performance.now();
  for (const s of suites) {
    const t0 = performance.now();
    const r = await runFuzz(s.collector, s.next, runs, s.context);
    const rssMb = process.resourceUsage().maxRSS / 1024;
    const slow = r.slowestMs > s.maxMs;
    if (r.crashCount > 0 || slow) failed++;
    console.log(
      `${s.name.padEnd(48)} ${String(r.inputs).padStart(6)} inputs  ${String(r.crashCount).padStart(3)} crashes  ${String(r.valid).padStart(5)} valid  slowest ${r.slowestMs.toFixed(0).padStart(5)} ms${slow ? ` (over ${s.maxMs})` : ""}  heap +${r.heapGrowthMb.toFixed(1)} MiB  peak RSS ${rssMb.toFixed(0)} MiB  (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    for (const c of r.crashes.slice(0, 3))
      console.log(
        `    input ${c.input} (${c.bytes} bytes, ${c.head}...): ${c.message.split("\n").slice(0, 3).join(" | ")}`,
      );
  }
  console.log(`total ${((performance.now() - t) / 1000).toFixed(0)} s, ${failed} suites failed`);
  if (failed > 0) process.exitCode = 1;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
