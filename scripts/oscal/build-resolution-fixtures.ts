/**
 * Builds test/fixtures/oscal-resolution/nist/ from NIST's profile-resolution tests: copies each
 * XML file of usnistgov/OSCAL `src/specifications/profile-resolution/{requirement-tests,
 * profile-resolution-examples}` unchanged and writes its JSON conversion beside it (hrefs to
 * `.xml` documents become `.json`). Usage:
 *
 *   git -C <OSCAL clone> archive <commit> src/specifications/profile-resolution | tar -x -C /tmp/x
 *   npx tsx scripts/oscal/build-resolution-fixtures.ts /tmp/x/src/specifications/profile-resolution
 *
 * The commit used is recorded in test/fixtures/oscal-resolution/SOURCES.md.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { oscalXmlToJson } from "./xml-to-json.js";

const SRC = process.argv[2];
if (!SRC) {
  console.error("usage: build-resolution-fixtures.ts <profile-resolution folder>");
  process.exit(2);
}
const OUT = fileURLToPath(new URL("../../test/fixtures/oscal-resolution/nist/", import.meta.url));
const FOLDERS: [string, string][] = [
  ["requirement-tests", "requirement-tests"],
  ["profile-resolution-examples", "examples"],
];

const toJsonHref = (href: string) =>
  /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith("#") ? href : href.replace(/\.xml$/, ".json");

// An XML external-entity test (the profile pulls its back-matter from another file through a
// DTD entity) and its entity file: XML only, nothing to convert for a JSON resolver.
const XML_ONLY = new Set(["req-spoofing-resource.xml", "spoofed-resource.xml"]);

let n = 0;
for (const [from, to] of FOLDERS) {
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        walk(path);
        continue;
      }
      if (!name.endsWith(".xml") || XML_ONLY.has(name)) continue;
      const rel = relative(join(SRC, from), path);
      const target = join(OUT, to, rel);
      mkdirSync(join(target, ".."), { recursive: true });
      copyFileSync(path, target);
      let json: unknown;
      try {
        json = oscalXmlToJson(readFileSync(path, "utf8"), toJsonHref);
      } catch (e) {
        throw new Error(`${path}: ${(e as Error).message}`);
      }
      writeFileSync(target.replace(/\.xml$/, ".json"), `${JSON.stringify(json, null, 2)}\n`);
      n++;
    }
  };
  walk(join(SRC, from));
}
console.log(`${n} documents converted into ${OUT}`);
