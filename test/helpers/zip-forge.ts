/**
 * Writes zip files byte by byte, including the ones no honest writer makes: two entries with one
 * name, a local header that names another file than the central directory, entries the central
 * directory does not list, sizes that lie. For the tests of the strict dossier zip reader.
 */
import { deflateRawSync } from "node:zlib";
import { crc32 } from "../../src/dossier/zip-read.js";

export interface ForgedEntry {
  name: string;
  data: Uint8Array;
  /** The name written in the local header (default: `name`). */
  localName?: string;
  /** 0 stored, 8 deflate (default), anything else as given. */
  method?: number;
  /** Already-compressed bytes to write instead of compressing `data`. */
  compressed?: Uint8Array;
  /** Uncompressed size to declare (default: `data.length`). */
  declaredSize?: number;
  crc?: number;
  flags?: number;
  centralExtra?: Uint8Array;
  localExtra?: Uint8Array;
  /** Leave the entry out of the central directory (its local header and data stay in the file). */
  hidden?: boolean;
  /** Write a data descriptor (flag bit 3, zeros in the local header). */
  descriptor?: boolean;
}

export interface ForgeOptions {
  /** Bytes before the first entry. */
  prefix?: Uint8Array;
  /** Patch the end record's fields: entry count, central directory size and offset. */
  end?: { count?: number; cdSize?: number; cdOffset?: number };
}

function u16(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff];
}

function u32(n: number): number[] {
  return [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
}

const enc = new TextEncoder();

export function forgeZip(entries: ForgedEntry[], options: ForgeOptions = {}): Uint8Array {
  const chunks: number[][] = [];
  let offset = 0;
  const push = (bytes: ArrayLike<number>) => {
    chunks.push(Array.from(bytes));
    offset += bytes.length;
  };
  if (options.prefix) push(options.prefix);
  const central: number[][] = [];
  for (const e of entries) {
    const method = e.method ?? 8;
    const data = e.compressed ?? (method === 8 ? deflateRawSync(e.data) : e.data);
    const name = enc.encode(e.name);
    const localName = enc.encode(e.localName ?? e.name);
    const ascii = (b: Uint8Array) => b.every((x) => x < 0x80);
    const utf8 = ascii(name) && ascii(localName) ? 0 : 0x0800;
    const flags = (e.flags ?? utf8) | (e.descriptor ? 0x0008 : 0);
    const crc = e.crc ?? crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const localExtra = e.localExtra ?? new Uint8Array();
    const centralExtra = e.centralExtra ?? new Uint8Array();
    const at = offset;
    push([
      ...u32(0x04034b50),
      ...u16(20),
      ...u16(flags),
      ...u16(method),
      ...u16(0),
      ...u16(0x21),
      ...u32(e.descriptor ? 0 : crc),
      ...u32(e.descriptor ? 0 : data.length),
      ...u32(e.descriptor ? 0 : size),
      ...u16(localName.length),
      ...u16(localExtra.length),
      ...localName,
      ...localExtra,
    ]);
    push(data);
    if (e.descriptor) push([...u32(0x08074b50), ...u32(crc), ...u32(data.length), ...u32(size)]);
    if (e.hidden) continue;
    central.push([
      ...u32(0x02014b50),
      ...u16(20),
      ...u16(20),
      ...u16(flags),
      ...u16(method),
      ...u16(0),
      ...u16(0x21),
      ...u32(crc),
      ...u32(data.length),
      ...u32(size),
      ...u16(name.length),
      ...u16(centralExtra.length),
      ...u16(0),
      ...u16(0),
      ...u16(0),
      ...u32(0),
      ...u32(at),
      ...name,
      ...centralExtra,
    ]);
  }
  const cdOffset = offset;
  for (const c of central) push(c);
  const cdSize = offset - cdOffset;
  const count = options.end?.count ?? central.length;
  push([
    ...u32(0x06054b50),
    ...u16(0),
    ...u16(0),
    ...u16(count),
    ...u16(count),
    ...u32(options.end?.cdSize ?? cdSize),
    ...u32(options.end?.cdOffset ?? cdOffset),
    ...u16(0),
  ]);
  const out = new Uint8Array(offset);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

/**
 * Deflate data that inflates to `mib` MiB of zeros, about 1 KiB per MiB, made without holding the
 * zeros: one MiB compressed with a full flush (byte-aligned, no history) repeated, then an empty
 * final block.
 */
export function zeroBomb(mib: number): Uint8Array {
  const unit = deflateRawSync(new Uint8Array(1024 * 1024), { finishFlush: 3 /* Z_FULL_FLUSH */, level: 9 });
  const end = deflateRawSync(new Uint8Array(0));
  const out = new Uint8Array(unit.length * mib + end.length);
  for (let i = 0; i < mib; i++) out.set(unit, i * unit.length);
  out.set(end, unit.length * mib);
  return out;
}
