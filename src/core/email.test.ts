import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONFUSABLES, CONFUSABLES_SOURCE, CONFUSABLES_VERSION } from "../generated/confusables.js";
import { emailConflict, emailProblem, emailSkeleton, normaliseEmail, prepareEmail } from "./email.js";

describe("e-mail normalisation", () => {
  it("NFKC and full case folding: one login for each way of writing an address", () => {
    expect(normaliseEmail("Admin@ACME.Example")).toBe("admin@acme.example");
    expect(normaliseEmail("ａｄｍｉｎ@acme.example")).toBe("admin@acme.example"); // fullwidth
    expect(normaliseEmail("\uFB01le@acme.example")).toBe("file@acme.example"); // the ﬁ ligature
    expect(normaliseEmail("Straße@acme.example")).toBe("strasse@acme.example");
    expect(normaliseEmail("\u212Aelvin@acme.example")).toBe("kelvin@acme.example"); // KELVIN SIGN
    expect(normaliseEmail("𝐚dmin@acme.example")).toBe("admin@acme.example"); // mathematical bold
    expect(normaliseEmail("ΟΔΥΣΣΕΥΣ@acme.example")).toBe("οδυσσευσ@acme.example"); // final sigma folded
  });
});

describe("e-mail skeletons (UTS #39, Unicode 13 confusables as the npm package unhomoglyph ships them)", () => {
  it("uses Unicode's table, from the package", () => {
    expect(CONFUSABLES_VERSION).toBe("13.0.0");
    expect(CONFUSABLES_SOURCE).toBe("unhomoglyph@1.0.6/data.json");
    expect(CONFUSABLES.size).toBe(6311);
    expect(CONFUSABLES.get("\u0430")).toBe("a"); // CYRILLIC SMALL LETTER A
    expect(CONFUSABLES.get("1")).toBe("l");
    expect(CONFUSABLES.get("0")).toBe("O");
  });

  it("look-alikes in other scripts, digits for letters and invisible characters share the skeleton", () => {
    const same = (a: string, b: string) => expect(emailSkeleton(a), `${a} ~ ${b}`).toBe(emailSkeleton(b));
    same("admin@acme.example", "\u0430dmin@acme.example"); // Cyrillic а
    same("paypal@acme.example", "\u0440\u0430\u0443\u0440\u0430l@acme.example"); // раураl, all Cyrillic
    same("bob@acme.example", "b\u03BFb@acme.example"); // Greek omicron
    same("admin@acme.example", "adm1n@acme.example".replace("1", "\u0131")); // dotless ı
    same("al1ce@acme.example", "allce@acme.example"); // 1 and l
    same("admin@acme.example", "ADMIN@ACME.EXAMPLE");
    same("admin@acme.example", "admin@\u0430cme.example"); // in the domain too
    same("admin@acme.example", "ad\u00ADmin@acme.example"); // soft hyphen (default ignorable)
    expect(emailSkeleton("admin@acme.example")).not.toBe(emailSkeleton("admim@acme.example"));
    expect(emailSkeleton("anna@acme.example")).not.toBe(emailSkeleton("anne@acme.example"));
  });

  it("is the same for an address in any case, and for its normalised form (1,000 addresses)", () => {
    const address = fc
      .tuple(fc.stringMatching(/^[a-z0-9._-]{1,20}$/), fc.stringMatching(/^[a-z0-9-]{1,15}\.[a-z]{2,6}$/))
      .map(([l, d]) => `${l}@${d}`);
    fc.assert(
      fc.property(address, (a) => {
        expect(emailSkeleton(a.toUpperCase())).toBe(emailSkeleton(a));
        expect(emailSkeleton(normaliseEmail(a))).toBe(emailSkeleton(a));
      }),
      { numRuns: 1000 },
    );
  });
});

describe("e-mail form", () => {
  it("accepts internationalised addresses and refuses hidden or malformed ones", () => {
    expect(emailProblem("lead@acme.example")).toBeUndefined();
    expect(emailProblem("émile.dupont@exämple.fr")).toBeUndefined();
    expect(emailProblem("θεσσαλονίκη@παράδειγμα.δοκιμή")).toBeUndefined();
    for (const bad of [
      "",
      "lead",
      "lead@acme",
      "a@b@acme.example",
      "lead @acme.example",
      "le\u202Ead@acme.example",
      "le\u200Bad@acme.example",
      "le\u0000ad@acme.example",
      ".lead@acme.example",
      "le..ad@acme.example",
      "lead@-acme.example",
      "lead@acme..example",
      `${"x".repeat(65)}@acme.example`,
      `a@${"x".repeat(250)}.example`,
    ])
      expect(emailProblem(bad), JSON.stringify(bad)).toBeTypeOf("string");
    expect(prepareEmail("Lead@ACME.example")).toEqual({
      ok: true,
      email: "lead@acme.example",
      skeleton: emailSkeleton("lead@acme.example"),
    });
    expect(prepareEmail("lead")).toEqual({ ok: false, problem: "must have exactly one @" });
  });
});

describe("e-mail conflicts", () => {
  it("names a look-alike in the same organisation; says the same few words for any other organisation's", () => {
    expect(emailConflict("org-a", [])).toBeUndefined();
    expect(emailConflict("org-a", [{ orgId: "org-a", email: "admin@acme.example", id: "u1" }])).toBe(
      "a user of this organisation has this address, or one that looks the same (admin@acme.example)",
    );
    const exact = emailConflict("org-a", [{ orgId: "org-b", email: "admin@acme.example" }]);
    const lookAlike = emailConflict("org-a", [{ orgId: "org-c", email: "\u0430dmin@acme.example" }]);
    expect(exact).toBe("this address cannot be used; choose another");
    expect(lookAlike).toBe(exact);
    expect(exact).not.toMatch(/org-b|acme|admin/);
    // Changing one's own address to a variant of itself is not a conflict.
    expect(
      emailConflict("org-a", [{ orgId: "org-a", email: "admin@acme.example", id: "u1" }], "u1"),
    ).toBeUndefined();
  });
});
