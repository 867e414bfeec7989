import { fileTypeFromBuffer } from "file-type";
import { withoutControlCharacters } from "../core/file-name.js";

/** The media type read from a file's first bytes (magic numbers), never from the client's claim. */
export async function sniffMediaType(head: Uint8Array): Promise<string> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return detected.mime;
  if (head.length === 0) return "application/octet-stream";
  if (head.includes(0)) return "application/octet-stream";
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(head.subarray(0, lastCompleteUtf8(head)));
  } catch {
    return "application/octet-stream";
  }
  const start = Buffer.from(head.subarray(0, 64)).toString("utf8").trimStart();
  if (start.startsWith("{") || start.startsWith("[")) return "application/json";
  return "text/plain";
}

/** Length of the bytes up to their last complete UTF-8 sequence (a 4 KiB window may cut one). */
function lastCompleteUtf8(b: Uint8Array): number {
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

/**
 * A name fit to show and to put in Content-Disposition: no path, no control, bidirectional or
 * other format characters (a name must read as it is).
 */
export function safeFileName(name: string | undefined): string {
  const base = withoutControlCharacters((name ?? "").split(/[/\\]/).pop() ?? "")
    .replace(/"/g, "")
    .replace(/^\.+/, "")
    .trim()
    .slice(0, 200);
  return base && base.length > 0 ? base : "evidence";
}
