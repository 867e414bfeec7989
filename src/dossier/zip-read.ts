/**
 * A strict reader for the zips a dossier travels in. General-purpose readers resolve the ambiguities
 * of the format silently and differently (the first or the last of two entries with one name, the
 * local header's name or the central directory's, an Info-ZIP Unicode path or the plain one), so a
 * zip can show one file to `unzip` and another to a checker. This reader refuses every such
 * ambiguity instead, bounds what it will inflate before inflating anything, and streams each
 * entry's bytes to the caller: memory stays flat whatever the zip claims.
 *
 * Accepted: one disk, no ZIP64, no encryption, entries stored or deflated, optional data
 * descriptors, UTF-8 names (or ASCII ones), entries laid end to end from byte 0 up to the central
 * directory, which runs up to the end record. That is what fflate, Info-ZIP's zip and most other
 * writers produce for a folder of files.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createInflateRaw, inflateRawSync } from "node:zlib";

export interface ZipLimits {
  /** Largest zip file read at all. */
  maxZipBytes: number;
  /** Most entries in the central directory. */
  maxEntries: number;
  /** Largest uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Largest sum of the uncompressed sizes of all entries. */
  maxTotalBytes: number;
  /** Largest uncompressed/compressed ratio of an entry larger than `ratioFloorBytes`. */
  maxRatio: number;
  /** Entries up to this size may have any ratio (a few KiB of zeros compress a thousandfold). */
  ratioFloorBytes: number;
}

/**
 * Defaults: far above any real dossier (evidence files are at most 256 MiB in an assessment
 * folder, 50 MiB by default on the server), far below what hurts the machine. Text and JSON
 * deflate 5 to 30 times; 100 leaves room and stops bombs, which reach about 1000.
 */
export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxZipBytes: 4 * 1024 ** 3 - 1,
  maxEntries: 20_000,
  maxEntryBytes: 1024 ** 3,
  maxTotalBytes: 4 * 1024 ** 3 - 1,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
};

export interface ZipEntry {
  /** The entry's name, identical in the central directory and its local header. */
  name: string;
  index: number;
  method: 0 | 8;
  crc32: number;
  compressedSize: number;
  size: number;
  /** Offset of the entry's data in the file. */
  dataStart: number;
  directory: boolean;
}

/** A structural problem of the zip: the message names the entry (index and name) where there is one. */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZipFormatError";
  }
}

/** Entries up to this size (both ways) are inflated in one call; larger ones stream in 64 KiB reads. */
const SMALL_ENTRY_BYTES = 4 * 1024 * 1024;

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_END = 0x06054b50;
const SIG_DESCRIPTOR = 0x08074b50;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_DESCRIPTOR = 0x0008;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
const FLAG_MASKED_HEADER = 0x2000;
/** Extra fields that change what an entry is: sizes (ZIP64) or its name (Info-ZIP Unicode path). */
const EXTRA_ZIP64 = 0x0001;
const EXTRA_UNICODE_PATH = 0x7075;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Names a path may not have: absolute, drive letters, `..`, empty or dot segments, controls, backslashes. */
function unsafeName(name: string): string | undefined {
  if (name.length === 0) return "an empty name";
  if (name.includes("\\")) return "a backslash in the name";
  if (/[\p{Cc}\p{Cf}]/u.test(name)) return "a control or format character in the name";
  if (name.startsWith("/") || /^[A-Za-z]:/.test(name)) return "an absolute path";
  const parts = name.replace(/\/$/, "").split("/");
  if (parts.some((p) => p === "" || p === "." || p === "..")) return "an empty, . or .. path segment";
  return undefined;
}

function describe(index: number, name?: string): string {
  return `entry ${index}${name !== undefined ? ` (${JSON.stringify(name)})` : ""}`;
}

class FileReader {
  constructor(
    readonly fd: number,
    readonly size: number,
  ) {}

  read(position: number, length: number, what: string): Buffer {
    if (position < 0 || length < 0 || position + length > this.size)
      throw new ZipFormatError(`${what} lies outside the file`);
    const buf = Buffer.alloc(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buf, done, length - done, position + done);
      if (n === 0) throw new ZipFormatError(`${what}: the file ended early`);
      done += n;
    }
    return buf;
  }
}

function extraIds(extra: Buffer, what: string): number[] {
  const ids: number[] = [];
  let at = 0;
  while (at < extra.length) {
    if (at + 4 > extra.length) throw new ZipFormatError(`${what}: truncated extra field`);
    const id = extra.readUInt16LE(at);
    const len = extra.readUInt16LE(at + 2);
    if (at + 4 + len > extra.length) throw new ZipFormatError(`${what}: extra field runs past its end`);
    ids.push(id);
    at += 4 + len;
  }
  return ids;
}

