import type { Result, Verdict } from "../types.js";

/** A verdict or readiness result as text with a colour that only repeats what the text says. */
export function VerdictBadge({ value }: { value: Verdict | Result | string }) {
  return <span className={`badge badge-${value}`}>{value}</span>;
}
