/**
 * Dossier signatures: made by Cairn and checked by OpenSSL (a tool that knows nothing of Cairn),
 * made by OpenSSL and checked by Cairn, deterministic where the algorithm is, and every way of
 * getting the signer wrong refused. Keys and certificates are made by openssl here.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalogs } from "../catalog/files.js";
import { registerDossierCommands } from "../cli/dossier.js";
import { CairnError, formatProblem } from "../core/problem.js";
import { loadCrosswalks } from "../crosswalk/files.js";
import { certificatesFromPem, signerFromPem, signManifest, verifyManifestSignature } from "./signature.js";
import { syntheticInput } from "./synthetic.js";
import { sha256Hex } from "./util.js";

const { registry } = loadCatalogs();
const { set } = loadCrosswalks(registry);
let root: string;
const k = (name: string) => join(root, "keys", name);

function openssl(...args: string[]): string {
  return execFileSync("openssl", args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** `openssl cms -verify` on a dossier folder: its exit status and what it said. */
function opensslVerify(dossierDir: string, ...trust: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(
    "openssl",
    [
      "cms",
      "-verify",
      "-binary",
      "-inform",
      "DER",
      "-in",
      join(dossierDir, "manifest.json.p7s"),
      "-content",
      join(dossierDir, "manifest.json"),
      "-out",
      "/dev/null",
      ...trust,
    ],
    { encoding: "utf8" },
  );
  return { status: r.status, stderr: r.stderr };
}