function checkExtra(extra: Buffer, what: string): void {
  const ids = extraIds(extra, what);
  if (ids.includes(EXTRA_ZIP64)) throw new ZipFormatError(`${what}: ZIP64 entries are not supported`);
  if (ids.includes(EXTRA_UNICODE_PATH))
    throw new ZipFormatError(
      `${what}: carries a second (Info-ZIP Unicode) name, which some tools show instead of the first`,
    );
}

function decodeName(raw: Buffer, flags: number, what: string): string {
  if (flags & FLAG_UTF8) {
    try {
      return utf8.decode(raw);
    } catch {
      throw new ZipFormatError(`${what}: its name is not valid UTF-8`);
    }
  }
  // Without the UTF-8 flag the name is CP437 to some tools and UTF-8 to others: only ASCII is one name.
  for (const b of raw)
    if (b >= 0x80) throw new ZipFormatError(`${what}: a non-ASCII name without the UTF-8 flag is ambiguous`);
  return raw.toString("latin1");
}

/**
 * An open zip whose structure has been checked: every entry's name, sizes and place, nothing
 * inflated yet. Close it when done (`readZip` does).
 */
export class StrictZip {
  private constructor(
    private readonly reader: FileReader,
    readonly entries: ZipEntry[],
    readonly limits: ZipLimits,
  ) {}

  static open(path: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): StrictZip {
    const fd = openSync(path, "r");
    try {
      const size = fstatSync(fd).size;
      if (size > limits.maxZipBytes)
        throw new ZipFormatError(`the zip is ${size} bytes; at most ${limits.maxZipBytes} are read`);
      const reader = new FileReader(fd, size);
      return new StrictZip(reader, StrictZip.structure(reader, limits), limits);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  close(): void {
    closeSync(this.reader.fd);
  }

  private static structure(reader: FileReader, limits: ZipLimits): ZipEntry[] {
    const size = reader.size;
    if (size < 22) throw new ZipFormatError("not a zip: too short for an end of central directory record");
    // The end record: the last signature whose comment runs exactly to the end of the file.
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = reader.read(size - tailLength, tailLength, "end of central directory");
    let end = -1;
    for (let i = tailLength - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) === SIG_END && tail.readUInt16LE(i + 20) === tailLength - i - 22) {
        end = i;
        break;
      }
    }
    if (end < 0) throw new ZipFormatError("not a zip: no end of central directory record at its end");
    const endOffset = size - tailLength + end;
    const disk = tail.readUInt16LE(end + 4);
    const cdDisk = tail.readUInt16LE(end + 6);
    const onDisk = tail.readUInt16LE(end + 8);
    const count = tail.readUInt16LE(end + 10);
    const cdSize = tail.readUInt32LE(end + 12);
    const cdOffset = tail.readUInt32LE(end + 16);
    if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff)
      throw new ZipFormatError("ZIP64 archives are not supported");
    if (disk !== 0 || cdDisk !== 0 || onDisk !== count)
      throw new ZipFormatError("multi-disk (split) archives are not supported");
    if (count > limits.maxEntries)
      throw new ZipFormatError(`${count} entries; at most ${limits.maxEntries} are read`);
    if (cdOffset + cdSize !== endOffset)
      throw new ZipFormatError(
        `the central directory (${cdSize} bytes at ${cdOffset}) does not end where the end record starts (${endOffset}): bytes unaccounted for`,
      );
    const cd = reader.read(cdOffset, cdSize, "central directory");

    const entries: ZipEntry[] = [];
    const names = new Map<string, number>();
    const spans: { start: number; end: number; index: number; name: string }[] = [];
    let total = 0;
    let at = 0;
    for (let index = 0; index < count; index++) {
      let what = describe(index);
      if (at + 46 > cd.length || cd.readUInt32LE(at) !== SIG_CENTRAL)
        throw new ZipFormatError(`${what}: central directory header missing or malformed`);
      const flags = cd.readUInt16LE(at + 8);
      const method = cd.readUInt16LE(at + 10);
      const crc32 = cd.readUInt32LE(at + 16);
      const compressedSize = cd.readUInt32LE(at + 20);
      const entrySize = cd.readUInt32LE(at + 24);
      const nameLength = cd.readUInt16LE(at + 28);
      const extraLength = cd.readUInt16LE(at + 30);
      const commentLength = cd.readUInt16LE(at + 32);
      const startDisk = cd.readUInt16LE(at + 34);
      const localOffset = cd.readUInt32LE(at + 42);
      const next = at + 46 + nameLength + extraLength + commentLength;
      if (next > cd.length) throw new ZipFormatError(`${what}: central directory header runs past its end`);
      const rawName = cd.subarray(at + 46, at + 46 + nameLength);
      const name = decodeName(rawName, flags, what);
      what = describe(index, name);
      checkExtra(cd.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), what);
      at = next;

