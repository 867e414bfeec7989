import { createRequire } from "node:module";

/**
 * Version ordering per ecosystem, as OSV defines ecosystems: semver (npm, Go, crates.io, Hex, Pub,
 * SwiftURL...) and PEP 440 (PyPI) through their reference libraries; Maven, RubyGems, Debian/Ubuntu
 * (dpkg), RPM distributions, Alpine (apk) and NuGet by their published algorithms; anything else by a
 * natural order of number and letter runs. A comparator returns undefined when a version is not valid
 * in its ecosystem: such a component is reported as not checkable, never as not affected.
 */
export type Compare = (a: string, b: string) => number | undefined;

const require = createRequire(import.meta.url);
type SemverModule = typeof import("semver");
type Pep440Module = typeof import("@renovatebot/pep440");
let semverModule: SemverModule | undefined;
let pep440Module: Pep440Module | undefined;
const semver = () => {
  semverModule ??= require("semver") as SemverModule;
  return semverModule;
};
const pep440 = () => {
  pep440Module ??= require("@renovatebot/pep440") as Pep440Module;
  return pep440Module;
};

const sign = (n: number) => (n < 0 ? -1 : n > 0 ? 1 : 0);

// Parsed versions, cached: matching compares the same few range bounds thousands of times.
const semverCache = new Map<string, import("semver").SemVer | null>();
function parseSemver(v: string): import("semver").SemVer | null {
  let p = semverCache.get(v);
  if (p === undefined) {
    if (semverCache.size > 100_000) semverCache.clear();
    p = semver().parse(v.replace(/\+incompatible$/, ""), { loose: true });
    semverCache.set(v, p);
  }
  return p;
}

export const semverCompare: Compare = (a, b) => {
  const x = parseSemver(a);
  const y = parseSemver(b);
  return x && y ? x.compare(y) : undefined;
};

export const pep440Compare: Compare = (a, b) => {
  const p = pep440();
  if (!p.valid(a) || !p.valid(b)) return undefined;
  return sign(p.compare(a, b));
};

const PRE_RELEASE = /^(alpha|beta|rc|pre|preview|dev|snapshot|milestone|cr|ea)$/i;

/**
 * Whether the last token of a version is a letter suffix that names a later release: letters glued to
 * the final number and ending the version, other than a pre-release word (OpenSSL's 1.0.1g follows
 * 1.0.1, as NVD's versionEndExcluding "1.0.1g" of CVE-2014-0160 states; 2.0rc1 and 2.0-beta precede 2.0).
 */
function laterLetterRelease(version: string, token: string): boolean {
  const before = version.charCodeAt(version.length - token.length - 1);
  return version.endsWith(token) && before >= 48 && before <= 57 && !PRE_RELEASE.test(token);
}

/** Natural order: runs of digits compare as numbers, runs of other characters as text; separators ignored. */
export const genericCompare: Compare = (a, b) => {
  // A leading "v" (v1.2.3) is a tag convention, not part of the version.
  const tok = (v: string) => v.replace(/^v(?=\d)/i, "").match(/\d+|[A-Za-z]+/g) ?? [];
  const x = tok(a);
  const y = tok(b);
  if (x.length === 0 || y.length === 0) return undefined;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined)
      return /^\d/.test(q as string) || (i === y.length - 1 && laterLetterRelease(b, q as string)) ? -1 : 1;
    if (q === undefined) return /^\d/.test(p) || (i === x.length - 1 && laterLetterRelease(a, p)) ? 1 : -1;
    const pn = /^\d/.test(p);
    const qn = /^\d/.test(q);
    if (pn && qn) {
      const d = sign(Number(BigInt(p) - BigInt(q)));
      if (d !== 0) return d;
    } else if (pn !== qn) return pn ? 1 : -1;
    else if (p !== q) return p < q ? -1 : 1;
  }
  return 0;
};

