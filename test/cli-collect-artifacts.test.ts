// `cairn collect` with the collectors of issue 12 (security.txt, CSAF, MUD, device certificates,
// signed firmware, scanner results), on the committed fixtures (test/fixtures/<kind>/SOURCES.md).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, fixture } from "./helpers/cli.js";

const DATE = ["--date", "2026-06-01"];

interface Report {
  kind: string;
  format: string;
  valid: boolean;
  checks: { id: string; result: string; message: string }[];
  proposals: { item: string; verdict: string; strength: string }[];
  input: { name: string; sha256: string };
}

async function collectJson(...args: string[]): Promise<{ code: number; report: Report; stderr: string }> {
  const r = await cli("collect", ...args, "--json");
  expect(r.stderr, r.stderr).toBe("");
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const results = (r: Report, id: string) => r.checks.filter((c) => c.id === id).map((c) => c.result);

describe("cairn collect: the part-2 kinds, detected from the file", () => {
  const cases: {
    kind: string;
    file: string;
    options?: string[];
    code: number;
    format: string;
    expect: [string, string][];
  }[] = [
    {
      kind: "security-txt",
      file: fixture("security-txt", "northwind-signed.security.txt"),
      options: ["--keys", fixture("security-txt", "northwind-psirt.pub.asc")],
      code: 0,
      format: "security.txt (OpenPGP cleartext-signed)",
      expect: [["security-txt.signature.verified", "pass"]],
    },
    {
      kind: "security-txt",
      file: fixture("security-txt", "northwind-signed-by-other.security.txt"),
      options: ["--keys", fixture("security-txt", "northwind-psirt.pub.asc")],
      code: 1,
      format: "security.txt (OpenPGP cleartext-signed)",
      expect: [["security-txt.signature.verified", "fail"]],
    },
    {
      kind: "csaf",
      file: fixture("csaf", "northwind", "nwc-2026-0007.json"),
      code: 0,
      format: "csaf-2.0-csaf_security_advisory",
      expect: [
        ["csaf.schema", "pass"],
        ["csaf.mandatory.6.1.1", "pass"],
      ],
    },
    {
      kind: "csaf",
      file: fixture("csaf", "northwind", "provider-metadata.json"),
      code: 0,
      format: "csaf-2.0-provider-metadata",
      expect: [["csaf.provider.schema", "pass"]],
    },
    {
      kind: "mud",
      file: fixture("mud", "t800.mud.json"),
      options: [
        "--signature",
        fixture("mud", "t800.mud.p7s"),
        "--trust",
        fixture("mud", "northwind-mud-ca.pem"),
      ],
      code: 0,
      format: "mud-rfc8520",
      expect: [["mud.signature", "pass"]],
    },
    {
      kind: "x509",
      file: fixture("x509", "idevid-t800-000123.pem"),
      options: ["--trust", fixture("x509", "northwind-idevid-root.pem"), "--profile", "idevid"],
      code: 0,
      format: "x509-ieee-802.1ar-idevid",
      expect: [
        ["x509.chain", "pass"],
        ["idevid.subject", "pass"],
      ],
    },
    {
      // matter.js test DACs: a Matter test PAA and a test vendor id, which anyone can mint.
      kind: "x509",
      file: fixture("x509", "matterjs-DAC-batch-FFF1-8000.pem"),
      code: 1,
      format: "x509-matter-attestation",
      expect: [["matter.test-root", "fail"]],
    },
    {
      kind: "firmware",
      file: fixture("firmware", "t800-4.2.0-ecdsa-p256.signed.bin"),
      options: ["--keys", fixture("firmware", "nwc-fw-p256.pub.pem")],
      code: 0,
      format: "mcuboot",
      expect: [
        ["mcuboot.signature", "pass"],
        ["firmware.development-key", "pass"],
      ],
    },
    {
      kind: "firmware",
      file: fixture("firmware", "t800-1.0.0-mcuboot-dev-key-ec-p256.signed.bin"),
      code: 1,
      format: "mcuboot",
      expect: [["firmware.development-key", "fail"]],
    },
    {
      kind: "firmware",
      file: fixture("firmware", "sigstore-root.json"),
      code: 0,
      format: "tuf-root",
      expect: [["tuf.signatures", "pass"]],
    },
    {
      kind: "scan",
      file: fixture("scan", "nmap-loopback-sv.xml"),
      options: ["--declared", "tcp/22"],
      code: 1,
      format: "nmap-xml",
      expect: [["scan.nmap.undeclared-port", "fail"]],
    },
    {
      kind: "scan",
      file: fixture("scan", "ssh-audit-openssh-9.2-default.json"),
      code: 0,
      format: "ssh-audit-json",
      expect: [["scan.ssh.algorithms", "pass"]],
    },
    {
      kind: "scan",
      file: fixture("scan", "testssl-openssl-s_server.csv"),
      code: 1,
      format: "testssl-csv",
      // openssl s_server with its defaults: CBC ciphers (LUCKY13) and no server cipher order.
      expect: [
        ["scan.tls.protocols", "pass"],
        ["scan.tls.vulnerabilities", "fail"],
        ["scan.tls.ciphers", "fail"],
      ],
    },
    {
      kind: "firmware",
      file: fixture("firmware", "t800-4.2.0-es256.suit"),
      options: [
        "--keys",
        fixture("firmware", "nwc-suit-p256.pub.pem"),
        "--target",
        fixture("firmware", "t800-4.2.0-suit-payload.bin"),
      ],
      code: 0,
      format: "suit",
      expect: [
        ["suit.signature", "pass"],
        ["suit.image-digest", "pass"],
      ],
    },
    {
      kind: "firmware",
      file: fixture("firmware", "t800-4.2.0-no-identifiers.suit"),
      options: ["--keys", fixture("firmware", "nwc-suit-p256.pub.pem")],
      code: 1,
      format: "suit",
      expect: [["suit.identifiers", "fail"]],
    },
    {
      kind: "osv-scanner",
      file: fixture("osv-scanner", "t800-gateway.osv-scanner.json"),
      code: 0,
      format: "osv-scanner-json",
      expect: [
        ["osv-scanner.vulnerable-package", "warn"],
        ["osv-scanner.severity", "warn"],
      ],
    },
  ];

  for (const c of cases)
    it(`${c.kind}: ${c.file.split("/").pop()} -> exit ${c.code}`, async () => {
      const detected = await collectJson(c.file, ...(c.options ?? []), ...DATE);
      expect(detected.code).toBe(c.code);
      expect(detected.report).toMatchObject({ kind: c.kind, format: c.format, valid: true });
      expect(detected.report.input.sha256).toMatch(/^[0-9a-f]{64}$/);
      for (const [id, result] of c.expect) expect(results(detected.report, id), id).toContain(result);
      // Naming the kind gives the same report.
      const named = await collectJson(c.kind, c.file, ...(c.options ?? []), ...DATE);
      expect(named.code).toBe(c.code);
      expect(named.report).toEqual(detected.report);
    }, 120_000);

  it("osv-scanner: with an imported KEV catalog (--feeds), a known exploited vulnerability fails (exit 1)", async () => {
    const data = mkdtempSync(join(tmpdir(), "cairn-osvs-"));
    try {
      const imp = await cli(
        "feeds",
        "import",
        fixture("vulns", "feeds", "known_exploited_vulnerabilities.json"),
        "--data",
        data,
      );
      expect(imp.code, imp.stderr).toBe(0);
      const r = await collectJson(
        fixture("osv-scanner", "t800-gateway.osv-scanner.json"),
        "--feeds",
        data,
        ...DATE,
      );
      expect(r.code).toBe(1);
      expect(results(r.report, "osv-scanner.kev")).toEqual(["fail"]);
      expect(r.report.proposals.find((p) => p.item === "eu-cra:annex-i.part-i.2.a")).toMatchObject({
        verdict: "fail",
        strength: "proves-only-when-failing",
      });
      const missing = await cli(
        "collect",
        "osv-scanner",
        fixture("osv-scanner", "clean.osv-scanner.json"),
        "--feeds",
        join(data, "nope"),
      );
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/--feeds .*nope: no feeds folder/);
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  }, 120_000);

  // The validator library compiles its schemas in each run's worker: seconds, more on a loaded machine.
  it("csaf: --tests optional runs the optional tests", async () => {
    const r = await collectJson(
      "csaf",
      fixture("csaf", "northwind", "nwc-2026-0007.json"),
      "--tests",
      "optional",
      ...DATE,
    );
    expect(r.code).toBe(0);
    expect(r.report.checks.some((c) => c.id.startsWith("csaf.optional.6.2."))).toBe(true);
    expect(r.report.checks.some((c) => c.id.startsWith("csaf.informative."))).toBe(false);
  }, 120_000);

  it("prints a readable report with the proposals", async () => {
    const r = await cli(
      "collect",
      fixture("firmware", "t800-1.0.0-mcuboot-dev-key-ec-p256.signed.bin"),
      ...DATE,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^t800-1\.0\.0-mcuboot-dev-key-ec-p256\.signed\.bin: firmware mcuboot, valid/);
    expect(r.stdout).toMatch(/FAIL\s+firmware\.development-key/);
    expect(r.stdout).toMatch(/nist-ir-8259a:5\.2\s+fail\s+proves/);
  });

  it("passes file-valued options as the files' bytes, repeatable where several make sense", async () => {
    // The right key among others: the signature verifies with one of the supplied keys.
    const r = await collectJson(
      "firmware",
      fixture("firmware", "t800-4.2.0-ed25519.signed.bin"),
      "--keys",
      fixture("firmware", "nwc-fw-p256.pub.pem"),
      "--keys",
      fixture("firmware", "nwc-fw-ed25519.pub.pem"),
      ...DATE,
    );
    expect(r.code).toBe(0);
    expect(results(r.report, "mcuboot.signature")).toEqual(["pass"]);
    const two = await collectJson(
      "security-txt",
      fixture("security-txt", "northwind-signed.security.txt"),
      "--keys",
      fixture("security-txt", "other.pub.asc"),
      "--keys",
      fixture("security-txt", "northwind-psirt.pub.asc"),
      ...DATE,
    );
    expect(results(two.report, "security-txt.signature.verified")).toEqual(["pass"]);
  });

  it("without a key, says the signature was not verified", async () => {
    const r = await collectJson(fixture("security-txt", "northwind-signed.security.txt"), ...DATE);
    expect(results(r.report, "security-txt.signature.verified")).toEqual(["warn"]);
  });
});

describe("cairn collect: bad option values and usage", () => {
  const bad: [string, string[], RegExp][] = [
    [
      "a key file that does not exist",
      ["firmware", fixture("firmware", "t800-4.2.0-ecdsa-p256.signed.bin"), "--keys", "/nonexistent/key.pem"],
      /--keys \/nonexistent\/key\.pem: cannot read the file \(no such file\)/,
    ],
    [
      "a key file that is no key",
      [
        "firmware",
        fixture("firmware", "t800-4.2.0-ecdsa-p256.signed.bin"),
        "--keys",
        fixture("scan", "nmap-loopback-sv.xml"),
      ],
      /--keys .*nmap-loopback-sv\.xml: not a public or private key/,
    ],
    [
      "a folder as a trust anchor",
      ["x509", fixture("x509", "idevid-t800-000123.pem"), "--trust", fixture("x509")],
      /--trust .*x509: not a file/,
    ],
    [
      "an unknown certificate profile",
      ["x509", fixture("x509", "idevid-t800-000123.pem"), "--profile", "bogus"],
      /--profile: "bogus" is not one of auto, matter, idevid, generic/,
    ],
    [
      "an unknown CSAF test group",
      ["csaf", fixture("csaf", "northwind", "nwc-2026-0007.json"), "--tests", "optional,everything"],
      /--tests: unknown test group "everything"/,
    ],
    [
      "a declared interface that is no port",
      [fixture("scan", "nmap-loopback-sv.xml"), "--declared", "tcp/22,tcp/http"],
      /--declared: "tcp\/http" is not a port/,
    ],
    [
      "a port out of range",
      [fixture("scan", "nmap-loopback-sv.xml"), "--declared", "70000"],
      /--declared: "70000" is not a port/,
    ],
    [
      "a retrieval URL that is no URL",
      [fixture("security-txt", "northwind-signed.security.txt"), "--url", "security.txt"],
      /--url: "security\.txt" is not an http\(s\) URL/,
    ],
    [
      "a TUF root that is not JSON",
      [
        "firmware",
        fixture("firmware", "sigstore-root.json"),
        "--root",
        fixture("firmware", "nwc-fw-p256.pub.pem"),
      ],
      /--root: not JSON/,
    ],
  ];
  for (const [what, args, message] of bad)
    it(`${what}: exit 1, the option named`, async () => {
      const r = await cli("collect", ...args, ...DATE);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe("");
    });

  it("an option of another kind, an unknown option or a missing value is a usage error (exit 2)", async () => {
    const other = await cli(
      "collect",
      "scan",
      fixture("scan", "nmap-loopback-sv.xml"),
      "--profile",
      "matter",
    );
    expect(other.code).toBe(2);
    expect(other.stderr).toContain("--profile is not an option of scan (it is one of x509)");
    const unknown = await cli("collect", fixture("scan", "nmap-loopback-sv.xml"), "--ports", "22");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown option '--ports'");
    const missing = await cli("collect", "x509", fixture("x509", "idevid-t800-000123.pem"), "--trust");
    expect(missing.code).toBe(2);
  });

  it("collect --help lists every kind and each kind's options under its name", async () => {
    const r = await cli("collect", "--help");
    expect(r.code).toBe(0);
    for (const kind of [
      "sbom",
      "vulns",
      "security-txt",
      "csaf",
      "mud",
      "x509",
      "firmware",
      "scan",
      "osv-scanner",
    ])
      expect(r.stdout).toMatch(new RegExp(`^  ${kind}\\s+\\S`, "m"));
    expect(r.stdout).toMatch(/security-txt and firmware options:\n\s+--keys <file>\s+security-txt: OpenPGP/);
    expect(r.stdout).toMatch(/mud and x509 options:\n\s+--trust <file>/);
    expect(r.stdout).toMatch(/x509 options:\n\s+--profile <name>/);
    expect(r.stdout).toMatch(/firmware options:\n\s+--root <file>/);
    expect(r.stdout).toMatch(/scan options:\n\s+--declared <ports>/);
    expect(r.stdout).toMatch(/csaf options:\n\s+--tests <groups>/);
    expect(r.stdout).toMatch(/mud options:\n\s+--signature <file>/);
  });

  it("collect <kind> --help shows that kind's options alone, with its own descriptions", async () => {
    const x509 = await cli("collect", "x509", "--help");
    expect(x509.code).toBe(0);
    expect(x509.stdout).toMatch(
      /\nx509 options:\n\s+--trust <file>\s+trust anchor certificates[^\n]*\n[^\n]*\n\s+--profile <name>/,
    );
    expect(x509.stdout).not.toMatch(/mud:|--signature|--keys|--declared|--tests|--root|--feeds/);
    expect(x509.stdout).toMatch(/^\s+--date <yyyy-mm-dd>/m); // the options every kind has stay
    const firmware = await cli("collect", "firmware", fixture("firmware", "sigstore-root.json"), "--help");
    expect(firmware.code).toBe(0);
    expect(firmware.stdout).toMatch(/\nfirmware options:\n\s+--keys <file>\s+public or private key/);
    expect(firmware.stdout).toMatch(/--root <file>/);
    expect(firmware.stdout).not.toMatch(/OpenPGP|--trust|--url|--profile/);
    const sbom = await cli("collect", "sbom", "--help");
    expect(sbom.stdout).not.toMatch(/ options:\n/);
  });
});