      const unsafe = unsafeName(name);
      if (unsafe) throw new ZipFormatError(`${what}: ${unsafe}`);
      const first = names.get(name);
      if (first !== undefined)
        throw new ZipFormatError(
          `${what}: the name appears twice (first as entry ${first}); tools disagree on which one is the file`,
        );
      names.set(name, index);
      if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION | FLAG_MASKED_HEADER))
        throw new ZipFormatError(`${what}: encrypted entries are not supported`);
      if (method !== 0 && method !== 8)
        throw new ZipFormatError(
          `${what}: compression method ${method} is not supported (stored or deflate only)`,
        );
      if (startDisk !== 0) throw new ZipFormatError(`${what}: starts on another disk`);
      if (compressedSize === 0xffffffff || entrySize === 0xffffffff || localOffset === 0xffffffff)
        throw new ZipFormatError(`${what}: ZIP64 entries are not supported`);
      if (method === 0 && compressedSize !== entrySize)
        throw new ZipFormatError(`${what}: stored, but its compressed and uncompressed sizes differ`);
      const directory = name.endsWith("/");
      if (directory && entrySize !== 0) throw new ZipFormatError(`${what}: a folder entry with content`);

      // Bounds on what inflating will produce, before anything is inflated.
      if (entrySize > limits.maxEntryBytes)
        throw new ZipFormatError(`${what}: ${entrySize} bytes uncompressed; at most ${limits.maxEntryBytes}`);
      total += entrySize;
      if (total > limits.maxTotalBytes)
        throw new ZipFormatError(
          `${what}: the entries add up to more than ${limits.maxTotalBytes} bytes uncompressed`,
        );
      if (entrySize > limits.ratioFloorBytes && entrySize / Math.max(1, compressedSize) > limits.maxRatio)
        throw new ZipFormatError(
          `${what}: compressed ${Math.round(entrySize / Math.max(1, compressedSize))} to 1; at most ${limits.maxRatio} to 1`,
        );

      // The local header must say what the central directory says.
      const local = reader.read(localOffset, 30, `${what}: local header`);
      if (local.readUInt32LE(0) !== SIG_LOCAL)
        throw new ZipFormatError(`${what}: no local header where the central directory points`);
      const localFlags = local.readUInt16LE(6);
      const localMethod = local.readUInt16LE(8);
      const localNameLength = local.readUInt16LE(26);
      const localExtraLength = local.readUInt16LE(28);
      const localName = reader.read(localOffset + 30, localNameLength, `${what}: local name`);
      if (!localName.equals(rawName))
        throw new ZipFormatError(
          `${what}: the local header names it ${JSON.stringify(localName.toString("utf8"))}; tools disagree on its name`,
        );
      const mask = FLAG_ENCRYPTED | FLAG_DESCRIPTOR | FLAG_UTF8;
      if ((localFlags & mask) !== (flags & mask) || localMethod !== method)
        throw new ZipFormatError(
          `${what}: the local header's flags or method differ from the central directory's`,
        );
      checkExtra(
        reader.read(localOffset + 30 + localNameLength, localExtraLength, `${what}: local extra`),
        what,
      );
      const dataStart = localOffset + 30 + localNameLength + localExtraLength;
      let dataEnd = dataStart + compressedSize;
      if (flags & FLAG_DESCRIPTOR) {
        // crc, sizes (and optionally a signature) after the data: they must match the central directory.
        const d = reader.read(dataEnd, Math.min(16, size - dataEnd), `${what}: data descriptor`);
        const o = d.length >= 4 && d.readUInt32LE(0) === SIG_DESCRIPTOR ? 4 : 0;
        if (d.length < o + 12) throw new ZipFormatError(`${what}: data descriptor runs past the end`);
        if (
          d.readUInt32LE(o) !== crc32 ||
          d.readUInt32LE(o + 4) !== compressedSize ||
          d.readUInt32LE(o + 8) !== entrySize
        )
          throw new ZipFormatError(`${what}: the data descriptor differs from the central directory`);
        dataEnd += o + 12;
      } else if (
        local.readUInt32LE(14) !== crc32 ||
        local.readUInt32LE(18) !== compressedSize ||
        local.readUInt32LE(22) !== entrySize
      )
        throw new ZipFormatError(
          `${what}: the local header's CRC or sizes differ from the central directory's`,
        );
      spans.push({ start: localOffset, end: dataEnd, index, name });
      entries.push({
        name,
        index,
        method: method as 0 | 8,
        crc32,
        compressedSize,
        size: entrySize,
        dataStart,
        directory,
      });
    }
    if (at !== cd.length) throw new ZipFormatError("the central directory holds bytes after its last entry");

    // Entries end to end from byte 0 to the central directory: no hidden entry, no overlap.
    spans.sort((x, y) => x.start - y.start);
    let cursor = 0;
    for (const s of spans) {
      if (s.start < cursor)
        throw new ZipFormatError(`${describe(s.index, s.name)}: overlaps the entry before it`);
      if (s.start > cursor)
        throw new ZipFormatError(
          `${s.start - cursor} bytes at offset ${cursor} belong to no entry of the central directory (a hidden entry?)`,
        );
      cursor = s.end;
    }
    if (cursor !== cdOffset)
      throw new ZipFormatError(
        `${cdOffset - cursor} bytes at offset ${cursor} belong to no entry of the central directory (a hidden entry?)`,
      );
    return entries;
  }

  /**
   * Streams an entry's uncompressed bytes to `onChunk`, in order, stopping with an error as soon as
   * it inflates past its declared size; then checks its size and CRC-32.
   */
  async stream(entry: ZipEntry, onChunk: (chunk: Buffer) => void): Promise<void> {
    const what = describe(entry.index, entry.name);
    const reader = this.reader;
    let seen = 0;
    let crc = 0xffffffff;
    if (entry.size <= SMALL_ENTRY_BYTES && entry.compressedSize <= SMALL_ENTRY_BYTES) {
      // Small entries in one step: a stream per entry costs more than the inflating itself.
      const data = reader.read(entry.dataStart, entry.compressedSize, what);
      let out: Buffer;
      if (entry.method === 0) out = data;
      else {
        try {
          out = inflateRawSync(data, { maxOutputLength: Math.max(1, entry.size) });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE")
            throw new ZipFormatError(`${what}: inflates past its declared ${entry.size} bytes`);
          throw new ZipFormatError(`${what}: cannot be inflated (${(err as Error).message})`);
        }
      }
      seen = out.length;
      crc = crc32Update(crc, out);
      if (seen === entry.size) onChunk(out);
    } else
      await this.streamLarge(entry, what, (chunk) => {
        seen += chunk.length;
        crc = crc32Update(crc, chunk);
        onChunk(chunk);
      });
    if (seen !== entry.size)
      throw new ZipFormatError(`${what}: ${seen} bytes, the central directory says ${entry.size}`);
    if ((crc ^ 0xffffffff) >>> 0 !== entry.crc32)
      throw new ZipFormatError(`${what}: its CRC-32 does not match its content`);
  }

  private async streamLarge(entry: ZipEntry, what: string, onChunk: (chunk: Buffer) => void): Promise<void> {
    const reader = this.reader;
    const CHUNK = 64 * 1024;
    async function* compressed() {
      for (let at = 0; at < entry.compressedSize; at += CHUNK)
        yield reader.read(entry.dataStart + at, Math.min(CHUNK, entry.compressedSize - at), what);
    }
    let seen = 0;
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        seen += chunk.length;
        if (seen > entry.size) {
          done(new ZipFormatError(`${what}: inflates past its declared ${entry.size} bytes`));
          return;
        }
        onChunk(chunk);
        done();
      },
    });
    try {
      if (entry.method === 0) await pipeline(compressed(), sink);
      else await pipeline(compressed(), createInflateRaw(), sink);
    } catch (err) {
      if (err instanceof ZipFormatError) throw err;
      throw new ZipFormatError(`${what}: cannot be inflated (${(err as Error).message})`);
    }
  }

  /** An entry's bytes, for small entries (the manifest): refused past `max` bytes. */
  async bytes(entry: ZipEntry, max: number): Promise<Uint8Array> {
    if (entry.size > max)
      throw new ZipFormatError(
        `${describe(entry.index, entry.name)}: ${entry.size} bytes; at most ${max} are read`,
      );
    const out = Buffer.alloc(entry.size);
    let at = 0;
    await this.stream(entry, (chunk) => {
      chunk.copy(out, at);
      at += chunk.length;
    });
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  }
}

// CRC-32 (ISO 3309, the zip one). node:zlib has crc32 only from Node 22.
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32Update(crc: number, bytes: Uint8Array): number {
  let c = crc;
  for (let i = 0; i < bytes.length; i++)
    c = (CRC_TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return c >>> 0;
}

export function crc32(bytes: Uint8Array): number {
  return (crc32Update(0xffffffff, bytes) ^ 0xffffffff) >>> 0;
}
