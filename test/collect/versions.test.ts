import { describe, expect, it } from "vitest";
import {
  apkCompare,
  comparatorFor,
  dpkgCompare,
  gemCompare,
  genericCompare,
  mavenCompare,
  nugetCompare,
  pep440Compare,
  rpmCompare,
  semverCompare,
} from "../../src/collect/vulns/versions.js";

// Each row: a < b in that ecosystem's published ordering.
const ascending: [string, (a: string, b: string) => number | undefined, string, string][] = [
  ["semver prerelease", semverCompare, "1.2.3-beta.2", "1.2.3"],
  ["semver numeric", semverCompare, "1.9.0", "1.10.0"],
  ["go v-prefix and +incompatible", semverCompare, "v2.0.0+incompatible", "v2.1.0"],
  ["pep440 pre < final", pep440Compare, "1.0rc1", "1.0"],
  ["pep440 final < post", pep440Compare, "1.0", "1.0.post1"],
  ["pep440 dev < pre", pep440Compare, "1.0.dev1", "1.0a1"],
  ["pep440 epoch", pep440Compare, "2.0", "1!0.1"],
  ["maven beta < final", mavenCompare, "2.0-beta9", "2.0"],
  ["maven rc < final", mavenCompare, "2.15.0-rc1", "2.15.0"],
  ["maven numeric", mavenCompare, "2.9", "2.10"],
  ["maven final < sp", mavenCompare, "1.0", "1.0-sp1"],
  ["maven milestone < rc", mavenCompare, "3.0-M1", "3.0-RC1"],
  ["dpkg tilde sorts first", dpkgCompare, "1.0~rc1", "1.0"],
  ["dpkg revision", dpkgCompare, "7.88.1-10", "7.88.1-10+deb12u5"],
  ["dpkg epoch", dpkgCompare, "9.9-1", "1:0.1-1"],
  ["dpkg letters before non-letters", dpkgCompare, "1.0a", "1.0+"],
  ["rpm numeric segments", rpmCompare, "1.0.9", "1.0.10"],
  ["rpm tilde", rpmCompare, "1.0~rc1-1", "1.0-1"],
  ["rpm release", rpmCompare, "3.0.7-24.el9", "3.0.7-25.el9"],
  ["rpm epoch", rpmCompare, "5.0-1", "1:1.0-1"],
  ["gem prerelease", gemCompare, "1.0.0.beta", "1.0.0"],
  ["gem numeric", gemCompare, "1.9", "1.10"],
  ["nuget four parts", nugetCompare, "4.0.0.1", "4.0.0.2"],
  ["nuget prerelease", nugetCompare, "1.0.0-alpha", "1.0.0"],
  ["apk suffixes", apkCompare, "1.2.3_rc1-r0", "1.2.3-r0"],
  ["apk release", apkCompare, "1.36.1-r0", "1.36.1-r5"],
  ["apk letter", apkCompare, "1.2.3", "1.2.3a"],
  ["natural order", genericCompare, "3.6.2", "3.6.10"],
  ["natural v-prefix", genericCompare, "v3.5.0", "3.7.0"],
  ["natural: a letter release follows its number (OpenSSL)", genericCompare, "1.0.1", "1.0.1f"],
  ["natural: letter releases in order", genericCompare, "1.0.1f", "1.0.1g"],
  ["natural: two-letter releases follow one-letter ones", genericCompare, "1.0.2z", "1.0.2za"],
  ["natural: a letter release precedes the next number", genericCompare, "1.0.1g", "1.0.2"],
  ["natural: a separated pre-release precedes", genericCompare, "1.0.2-beta1", "1.0.2"],
  ["natural: a glued pre-release word precedes", genericCompare, "2.0rc1", "2.0"],
  ["natural: a glued pre-release word at the end precedes", genericCompare, "2.0beta", "2.0"],
];

describe("version order per ecosystem", () => {
  it.each(ascending)("%s: %s < %s", (_n, compare, a, b) => {
    expect(compare(a, b)).toBe(-1);
    expect(compare(b, a)).toBe(1);
    expect(compare(a, a)).toBe(0);
  });

  it("gives no order for versions invalid in their ecosystem", () => {
    expect(semverCompare("not-a-version", "1.0.0")).toBeUndefined();
    expect(pep440Compare("1.0", "@@")).toBeUndefined();
    expect(dpkgCompare("", "1.0")).toBeUndefined();
  });

  it("maps OSV ecosystems (with release suffixes) to their orderings", () => {
    expect(comparatorFor("Debian:12").name).toBe("dpkg");
    expect(comparatorFor("PyPI").name).toBe("pep440");
    expect(comparatorFor("Maven").name).toBe("maven");
    expect(comparatorFor("Rocky Linux:9").name).toBe("rpm");
    expect(comparatorFor("Alpine:v3.20").name).toBe("apk");
    expect(comparatorFor("Maven", "SEMVER").name).toBe("semver");
    expect(comparatorFor("Unheard-of").name).toBe("natural");
  });
});
