import { unzipSync, type Zippable, zipSync } from "fflate";
import { toDateTime } from "./util.js";

/**
 * The Date to give fflate for a fixed zip entry time. Zip (DOS) times carry no zone and fflate
 * reads the Date's local-time fields, so the Date is built from the UTC fields of the timestamp in
 * local time: every machine writes the same bytes. Before 1980 (no DOS time) it is 1980-01-01.
 */
export function zipTime(timestamp: string): Date {
  const t = toDateTime(timestamp);
  const [y, mo, d, h, mi, s] = [
    Number(t.slice(0, 4)),
    Number(t.slice(5, 7)),
    Number(t.slice(8, 10)),
    Number(t.slice(11, 13)),
    Number(t.slice(14, 16)),
    Number(t.slice(17, 19)),
  ];
  if (y < 1980) return new Date(1980, 0, 1, 12, 0, 0);
  const local = new Date(y, mo - 1, d, h, mi, s);
  // A local time that does not exist (a daylight-saving gap) shifts: noon of that day always exists.
  if (local.getHours() !== h || local.getDate() !== d) return new Date(y, mo - 1, d, 12, 0, 0);
  return local;
}

/** A zip of the given files: entries in the given order, one fixed time, the same bytes every time. */
export function deterministicZip(entries: Iterable<[string, Uint8Array]>, mtime: Date): Uint8Array {
  const data: Zippable = {};
  for (const [path, bytes] of entries) data[path] = [bytes, { mtime, level: 6 }];
  return zipSync(data, { mtime, level: 6 });
}

/**
 * Rewrites a zip (an XLSX from exceljs, which stamps entries with the current time) with the same
 * entries in the same order and a fixed time. Optional `edit` changes an entry's bytes on the way.
 */
export function normaliseZip(
  zip: Uint8Array,
  mtime: Date,
  edit?: (path: string, bytes: Uint8Array) => Uint8Array,
): Uint8Array {
  const entries = unzipSync(zip);
  const out: [string, Uint8Array][] = [];
  for (const [path, bytes] of Object.entries(entries)) {
    if (path.endsWith("/")) continue;
    out.push([path, edit ? edit(path, bytes) : bytes]);
  }
  return deterministicZip(out, mtime);
}
