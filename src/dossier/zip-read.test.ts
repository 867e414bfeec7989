import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ForgedEntry, type ForgeOptions, forgeZip, zeroBomb } from "../../test/helpers/zip-forge.js";
import { deterministicZip, zipTime } from "./zip.js";
import { DEFAULT_ZIP_LIMITS, StrictZip, type ZipLimits } from "./zip-read.js";

const dir = mkdtempSync(join(tmpdir(), "cairn-zip-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const enc = new TextEncoder();
let n = 0;

function file(bytes: Uint8Array): string {
  const path = join(dir, `${++n}.zip`);
  writeFileSync(path, bytes);
  return path;
}

/** Opens and reads every entry; returns the entries' names and bytes, or the error's message. */
async function read(
  bytes: Uint8Array,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
): Promise<Map<string, string> | string> {
  let zip: StrictZip | undefined;
  try {
    zip = StrictZip.open(file(bytes), limits);
    const out = new Map<string, string>();
    for (const e of zip.entries) out.set(e.name, Buffer.from(await zip.bytes(e, 1 << 20)).toString());
    return out;
  } catch (err) {
    return (err as Error).message;
  } finally {
    zip?.close();
  }
}

const forge = (entries: ForgedEntry[], options?: ForgeOptions) => forgeZip(entries, options);
const entry = (name: string, text: string, more: Partial<ForgedEntry> = {}): ForgedEntry => ({
  name,
  data: enc.encode(text),
  ...more,
});

describe("the strict zip reader", () => {
  it("reads what fflate writes (the dossier's own zips), and honest zips with data descriptors and folders", async () => {
    const zip = deterministicZip(
      [
        ["manifest.json", enc.encode("{}")],
        ["evidence/a.txt", enc.encode("alpha")],
      ],
      zipTime("2026-01-01"),
    );
    expect(await read(zip)).toEqual(
      new Map([
        ["manifest.json", "{}"],
        ["evidence/a.txt", "alpha"],
      ]),
    );
    const other = forge([
      { name: "evidence/", data: new Uint8Array(), method: 0 },
      entry("evidence/b.txt", "beta", { descriptor: true }),
      entry("stored.txt", "as is", { method: 0 }),
      entry("évidence.txt", "utf-8 name"),
    ]);
    expect(await read(other)).toEqual(
      new Map([
        ["evidence/", ""],
        ["evidence/b.txt", "beta"],
        ["stored.txt", "as is"],
        ["évidence.txt", "utf-8 name"],
      ]),
    );
  });

  it("refuses two entries with one name: the first (what unzip -p shows) or the last (what a map keeps)?", async () => {
    const r = await read(forge([entry("report.html", "forged"), entry("report.html", "genuine")]));
    expect(r).toMatch(/entry 1 \("report\.html"\): the name appears twice \(first as entry 0\)/);
  });

  it("refuses an entry whose local header names another file than the central directory", async () => {
    const r = await read(forge([entry("report.html", "x", { localName: "evil.html" })]));
    expect(r).toMatch(/entry 0 \("report\.html"\): the local header names it "evil\.html"/);
  });

  it("refuses bytes no central directory entry accounts for: a hidden entry, a prefix, a gap before the directory", async () => {
    expect(
      await read(forge([entry("report.html", "forged", { hidden: true }), entry("report.html", "genuine")])),
    ).toMatch(/bytes at offset 0 belong to no entry of the central directory/);
    expect(await read(forge([entry("a.txt", "a")], { prefix: enc.encode("MZ self-extractor") }))).toMatch(
      /belong to no entry/,
    );
    expect(await read(forge([entry("a.txt", "a"), entry("b.txt", "b", { hidden: true })]))).toMatch(
      /belong to no entry/,
    );
  });

  it("refuses a second name in an Info-ZIP Unicode path field, ZIP64, non-ASCII names without the UTF-8 flag", async () => {
    const unicodePath = Uint8Array.of(0x75, 0x70, 5, 0, 1, 0, 0, 0, 0x78);
    expect(await read(forge([entry("a.txt", "a", { centralExtra: unicodePath })]))).toMatch(
      /second \(Info-ZIP Unicode\) name/,
    );
    expect(await read(forge([entry("a.txt", "a", { localExtra: unicodePath })]))).toMatch(
      /second \(Info-ZIP Unicode\) name/,
    );
    const zip64 = Uint8Array.of(0x01, 0x00, 0, 0);
    expect(await read(forge([entry("a.txt", "a", { centralExtra: zip64 })]))).toMatch(/ZIP64/);
    expect(await read(forge([entry("a.txt", "a")], { end: { count: 0xffff } }))).toMatch(/ZIP64/);
    expect(await read(forge([entry("é.txt", "a", { flags: 0 })]))).toMatch(
      /non-ASCII name without the UTF-8 flag/,
    );
  });

  it("refuses unsafe names", async () => {
    for (const name of [
      "../escape.txt",
      "/etc/passwd",
      "C:/x.txt",
      "a\\b.txt",
      "a//b",
      "./a",
      "a\u202Etxt.exe",
      "a\u0000b",
    ])
      expect(await read(forge([entry(name, "x")])), name).toMatch(/entry 0/);
  });

  it("lists an entry named __proto__ like any other (a map, not an object)", async () => {
    const r = await read(forge([entry("__proto__", "hidden?"), entry("constructor", "c")]));
    expect(r).toEqual(
      new Map([
        ["__proto__", "hidden?"],
        ["constructor", "c"],
      ]),
    );
  });

  it("bounds what it inflates before inflating: per entry, in total, and the compression ratio", async () => {
    const small = { ...DEFAULT_ZIP_LIMITS, maxEntryBytes: 1000, maxTotalBytes: 1500 };
    expect(await read(forge([entry("a.txt", "x".repeat(1001))]), small)).toMatch(
      /1001 bytes uncompressed; at most 1000/,
    );
    expect(
      await read(forge([entry("a.txt", "x".repeat(800)), entry("b.txt", "y".repeat(800))]), small),
    ).toMatch(/entry 1 .* add up to more than 1500/);
    // 64 MiB of zeros in 66 KB, declared honestly: refused from the central directory alone.
    const bomb = zeroBomb(64);
    const started = Date.now();
    expect(
      await read(
        forge([
          { name: "zeros.bin", data: new Uint8Array(), compressed: bomb, declaredSize: 64 << 20, crc: 0 },
        ]),
      ),
    ).toMatch(/compressed \d+ to 1; at most 100 to 1/);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("stops inflating an entry that lies about its size, as soon as it passes the declared size", async () => {
    const bomb = zeroBomb(256);
    const zip = StrictZip.open(
      file(
        forge([{ name: "zeros.bin", data: new Uint8Array(), compressed: bomb, declaredSize: 4096, crc: 0 }]),
      ),
    );
    let seen = 0;
    try {
      await expect(zip.stream(zip.entries[0] as never, (c) => (seen += c.length))).rejects.toThrow(
        /inflates past its declared 4096 bytes/,
      );
    } finally {
      zip.close();
    }
    expect(seen).toBeLessThanOrEqual(4096);
  });

  it("streams entries over 4 MiB in pieces, with the same checks", async () => {
    const big = new Uint8Array(randomBytes(5 * 1024 * 1024 + 17));
    const zip = StrictZip.open(file(forge([{ name: "big.bin", data: big }])));
    const chunks: number[] = [];
    const hash = createHash("sha256");
    try {
      await zip.stream(zip.entries[0] as never, (c) => {
        chunks.push(c.length);
        hash.update(c);
      });
    } finally {
      zip.close();
    }
    expect(chunks.length).toBeGreaterThan(1);
    expect(hash.digest("hex")).toBe(createHash("sha256").update(big).digest("hex"));
    const liar = StrictZip.open(
      file(
        forge([
          { name: "z.bin", data: new Uint8Array(), compressed: zeroBomb(64), declaredSize: 5 << 20, crc: 0 },
        ]),
      ),
    );
    let seen = 0;
    try {
      await expect(liar.stream(liar.entries[0] as never, (c) => (seen += c.length))).rejects.toThrow(
        /inflates past its declared 5242880 bytes/,
      );
    } finally {
      liar.close();
    }
    expect(seen).toBeLessThanOrEqual(5 << 20);
  });

  it("checks each entry's CRC-32 and size, and the data descriptor against the central directory", async () => {
    expect(await read(forge([entry("a.txt", "abc", { crc: 1234 })]))).toMatch(/CRC-32 does not match/);
    expect(await read(forge([entry("a.txt", "abc", { declaredSize: 5 })]))).toMatch(
      /3 bytes, the central directory says 5/,
    );
    const good = forge([entry("a.txt", "abc", { descriptor: true })]);
    expect(await read(good)).toEqual(new Map([["a.txt", "abc"]]));
    const bad = Uint8Array.from(good);
    const at = Buffer.from(bad).indexOf(Buffer.from([0x50, 0x4b, 0x07, 0x08]));
    bad[at + 8] = 99; // the descriptor's compressed size
    expect(await read(bad)).toMatch(/data descriptor differs/);
  });

  it("refuses encryption, other compression methods, multi-disk archives and what is not a zip", async () => {
    expect(await read(forge([entry("a.txt", "a", { flags: 1 })]))).toMatch(/encrypted/);
    expect(await read(forge([entry("a.txt", "a", { method: 12, compressed: enc.encode("BZh9") })]))).toMatch(
      /compression method 12/,
    );
    expect(await read(enc.encode("hello, not a zip at all, just text"))).toMatch(/not a zip/);
    expect(await read(new Uint8Array(5))).toMatch(/not a zip/);
    const z = forge([entry("a.txt", "a")]);
    const cut = z.subarray(0, z.length - 30);
    expect(await read(cut)).toMatch(/not a zip|outside the file|central directory/);
    expect(await read(forge([entry("a.txt", "a")], { end: { cdOffset: 3 } }))).toMatch(
      /does not end where the end record starts/,
    );
  });
});
