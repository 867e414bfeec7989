import { useId } from "react";

export interface BarSegment {
  key: string;
  label: string;
  value: number;
  /** CSS class that colours the segment (see styles.css, .seg-*). */
  className: string;
}

export interface Bar {
  label: string;
  segments: BarSegment[];
}

/**
 * Horizontal stacked bars in SVG, one per row, each segment labelled with its count. The figure
 * has a text alternative (its description lists every number); a table sits beside it too.
 */
export function BarChart({ title, bars, width = 640 }: { title: string; bars: Bar[]; width?: number }) {
  const id = useId();
  const labelWidth = 170;
  const barHeight = 26;
  const gap = 14;
  const plot = width - labelWidth - 10;
  const legend = bars[0]?.segments ?? [];
  // Legend entries side by side, each as wide as its text (about 7 px a character at 12 px).
  const legendX: number[] = [];
  let at = 0;
  for (const s of legend) {
    legendX.push(at);
    at += 16 + s.label.length * 7 + 18;
  }
  const height = bars.length * (barHeight + gap) + 34;
  const description = bars
    .map((b) => `${b.label}: ${b.segments.map((s) => `${s.value} ${s.label}`).join(", ")}`)
    .join("; ");
  return (
    <figure className="chart">
      <svg
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        role="img"
        aria-labelledby={`${id}-t`}
        aria-describedby={`${id}-d`}
        preserveAspectRatio="xMinYMin meet"
      >
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        {bars.map((b, i) => {
          const total = b.segments.reduce((n, s) => n + s.value, 0);
          const y = i * (barHeight + gap);
          let x = labelWidth;
          return (
            <g key={b.label}>
              <text x={labelWidth - 8} y={y + barHeight / 2 + 5} textAnchor="end" className="chart-label">
                {b.label}
              </text>
              <rect x={labelWidth} y={y} width={plot} height={barHeight} className="seg-track" />
              {b.segments.map((s) => {
                const w = total === 0 ? 0 : (s.value / total) * plot;
                const at = x;
                x += w;
                if (w <= 0) return null;
                return (
                  <g key={s.key}>
                    <rect x={at} y={y} width={w} height={barHeight} className={s.className}>
                      <title>{`${b.label}: ${s.value} ${s.label}`}</title>
                    </rect>
                    {w > 22 ? (
                      <text
                        x={at + w / 2}
                        y={y + barHeight / 2 + 5}
                        textAnchor="middle"
                        className="chart-count"
                      >
                        {s.value}
                      </text>
                    ) : null}
                  </g>
                );
              })}
            </g>
          );
        })}
        <g transform={`translate(${labelWidth}, ${bars.length * (barHeight + gap) + 6})`}>
          {legend.map((s, i) => (
            <g key={s.key} transform={`translate(${legendX[i] ?? 0}, 0)`}>
              <rect width="12" height="12" className={s.className} />
              <text x="16" y="11" className="chart-legend">
                {s.label}
              </text>
            </g>
          ))}
        </g>
      </svg>
    </figure>
  );
}
