/** Summary figures for a list of timings in milliseconds. */
export function summarize(ms: number[]): {
  n: number;
  min: number;
  median: number;
  p95: number;
  max: number;
} {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))] as number;
  return { n: s.length, min: s[0] as number, median: at(0.5), p95: at(0.95), max: s[s.length - 1] as number };
}

export function fmt(ms: number): string {
  if (ms < 0.01) return `${(ms * 1000).toFixed(2)} µs`;
  if (ms < 1) return `${(ms * 1000).toFixed(0)} µs`;
  return `${ms.toFixed(1)} ms`;
}

export function report(name: string, ms: number[], budget?: number): void {
  const s = summarize(ms);
  const verdict =
    budget === undefined
      ? ""
      : s.median <= budget
        ? `  (budget ${fmt(budget)}: ok)`
        : `  (budget ${fmt(budget)}: OVER)`;
  console.log(
    `${name.padEnd(44)} n=${String(s.n).padStart(5)}  min ${fmt(s.min).padStart(9)}  median ${fmt(s.median).padStart(9)}  p95 ${fmt(s.p95).padStart(9)}  max ${fmt(s.max).padStart(9)}${verdict}`,
  );
}