// dpkg (Debian Policy 5.6.12): epoch, upstream, revision; letters sort before non-letters, ~ before all.
function dpkgOrder(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === "~") return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}
function dpkgPart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let first = 0;
    while ((i < a.length && !/\d/.test(a[i] as string)) || (j < b.length && !/\d/.test(b[j] as string))) {
      const ac = i < a.length && !/\d/.test(a[i] as string) ? a[i] : undefined;
      const bc = j < b.length && !/\d/.test(b[j] as string) ? b[j] : undefined;
      const d = dpkgOrder(ac) - dpkgOrder(bc);
      if (d !== 0) return sign(d);
      if (ac !== undefined) i++;
      if (bc !== undefined) j++;
    }
    while (a[i] === "0") i++;
    while (b[j] === "0") j++;
    while (/\d/.test(a[i] ?? "") && /\d/.test(b[j] ?? "")) {
      if (first === 0) first = (a[i] as string).charCodeAt(0) - (b[j] as string).charCodeAt(0);
      i++;
      j++;
    }
    if (/\d/.test(a[i] ?? "")) return 1;
    if (/\d/.test(b[j] ?? "")) return -1;
    if (first !== 0) return sign(first);
  }
  return 0;
}
export const dpkgCompare: Compare = (a, b) => {
  const split = (v: string) => {
    const m = /^(?:(\d+):)?(.+?)(?:-([^-]+))?$/.exec(v.trim());
    if (!m || !/^\d/.test(m[2] as string)) return undefined;
    return { epoch: Number(m[1] ?? 0), upstream: m[2] as string, revision: m[3] ?? "" };
  };
  const x = split(a);
  const y = split(b);
  if (!x || !y) return undefined;
  if (x.epoch !== y.epoch) return sign(x.epoch - y.epoch);
  return dpkgPart(x.upstream, y.upstream) || dpkgPart(x.revision, y.revision);
};

// rpmvercmp: alphanumeric segments; numbers beat letters; ~ sorts before everything, ^ after the end.
function rpmSegmentCompare(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !/[A-Za-z0-9~^]/.test(a[i] as string)) i++;
    while (j < b.length && !/[A-Za-z0-9~^]/.test(b[j] as string)) j++;
    if (a[i] === "~" || b[j] === "~") {
      if (a[i] !== "~") return 1;
      if (b[j] !== "~") return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === "^" || b[j] === "^") {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== "^") return 1;
      if (b[j] !== "^") return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = /\d/.test(a[i] as string);
    const re = numeric ? /^\d+/ : /^[A-Za-z]+/;
    const x = (re.exec(a.slice(i)) ?? [""])[0];
    const y = (re.exec(b.slice(j)) ?? [""])[0];
    if (y === "") return numeric ? 1 : -1;
    i += x.length;
    j += y.length;
    if (numeric) {
      const xs = x.replace(/^0+/, "");
      const ys = y.replace(/^0+/, "");
      if (xs.length !== ys.length) return xs.length > ys.length ? 1 : -1;
      if (xs !== ys) return xs > ys ? 1 : -1;
    } else if (x !== y) return x > y ? 1 : -1;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}
export const rpmCompare: Compare = (a, b) => {
  const split = (v: string) => {
    const m = /^(?:(\d+):)?([^-]+)(?:-(.+))?$/.exec(v.trim());
    return m ? { epoch: Number(m[1] ?? 0), version: m[2] as string, release: m[3] } : undefined;
  };
  const x = split(a);
  const y = split(b);
  if (!x || !y) return undefined;
  if (x.epoch !== y.epoch) return sign(x.epoch - y.epoch);
  const v = rpmSegmentCompare(x.version, y.version);
  if (v !== 0 || x.release === undefined || y.release === undefined) return v;
  return rpmSegmentCompare(x.release, y.release);
};

