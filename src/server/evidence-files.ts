import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream, type ReadStream } from "node:fs";
import { mkdir, open, rename, rm, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileTypeFromFile } from "file-type";
import { withoutControlCharacters } from "../core/file-name.js";
import { evidencePath } from "../store/repository.js";

export interface ReceivedFile {
  tmp: string;
  sha256: string;
  size: number;
}

/**
 * Evidence files under `<data>/evidence/<aa>/<sha256>`: stored by content hash, so a file name
 * from a client never becomes a path. Uploads stream into `<data>/evidence/tmp/` while their
 * SHA-256 is computed, and are moved into place only when the record is written.
 */
export class EvidenceFiles {
  readonly tmpDir: string;

  constructor(readonly dataDir: string) {
    this.tmpDir = join(dataDir, "evidence", "tmp");
  }

  pathOf(sha256: string): string {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error("not a SHA-256");
    return join(this.dataDir, evidencePath(sha256));
  }

  /** Streams to a temporary file, hashing as it goes; the temporary file is gone after an error. */
  async receive(stream: Readable): Promise<ReceivedFile> {
    await mkdir(this.tmpDir, { recursive: true });
    const tmp = join(this.tmpDir, `${randomBytes(12).toString("hex")}.part`);
    const hash = createHash("sha256");
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      await pipeline(stream, meter, createWriteStream(tmp, { flags: "wx", mode: 0o600 }));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    // A stream cut at its size limit ends without an error when the limit is not set to throw.
    if ((stream as Readable & { truncated?: boolean }).truncated) {
      await rm(tmp, { force: true });
      throw Object.assign(new Error("the file is larger than the upload limit"), { statusCode: 413 });
    }
    return { tmp, sha256: hash.digest("hex"), size };
  }

  /** The media type read from the content (magic numbers), never from the client's claim. */
  async sniff(file: string): Promise<string> {
    const detected = await fileTypeFromFile(file);
    if (detected) return detected.mime;
    const fh = await open(file, "r");
    try {
      const buf = Buffer.alloc(4096);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      const head = buf.subarray(0, bytesRead);
      if (bytesRead === 0) return "application/octet-stream";
      if (head.includes(0)) return "application/octet-stream";
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, lastCompleteUtf8(head)));
      } catch {
        return "application/octet-stream";
      }
      const start = head.toString("utf8", 0, Math.min(64, bytesRead)).trimStart();
      if (start.startsWith("{") || start.startsWith("[")) return "application/json";
      return "text/plain";
    } finally {
      await fh.close();
    }
  }

  /** Moves a received file into place. False when the same content was already stored. */
  async commit(received: ReceivedFile): Promise<boolean> {
    const target = this.pathOf(received.sha256);
    await mkdir(dirname(target), { recursive: true });
    if (await exists(target)) {
      await rm(received.tmp, { force: true });
      return false;
    }
    await rename(received.tmp, target);
    return true;
  }

  async discard(received: ReceivedFile | undefined): Promise<void> {
    if (received) await rm(received.tmp, { force: true });
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }

  open(sha256: string): ReadStream {
    return createReadStream(this.pathOf(sha256));
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Length of the buffer up to its last complete UTF-8 sequence (a 4 KiB window may cut one). */
function lastCompleteUtf8(b: Buffer): number {
  let i = b.length - 1;
  let back = 0;
  while (i >= 0 && back < 4 && ((b[i] as number) & 0xc0) === 0x80) {
    i--;
    back++;
  }
  if (i < 0) return b.length;
  const lead = b[i] as number;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need === back + 1 ? b.length : i;
}

/** A name fit to show and to put in Content-Disposition: no path, no control or bidi/format characters. */
export function safeFileName(name: string | undefined): string {
  const base = withoutControlCharacters((name ?? "").split(/[/\\]/).pop() ?? "")
    .replace(/"/g, "")
    .replace(/^\.+/, "")
    .trim()
    .slice(0, 200);
  return base && base.length > 0 ? base : "evidence";
}
