import { describe, expect, it } from "vitest";
import { fixture, proposal, results, run } from "../../../test/helpers/collect.js";
import { fuzzCollector, jsonMutator, mutator } from "../../../test/helpers/fuzz.js";
import { mudCollector as c } from "./index.js";

const mud = (n: string) => fixture("mud", n);
const trust = mud("northwind-mud-ca.pem");
const load = () => JSON.parse(new TextDecoder().decode(mud("t800.mud.json")));
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe("MUD collector", () => {
  it("reads the structure, lists the declared flows and verifies the OpenSSL CMS signature", async () => {
    const r = await run(c, mud("t800.mud.json"), { options: { signature: mud("t800.mud.p7s"), trust } });
    expect(r.valid).toBe(true);
    for (const id of ["mud.structure", "mud.policies", "mud.acls", "mud.signature"])
      expect(results(r, id), id).toEqual(["pass"]);
    expect(r.flows).toEqual([
      {
        direction: "from-device",
        acl: "mud-t800-v6fr",
        ace: "cl0-frdev",
        action: "accept",
        family: "ipv6",
        peer: "cloud.northwind.example",
        protocol: 6,
        ports: "eq 443",
        initiatedBy: "from-device",
      },
      {
        direction: "from-device",
        acl: "mud-t800-v6fr",
        ace: "ntp0-frdev",
        action: "accept",
        family: "ipv6",
        peer: "pool.ntp.org",
        protocol: 17,
        ports: "eq 123",
      },
      {
        direction: "to-device",
        acl: "mud-t800-v6to",
        ace: "cl0-todev",
        action: "accept",
        family: "ipv6",
        peer: "cloud.northwind.example",
        protocol: 6,
        ports: "eq 443",
        initiatedBy: "from-device",
      },
      {
        direction: "to-device",
        acl: "mud-t800-v6to",
        ace: "loc0-todev",
        action: "accept",
        family: "ipv6",
        peer: "local-networks",
        protocol: 17,
        ports: "eq 5683",
      },
    ]);
    expect(proposal(r, "nist-ir-8259b:1.1.c")).toMatchObject({ verdict: "pass", strength: "supports" });
  });

  it("reports an expired signer as such, and what verifies with time set aside", async () => {
    const r = await run(c, mud("t800.mud.json"), {
      options: { signature: mud("t800-expired-signer.mud.p7s"), trust },
    });
    expect(results(r, "mud.signature")).toEqual(["fail"]);
    expect(r.checks.find((x) => x.id === "mud.signature.expired")?.message).toBe(
      "the signer's certificate expired on 2025-01-01T00:00:00.000Z; with time set aside the signature verifies and the chain to the supplied CA verifies",
    );
  });

  it("fails a signature over a changed file, and one against another CA", async () => {
    const changed = new TextDecoder().decode(mud("t800.mud.json")).replace("pool.ntp.org", "evil.example");
    const r = await run(c, new TextEncoder().encode(changed), {
      options: { signature: mud("t800.mud.p7s"), trust },
    });
    expect(results(r, "mud.signature")).toEqual(["fail"]);
    const other = await run(c, mud("t800.mud.json"), {
      options: { signature: mud("t800.mud.p7s"), trust: fixture("x509", "northwind-idevid-root.pem") },
    });
    expect(results(other, "mud.signature")).toEqual(["fail"]);
    const none = await run(c, mud("t800.mud.json"), { options: { signature: mud("t800.mud.p7s") } });
    expect(results(none, "mud.signature")).toEqual(["warn"]);
    const unsigned = await run(c, mud("t800.mud.json"));
    expect(results(unsigned, "mud.signature")).toEqual(["warn"]);
  });

  it("finds structural and ACL errors", async () => {
    const doc = load();
    doc["ietf-mud:mud"]["mud-url"] = "http://northwind.example/mud/t800.json";
    doc["ietf-mud:mud"]["cache-validity"] = 500;
    doc["ietf-mud:mud"]["from-device-policy"]["access-lists"]["access-list"].push({ name: "missing" });
    const aces = doc["ietf-access-control-list:acls"].acl[1].aces.ace;
    aces[0].matches.tcp["destination-port"].port = 70000;
    aces[1].matches.udp["ietf-mud:direction-initiated"] = "from-device";
    aces[1].actions.forwarding = "allow";
    const r = await run(c, json(doc));
    expect(r.valid).toBe(false);
    expect(r.checks.filter((x) => x.result === "fail").map((x) => `${x.id} ${x.location}`)).toEqual([
      "mud.structure /ietf-mud:mud/mud-url",
      "mud.structure /ietf-mud:mud/cache-validity",
      "mud.policies /ietf-mud:mud/from-device-policy",
      "mud.acls /ietf-access-control-list:acls/acl/1/aces/ace/0/matches/tcp/destination-port/port",
      "mud.acls /ietf-access-control-list:acls/acl/1/aces/ace/1/matches/udp",
      "mud.acls /ietf-access-control-list:acls/acl/1/aces/ace/1/actions/forwarding",
    ]);
    expect(r.proposals).toEqual([]);
  });

  // The signed path is a sample (a CMS verification each); `npm run fuzz` runs 10,000 of each.
  it("survives 10,000 hostile inputs, and 2,000 with a signature to verify", async () => {
    await fuzzCollector(c, jsonMutator([load()], 8520), { runs: 10_000 });
    await fuzzCollector(c, mutator([mud("t800.mud.json")], ['"', "{", "}", "[", "]", ":", "null"]), {
      runs: 2000,
      context: { options: { signature: mud("t800.mud.p7s"), trust } },
    });
  }, 120_000);
});