// Maven ComparableVersion: items split at '.', '-' and digit/letter transitions; known qualifiers ordered.
const MAVEN_QUALIFIERS = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const MAVEN_ALIASES: Record<string, string> = {
  a: "alpha",
  b: "beta",
  m: "milestone",
  cr: "rc",
  ga: "",
  final: "",
  release: "",
};
type MavenItem = { n: bigint } | { s: string } | { list: MavenItem[] };
function mavenQualifierKey(s: string): string {
  const q = MAVEN_ALIASES[s] ?? s;
  const i = MAVEN_QUALIFIERS.indexOf(q);
  return i >= 0 ? String(i) : `${MAVEN_QUALIFIERS.length}-${q}`;
}
function mavenParse(v: string): MavenItem[] {
  const root: MavenItem[] = [];
  let list = root;
  const stack: MavenItem[][] = [root];
  const tokens = v.toLowerCase().match(/\d+|[a-z]+|[.-]/g) ?? [];
  let prevDigit: boolean | undefined;
  for (const t of tokens) {
    if (t === ".") {
      prevDigit = undefined;
      continue;
    }
    if (t === "-") {
      const sub: MavenItem[] = [];
      list.push({ list: sub });
      list = sub;
      stack.push(sub);
      prevDigit = undefined;
      continue;
    }
    const digit = /^\d/.test(t);
    if (prevDigit !== undefined && prevDigit !== digit) {
      const sub: MavenItem[] = [];
      list.push({ list: sub });
      list = sub;
      stack.push(sub);
    }
    const alias = !digit && t.length === 1 && MAVEN_ALIASES[t] !== undefined;
    list.push(digit ? { n: BigInt(t) } : { s: alias ? (MAVEN_ALIASES[t] as string) : t });
    prevDigit = digit;
  }
  // Trailing "null" items (0, "", ga, final, release) do not count.
  for (const l of stack) {
    while (l.length > 0) {
      const last = l[l.length - 1] as MavenItem;
      if (
        ("n" in last && last.n === 0n) ||
        ("s" in last && mavenQualifierKey(last.s) === "5") ||
        ("list" in last && last.list.length === 0)
      )
        l.pop();
      else break;
    }
  }
  return root;
}
function mavenItemCompare(a: MavenItem | undefined, b: MavenItem | undefined): number {
  if (a === undefined && b === undefined) return 0;
  if (a === undefined) return -mavenItemCompare(b, undefined);
  if ("n" in a) {
    if (b === undefined) return a.n === 0n ? 0 : 1;
    if ("n" in b) return a.n === b.n ? 0 : a.n > b.n ? 1 : -1;
    return 1;
  }
  if ("s" in a) {
    if (b === undefined) return sign(mavenQualifierKey(a.s).localeCompare("5"));
    if ("n" in b || "list" in b) return -1;
    const x = mavenQualifierKey(a.s);
    const y = mavenQualifierKey(b.s);
    return x === y ? 0 : x < y ? -1 : 1;
  }
  if (b === undefined) return a.list.length === 0 ? 0 : mavenItemCompare(a.list[0], undefined);
  if ("n" in b) return -1;
  if ("s" in b) return 1;
  for (let i = 0; i < Math.max(a.list.length, b.list.length); i++) {
    const d = mavenItemCompare(a.list[i], b.list[i]);
    if (d !== 0) return d;
  }
  return 0;
}
export const mavenCompare: Compare = (a, b) => {
  if (!/\d/.test(a) || !/\d/.test(b)) return undefined;
  return mavenItemCompare({ list: mavenParse(a) }, { list: mavenParse(b) });
};

// RubyGems Gem::Version: segments of digits or letters; a letter segment makes a prerelease.
export const gemCompare: Compare = (a, b) => {
  const ok = /^[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;
  if (!ok.test(a.trim()) || !ok.test(b.trim())) return undefined;
  const segs = (v: string) => {
    const s = (
      v
        .trim()
        .replace(/-/g, ".pre.")
        .match(/\d+|[a-zA-Z]+/g) ?? []
    ).map((x) => (/^\d/.test(x) ? BigInt(x) : x));
    while (s.length > 0 && s[s.length - 1] === 0n) s.pop();
    return s;
  };
  const x = segs(a);
  const y = segs(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? 0n;
    const q = y[i] ?? 0n;
    if (p === q) continue;
    if (typeof p === "string" && typeof q === "bigint") return -1;
    if (typeof p === "bigint" && typeof q === "string") return 1;
    return p < q ? -1 : 1;
  }
  return 0;
};

// NuGet: up to four numeric parts, then a semver-like prerelease compared case-insensitively.
export const nugetCompare: Compare = (a, b) => {
  const parse = (v: string) => {
    const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/.exec(v.trim());
    return m ? { nums: [1, 2, 3, 4].map((i) => BigInt(m[i] ?? 0)), pre: m[5]?.toLowerCase() } : undefined;
  };
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < 4; i++)
    if (x.nums[i] !== y.nums[i]) return (x.nums[i] as bigint) > (y.nums[i] as bigint) ? 1 : -1;
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return semverCompare(`0.0.0-${x.pre}`, `0.0.0-${y.pre}`) ?? sign(x.pre.localeCompare(y.pre));
};

