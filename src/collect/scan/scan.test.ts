import { describe, expect, it } from "vitest";
import { fixture, proposal, results, run } from "../../../test/helpers/collect.js";
import { fuzzCollector, jsonMutator, mutator } from "../../../test/helpers/fuzz.js";
import { scanCollector as c } from "./index.js";

const scan = (n: string) => fixture("scan", n);
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe("scan collector", () => {
  it("reads nmap XML and compares open ports with the declared interfaces", async () => {
    const r = await run(c, scan("nmap-loopback-sv.xml"), { options: { declared: "tcp/2222" } });
    expect(r.format).toBe("nmap-xml");
    expect(r.ports).toEqual([
      { host: "127.0.0.1", protocol: "tcp", port: 9, state: "closed", service: "discard" },
      expect.objectContaining({
        port: 2222,
        state: "open",
        service: "ssh",
        product: "OpenSSH",
        version: "9.2p1 Debian 2+deb12u10",
      }),
      expect.objectContaining({ port: 8443, state: "open", service: "http", tunnel: "ssl" }),
    ]);
    expect(r.checks.filter((x) => x.id === "scan.nmap.undeclared-port").map((x) => x.location)).toEqual([
      "tcp/8443",
    ]);
    expect(proposal(r, "etsi-en-303-645:5.6-1")).toMatchObject({
      verdict: "fail",
      strength: "proves-only-when-failing",
    });
    const ok = await run(c, scan("nmap-loopback-sv.xml"), {
      options: { declared: ["tcp/2222", "tcp/8443"] },
    });
    expect(results(ok, "scan.nmap.undeclared-port")).toEqual(["pass"]);
    expect(proposal(ok, "eu-cra:annex-i.part-i.2.j")).toMatchObject({
      verdict: "pass",
      strength: "proves-only-when-failing",
    });
    const none = await run(c, scan("nmap-loopback-sv.xml"));
    expect(results(none, "scan.nmap.undeclared-port")).toEqual(["info"]);
    expect(none.proposals).toEqual([]);
  });

  it("fails a cleartext service nmap finds", async () => {
    const xml = new TextDecoder()
      .decode(scan("nmap-loopback-sv.xml"))
      .replace(
        'portid="9"><state state="closed" reason="reset" reason_ttl="64"/><service name="discard"',
        'portid="23"><state state="open" reason="syn-ack" reason_ttl="64"/><service name="telnet"',
      );
    const r = await run(c, new TextEncoder().encode(xml));
    expect(results(r, "scan.nmap.cleartext-service")).toEqual(["fail"]);
    expect(proposal(r, "etsi-en-303-645:5.5-1")?.verdict).toBe("fail");
  });

  it("grades ssh-audit output: OpenSSH defaults pass with warnings, added weak algorithms fail", async () => {
    const d = await run(c, scan("ssh-audit-openssh-9.2-default.json"));
    expect(d.format).toBe("ssh-audit-json");
    expect(d.checks.filter((x) => x.id === "scan.ssh.algorithms").map((x) => x.result)).not.toContain("fail");
    expect(proposal(d, "nist-ir-8259a:3.1")).toMatchObject({
      verdict: "pass",
      strength: "proves-only-when-failing",
    });
    const w = await run(c, scan("ssh-audit-openssh-9.2-weak.json"));
    expect(
      w.checks
        .filter((x) => x.id === "scan.ssh.algorithms" && x.result === "fail")
        .map((x) => x.message.split(":")[0]),
    ).toEqual(["kex diffie-hellman-group1-sha1", "key ssh-rsa", "enc 3des-cbc", "mac hmac-md5"]);
    expect(proposal(w, "etsi-en-303-645:5.5-1")?.verdict).toBe("fail");
  });

  it("uses ssh-audit's own notes and CVEs when the output has them (3.x shape)", async () => {
    const doc = JSON.parse(new TextDecoder().decode(scan("ssh-audit-openssh-9.2-default.json")));
    doc.kex[2] = { algorithm: doc.kex[2].algorithm, notes: { fail: ["a note from ssh-audit"] } };
    doc.cves = [{ name: "CVE-2023-48795", cvssv2: 5.9, description: "Terrapin" }];
    const r = await run(c, json(doc));
    expect(
      r.checks.filter((x) => x.id === "scan.ssh.algorithms" && x.result === "fail").map((x) => x.message),
    ).toEqual(["kex curve25519-sha256: a note from ssh-audit"]);
    expect(results(r, "scan.ssh.cves")).toEqual(["fail"]);
    expect(proposal(r, "eu-cra:annex-i.part-i.2.a")?.verdict).toBe("fail");
  });

  it("reads testssl.sh JSON and CSV alike", async () => {
    const j = await run(c, scan("testssl-openssl-s_server.json"));
    const v = await run(c, scan("testssl-openssl-s_server.csv"));
    expect(j.format).toBe("testssl-json");
    expect(v.format).toBe("testssl-csv");
    for (const r of [j, v]) {
      expect(results(r, "scan.tls.protocols")).toEqual(["pass"]);
      expect(r.checks.find((x) => x.id === "scan.tls.vulnerabilities")?.message).toMatch(
        /^LUCKY13 \(LOW\).*CVE-2013-0169/,
      );
      expect(
        r.checks.find((x) => x.id === "scan.tls.certificate" && /chain_of_trust/.test(x.message))?.result,
      ).toBe("warn");
      expect(proposal(r, "nist-sp-800-213a:T3.4.1.1")?.verdict).toBe("fail");
    }
  });

  it("rejects other input", async () => {
    const r = await run(c, json({ hello: 1 }));
    expect(r.valid).toBe(false);
    expect(results(r, "scan.format")).toEqual(["fail"]);
    expect(c.detect(scan("nmap-loopback-sv.xml"), undefined)).toBeGreaterThan(0.9);
    expect(c.detect(scan("testssl-openssl-s_server.csv"), undefined)).toBeGreaterThan(0.9);
    expect(c.detect(scan("ssh-audit-openssh-9.2-weak.json"), undefined)).toBeGreaterThan(0.8);
  });

  it("survives 10,000 hostile inputs of each format", async () => {
    const seeds = ["nmap-loopback-sv.xml", "testssl-openssl-s_server.csv"].map(scan);
    const tokens = [
      "<",
      ">",
      "</port>",
      "<!ENTITY a 'aaaaaaaaaa'>",
      "&a;",
      '"',
      ",",
      "\n",
      '<host><ports><port portid="99999"/></ports></host>',
    ];
    await fuzzCollector(c, mutator(seeds, tokens), {
      runs: 10_000,
      context: { options: { declared: "tcp/22" } },
    });
    const jsonSeeds = ["ssh-audit-openssh-9.2-weak.json", "testssl-openssl-s_server.json"].map((n) =>
      JSON.parse(new TextDecoder().decode(scan(n))),
    );
    await fuzzCollector(c, jsonMutator(jsonSeeds, 5), { runs: 10_000 });
  }, 120_000);
});