async function dossier(...args: string[]): Promise<{ code: number; out: string; problems: string[] }> {
  const program = new Command("cairn").option("--json").exitOverride();
  registerDossierCommands(program);
  for (const c of program.commands) {
    c.exitOverride();
    for (const s of c.commands) s.exitOverride();
  }
  let out = "";
  const write = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string) => {
    out += chunk;
    return true;
  }) as typeof process.stdout.write;
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    await program.parseAsync(args, { from: "user" });
    return { code: 0, out, problems: [] };
  } catch (e) {
    if (e instanceof CairnError) return { code: e.exitCode, out, problems: e.problems.map(formatProblem) };
    throw e;
  } finally {
    process.stdout.write = write;
    process.stderr.write = err;
  }
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "cairn-sign-"));
  mkdirSync(k(""), { recursive: true });
  const input = syntheticInput(registry, set, { items: 20 });
  const dir = join(root, "assessment");
  mkdirSync(join(dir, "evidence"), { recursive: true });
  writeFileSync(join(dir, "assessment.json"), `${JSON.stringify(input.assessment, null, 2)}\n`);
  writeFileSync(join(dir, "profile.json"), `${JSON.stringify(input.profile, null, 2)}\n`);
  for (const [path, bytes] of input.evidenceFiles) writeFileSync(join(dir, path), bytes);

  // A root CA, an issuing CA under it and an organisation's signing certificate (RSA), an EC key
  // and an Ed25519 key without certificates, and a stranger CA.
  const ca = (name: string, subject: string) => {
    openssl(
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      k(`${name}.key`),
      "-out",
      k(`${name}.pem`),
      "-days",
      "3650",
      "-subj",
      subject,
      "-addext",
      "basicConstraints=critical,CA:true",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    );
  };
  ca("root", "/CN=Test Root CA/O=Cairn tests");
  ca("stranger", "/CN=Stranger CA/O=Elsewhere");
  writeFileSync(
    k("ca-ext.cnf"),
    "basicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n",
  );
  writeFileSync(
    k("leaf-ext.cnf"),
    "basicConstraints=CA:false\nkeyUsage=critical,digitalSignature,nonRepudiation\n",
  );
  openssl(
    "req",
    "-new",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    k("issuing.key"),
    "-out",
    k("issuing.csr"),
    "-subj",
    "/CN=Test Issuing CA/O=Cairn tests",
  );
  openssl(
    "x509",
    "-req",
    "-in",
    k("issuing.csr"),
    "-CA",
    k("root.pem"),
    "-CAkey",
    k("root.key"),
    "-CAcreateserial",
    "-out",
    k("issuing.pem"),
    "-days",
    "3650",
    "-extfile",
    k("ca-ext.cnf"),
  );
  openssl(
    "req",
    "-new",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    k("org.key"),
    "-out",
    k("org.csr"),
    "-subj",
    "/CN=Dossier signing/O=Northwind Controls",
  );
  openssl(
    "x509",
    "-req",
    "-in",
    k("org.csr"),
    "-CA",
    k("issuing.pem"),
    "-CAkey",
    k("issuing.key"),
    "-CAcreateserial",
    "-out",
    k("org.pem"),
    "-days",
    "365",
    "-extfile",
    k("leaf-ext.cnf"),
  );
  writeFileSync(
    k("org-chain.pem"),
    readFileSync(k("org.pem"), "utf8") + readFileSync(k("issuing.pem"), "utf8"),
  );
  openssl("genpkey", "-algorithm", "ed25519", "-out", k("ed.key"));
  openssl("pkey", "-in", k("ed.key"), "-pubout", "-out", k("ed.pub"));
  openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", k("ec.key"));
  openssl("genpkey", "-algorithm", "ed25519", "-out", k("other.key"));
  openssl("pkey", "-in", k("other.key"), "-pubout", "-out", k("other.pub"));
  openssl("genpkey", "-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:1024", "-out", k("weak.key"));
}, 60_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("signed dossiers", () => {
  it("signed with an organisation certificate: OpenSSL checks it against the root; Cairn names the signer", async () => {
    const out = join(root, "org");
    const b = await dossier(
      "dossier",
      "build",
      join(root, "assessment"),
      "-o",
      out,
      "--sign-key",
      k("org.key"),
      "--sign-cert",
      k("org-chain.pem"),
    );
    expect(b.problems).toEqual([]);
    expect(b.out).toContain("manifest signed (manifest.json.p7s)");

    const o = opensslVerify(out, "-CAfile", k("root.pem"));
    expect(o.stderr).toContain("Verification successful");
    expect(o.status).toBe(0);

    for (const target of [out, `${out}.zip`]) {
      const v = await dossier("dossier", "verify", target, "--cert", k("root.pem"));
      expect(v.problems).toEqual([]);
      expect(v.out).toContain(
        "signed by CN=Dossier signing, O=Northwind Controls, issued by CN=Test Issuing CA, O=Cairn tests",
      );
      expect(v.out).toContain("the certificate given");
    }
    // The signer's own certificate, or the intermediate, are anchors too; a stranger's CA is not.
    expect((await dossier("dossier", "verify", out, "--cert", k("org.pem"))).code).toBe(0);
    expect((await dossier("dossier", "verify", out, "--cert", k("issuing.pem"))).code).toBe(0);
    const s = await dossier("dossier", "verify", out, "--cert", k("stranger.pem"));
    expect(s.code).toBe(1);
    expect(s.problems).toContain(
      "manifest.json.p7s: the signer's certificate does not chain to the certificate(s) given",
    );
    expect(opensslVerify(out, "-CAfile", k("stranger.pem")).status).not.toBe(0);
    const j = await dossier("--json", "dossier", "verify", out, "--key", k("org.key"));
    expect(JSON.parse(j.out).signature).toMatchObject({
      valid: true,
      trusted: true,
      signer: { subject: "CN=Dossier signing, O=Northwind Controls", selfIssued: false },
    });

    // Deterministic: RSA PKCS#1 v1.5 over the same manifest gives the same signature, and the same zip.
    const zip = readFileSync(`${out}.zip`);
    const p7s = readFileSync(join(out, "manifest.json.p7s"));
    expect(
      (
        await dossier(
          "dossier",
          "build",
          join(root, "assessment"),
          "-o",
          out,
          "--force",
          "--sign-key",
          k("org.key"),
          "--sign-cert",
          k("org-chain.pem"),
        )
      ).code,
    ).toBe(0);
    expect(readFileSync(join(out, "manifest.json.p7s")).equals(p7s)).toBe(true);
    expect(readFileSync(`${out}.zip`).equals(zip)).toBe(true);
  });

  it("a manifest rewritten with correct hashes (what anyone can do) no longer matches its signature", async () => {
    const out = join(root, "org");
    const manifest = readFileSync(join(out, "manifest.json"), "utf8");
    const report = readFileSync(join(out, "report.html"), "utf8").replace("</body>", "<p>forged</p></body>");
    writeFileSync(join(out, "report.html"), report);
    const m = JSON.parse(manifest);
    const entry = m.files.find((f: { path: string }) => f.path === "report.html");
    entry.sha256 = sha256Hex(report);
    entry.size = Buffer.byteLength(report);
    m.manifestSha256 = "";
    m.manifestSha256 = sha256Hex(`${JSON.stringify(m, null, 2)}\n`);
    writeFileSync(join(out, "manifest.json"), `${JSON.stringify(m, null, 2)}\n`);
    const v = await dossier("dossier", "verify", out);
    expect(v.code).toBe(1);
    expect(v.problems).toEqual([
      "manifest.json.p7s: it was made over other bytes: manifest.json changed since it was signed",
    ]);
    expect(opensslVerify(out, "-CAfile", k("root.pem")).status).not.toBe(0);
  });

  it("signed with a bare Ed25519 key: a self-issued certificate, checked with --key; byte-identical rebuilds", async () => {
    const out = join(root, "ed");
    expect(
      (await dossier("dossier", "build", join(root, "assessment"), "-o", out, "--sign-key", k("ed.key")))
        .code,
    ).toBe(0);
    const v = await dossier("dossier", "verify", `${out}.zip`, "--key", k("ed.pub"));
    expect(v.problems).toEqual([]);
    expect(v.out).toMatch(
      /signed by CN=Cairn dossier signer \(self-issued for its key\) \(key sha256 [0-9a-f]{64}\): the key given/,
    );
    const wrong = await dossier("dossier", "verify", out, "--key", k("other.pub"));
    expect(wrong.code).toBe(1);
    expect(wrong.problems[0]).toMatch(/signed with key [0-9a-f]{64}, not with the key given/);
    // Without a trusted key the signature is still checked, and the answer says who signed, unconfirmed.
    const plain = await dossier("dossier", "verify", out);
    expect(plain.out).toContain("not checked against a key or certificate you trust");
    const zip = readFileSync(`${out}.zip`);
    expect(
      (
        await dossier(
          "dossier",
          "build",
          join(root, "assessment"),
          "-o",
          out,
          "--force",
          "--sign-key",
          k("ed.key"),
        )
      ).code,
    ).toBe(0);
    expect(readFileSync(`${out}.zip`).equals(zip)).toBe(true);
  });

  it("signed with a bare ECDSA key: OpenSSL checks it with the certificate it carries; ECDSA is randomised, nothing else changes", async () => {
    const out = join(root, "ec");
    expect(
      (await dossier("dossier", "build", join(root, "assessment"), "-o", out, "--sign-key", k("ec.key")))
        .code,
    ).toBe(0);
    const carried = join(root, "ec-carried.pem");
    writeFileSync(
      carried,
      openssl("pkcs7", "-inform", "DER", "-in", join(out, "manifest.json.p7s"), "-print_certs"),
    );
    const o = opensslVerify(out, "-CAfile", carried);
    expect(o.stderr).toContain("Verification successful");
    expect((await dossier("dossier", "verify", out, "--key", k("ec.key"))).code).toBe(0);
    const before = new Map(
      ["manifest.json", "report.pdf", "report.html"].map((f) => [f, readFileSync(join(out, f))]),
    );
    expect(
      (
        await dossier(
          "dossier",
          "build",
          join(root, "assessment"),
          "-o",
          out,
          "--force",
          "--sign-key",
          k("ec.key"),
        )
      ).code,
    ).toBe(0);
    for (const [f, bytes] of before) expect(readFileSync(join(out, f)).equals(bytes), f).toBe(true);
    expect((await dossier("dossier", "verify", out, "--key", k("ec.key"))).code).toBe(0);
  });

  it("a signature OpenSSL made (its default attributes, signing time included) is checked by Cairn", async () => {
    const out = join(root, "by-openssl");
    expect((await dossier("dossier", "build", join(root, "assessment"), "-o", out)).code).toBe(0);
    openssl(
      "cms",
      "-sign",
      "-binary",
      "-in",
      join(out, "manifest.json"),
      "-signer",
      k("org.pem"),
      "-inkey",
      k("org.key"),
      "-certfile",
      k("issuing.pem"),
      "-outform",
      "DER",
      "-out",
      join(out, "manifest.json.p7s"),
    );
    const v = await dossier("dossier", "verify", out, "--cert", k("root.pem"));
    expect(v.problems).toEqual([]);
    expect(v.out).toContain("signed by CN=Dossier signing, O=Northwind Controls");
    // And OpenSSL's own signature over another manifest is refused.
    const other = readFileSync(join(out, "manifest.json.p7s"));
    const out2 = join(root, "org-unsigned");
    expect((await dossier("dossier", "build", join(root, "assessment"), "-o", out2, "--draft")).code).toBe(0);
    writeFileSync(join(out2, "manifest.json.p7s"), other);
    const w = await dossier("dossier", "verify", out2, "--cert", k("root.pem"));
    expect(w.code).toBe(1);
  });

  it("an unsigned dossier does not verify when a signer is required; bad keys and options are named", async () => {
    const out = join(root, "unsigned");
    expect((await dossier("dossier", "build", join(root, "assessment"), "-o", out)).code).toBe(0);
    expect((await dossier("dossier", "verify", out)).out).toContain("not signed");
    const v = await dossier("dossier", "verify", out, "--key", k("ed.pub"));
    expect(v.code).toBe(1);
    expect(v.problems).toEqual([
      "manifest.json.p7s: missing: the dossier is not signed, so its issuer cannot be checked",
    ]);
    expect(
      (
        await dossier(
          "dossier",
          "build",
          join(root, "assessment"),
          "-o",
          join(root, "x1"),
          "--sign-cert",
          k("org.pem"),
        )
      ).code,
    ).toBe(2);
    const mismatch = await dossier(
      "dossier",
      "build",
      join(root, "assessment"),
      "-o",
      join(root, "x2"),
      "--sign-key",
      k("ed.key"),
      "--sign-cert",
      k("org.pem"),
    );
    expect(mismatch.code).toBe(1);
    const weak = await dossier(
      "dossier",
      "build",
      join(root, "assessment"),
      "-o",
      join(root, "x3"),
      "--sign-key",
      k("weak.key"),
    );
    expect(weak.code).toBe(1);
    expect(
      (
        await dossier(
          "dossier",
          "build",
          join(root, "assessment"),
          "-o",
          join(root, "x4"),
          "--sign-key",
          k("org.pem"),
        )
      ).code,
    ).toBe(1);
    expect((await dossier("dossier", "verify", out, "--key", join(root, "nope.pem"))).code).toBe(2);
  });

  it("verifyManifestSignature refuses garbage, a changed signature, and names expired certificates", () => {
    const signer = signerFromPem(
      readFileSync(k("org.key"), "utf8"),
      readFileSync(k("org-chain.pem"), "utf8"),
    );
    const content = new TextEncoder().encode('{"format":"cairn-dossier-manifest/1"}\n');
    const p7s = signManifest(content, signer);
    const anchors = certificatesFromPem(readFileSync(k("root.pem"), "utf8"));
    expect(verifyManifestSignature(content, p7s, { anchors })).toMatchObject({ valid: true, trusted: true });
    expect(
      verifyManifestSignature(content, new TextEncoder().encode("not DER")).problems[0]?.message,
    ).toMatch(/not a DER CMS signature/);
    const flipped = Uint8Array.from(p7s);
    flipped[flipped.length - 5] = (flipped[flipped.length - 5] as number) ^ 0xff; // inside the signature value, the last field
    expect(verifyManifestSignature(content, flipped).problems[0]?.message).toMatch(
      /signature does not match/,
    );
    const later = verifyManifestSignature(content, p7s, { anchors, at: new Date("2040-01-01") });
    expect(later.trusted).toBe(false);
    expect(later.problems[0]?.message).toMatch(
      /certificate CN=Dossier signing, O=Northwind Controls expired on/,
    );
  });
});
