export interface BarSegment {
  key: string;
  label: string;
  value: number;
  /** CSS class that colours the segment (see styles.css, .seg-*). */
  className: string;
}

export interface Bar {
  label: string;
  /** Shown beside the bar in words (e.g. "82% met"). */
  note?: string;
  segments: BarSegment[];
}

export interface BarGroup {
  heading: string;
  bars: Bar[];
}

/**
 * Horizontal stacked bars in HTML: labels wrap instead of being clipped, the figures sit beside the
 * bar in the text colour (never white on a light segment), and the bars shrink with the page. Each
 * bar is an image whose name says every count; a table beside the chart repeats them.
 */
export function BarChart({ title, groups }: { title: string; groups: BarGroup[] }) {
  const legend = groups[0]?.bars[0]?.segments ?? [];
  return (
    <figure className="bars" aria-label={title}>
      {groups.map((g) => (
        <div key={g.heading} className="bar-group">
          <p className="bar-group-heading">{g.heading}</p>
          {g.bars.map((b) => {
            const total = b.segments.reduce((n, s) => n + s.value, 0);
            const description = `${b.label}: ${b.note ? `${b.note}; ` : ""}${b.segments.map((s) => `${s.value} ${s.label}`).join(", ")}`;
            return (
              <div key={b.label} className="bar-row">
                <span className="bar-label">{b.label}</span>
                <span className="bar-track" role="img" aria-label={description}>
                  {b.segments.map((s) =>
                    s.value > 0 ? (
                      <span
                        key={s.key}
                        className={`bar-seg ${s.className}`}
                        style={{ width: `${(100 * s.value) / Math.max(total, 1)}%` }}
                        title={`${s.value} ${s.label}`}
                      />
                    ) : null,
                  )}
                </span>
                <span className="bar-note">{b.note}</span>
              </div>
            );
          })}
        </div>
      ))}
      <figcaption className="bar-legend">
        <span className="visually-hidden">{title}. Legend: </span>
        {legend.map((s) => (
          <span key={s.key} className="legend-item">
            <span className={`legend-swatch ${s.className}`} aria-hidden="true" /> {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