// Alpine apk: digits separated by dots, an optional letter, suffixes (_alpha < _beta < _pre < _rc < none < _cvs < _svn < _git < _hg < _p), -rN.
const APK_SUFFIX = ["alpha", "beta", "pre", "rc", "", "cvs", "svn", "git", "hg", "p"];
export const apkCompare: Compare = (a, b) => {
  const parse = (v: string) => {
    const m =
      /^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)(?:~[0-9a-f]+)?(?:-r(\d+))?$/.exec(
        v.trim(),
      );
    if (!m) return undefined;
    const suffixes = ((m[3] ?? "").match(/_[a-z]+\d*/g) ?? []).map((s) => {
      const x = /_([a-z]+)(\d*)/.exec(s) as RegExpExecArray;
      return [APK_SUFFIX.indexOf(x[1] as string), Number(x[2] || 0)] as [number, number];
    });
    return {
      nums: (m[1] as string).split(".").map((n) => BigInt(n)),
      letter: m[2] ?? "",
      suffixes,
      rel: Number(m[4] ?? 0),
    };
  };
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return undefined;
  for (let i = 0; i < Math.max(x.nums.length, y.nums.length); i++) {
    const p = x.nums[i];
    const q = y.nums[i];
    if (p === q) continue;
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    return p > q ? 1 : -1;
  }
  if (x.letter !== y.letter) return x.letter < y.letter ? -1 : 1;
  for (let i = 0; i < Math.max(x.suffixes.length, y.suffixes.length); i++) {
    const p = x.suffixes[i] ?? [4, 0];
    const q = y.suffixes[i] ?? [4, 0];
    if (p[0] !== q[0]) return sign(p[0] - q[0]);
    if (p[1] !== q[1]) return sign(p[1] - q[1]);
  }
  return sign(x.rel - y.rel);
};

const BY_ECOSYSTEM: Record<string, { name: string; compare: Compare }> = {
  npm: { name: "semver", compare: semverCompare },
  Go: { name: "semver", compare: semverCompare },
  "crates.io": { name: "semver", compare: semverCompare },
  Hex: { name: "semver", compare: semverCompare },
  Pub: { name: "semver", compare: semverCompare },
  SwiftURL: { name: "semver", compare: semverCompare },
  "GitHub Actions": { name: "semver", compare: semverCompare },
  Bitnami: { name: "semver", compare: semverCompare },
  Packagist: { name: "natural", compare: genericCompare },
  PyPI: { name: "pep440", compare: pep440Compare },
  Maven: { name: "maven", compare: mavenCompare },
  RubyGems: { name: "rubygems", compare: gemCompare },
  NuGet: { name: "nuget", compare: nugetCompare },
  Debian: { name: "dpkg", compare: dpkgCompare },
  Ubuntu: { name: "dpkg", compare: dpkgCompare },
  Alpine: { name: "apk", compare: apkCompare },
  Wolfi: { name: "apk", compare: apkCompare },
  Chainguard: { name: "apk", compare: apkCompare },
  "Red Hat": { name: "rpm", compare: rpmCompare },
  "Rocky Linux": { name: "rpm", compare: rpmCompare },
  AlmaLinux: { name: "rpm", compare: rpmCompare },
  SUSE: { name: "rpm", compare: rpmCompare },
  openSUSE: { name: "rpm", compare: rpmCompare },
  Mageia: { name: "rpm", compare: rpmCompare },
  openEuler: { name: "rpm", compare: rpmCompare },
};

/** The ordering of an OSV ecosystem (`Debian:12` uses Debian's); SEMVER ranges always use semver. */
export function comparatorFor(
  ecosystem: string | undefined,
  rangeType?: string,
): { name: string; compare: Compare } {
  if (rangeType === "SEMVER") return { name: "semver", compare: semverCompare };
  const base = (ecosystem ?? "").split(":")[0] as string;
  return BY_ECOSYSTEM[base] ?? { name: "natural", compare: genericCompare };
}
