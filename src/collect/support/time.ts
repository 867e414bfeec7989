/** Dates as the collectors' formats write them. */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-](\d{2}):(\d{2}))$/;

/** An RFC 3339 date-time (section 5.6), or undefined; rejects days past the month's end. */
export function parseRfc3339(value: string): Date | undefined {
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  if ((mo as number) < 1 || (mo as number) > 12 || (d as number) < 1 || (d as number) > 31) return undefined;
  if ((h as number) > 23 || (mi as number) > 59 || (s as number) > 60) return undefined;
  const date = new Date(value.toUpperCase());
  if (Number.isNaN(date.getTime())) return undefined;
  // Date rolls 2026-02-31 over to March: reject days past the month's end.
  const monthEnd = new Date(Date.UTC(y as number, mo as number, 0)).getUTCDate();
  return (d as number) > monthEnd ? undefined : date;
}
