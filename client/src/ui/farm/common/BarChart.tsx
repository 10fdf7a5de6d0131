/**
 * A horizontal bar chart in SVG with a text label and value on every bar, plus the same
 * numbers as a table (a screen reader reads the table; the SVG is one labelled image).
 */
import { useId } from 'react';

export interface Bar {
  label: string;
  /** Bar length relative to `max`. */
  value: number;
  /** The value as text, e.g. "25% (2 of 8)". */
  text: string;
}

interface Props {
  title: string;
  bars: readonly Bar[];
  /** Column headings of the table alternative. */
  columns: [string, string];
  max?: number;
  emptyText?: string;
}

const ROW = 62;

export function BarChart({ title, bars, columns, max, emptyText = 'No data yet.' }: Props) {
  const id = useId();
  const top = max ?? Math.max(0, ...bars.map((b) => b.value));
  const summary = bars.map((b) => `${b.label}: ${b.text}`).join('; ');
  return (
    <figure className="bar-chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`}>{title}</figcaption>
      {bars.length === 0 ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <>
          <svg role="img" aria-label={`${title}. ${summary}`} width="100%" height={bars.length * ROW} className="bar-svg">
            {bars.map((b, i) => {
              const pct = top > 0 ? Math.max(0, Math.min(100, (b.value / top) * 100)) : 0;
              const y = i * ROW;
              return (
                <g key={`${b.label}-${i}`}>
                  <text x="0" y={y + 14} className="bar-label">
                    {b.label}
                  </text>
                  <text x="0" y={y + 31} className="bar-value">
                    {b.text}
                  </text>
                  <rect x="0" y={y + 38} width="100%" height="12" rx="3" className="bar-track" />
                  <rect x="0" y={y + 38} width={`${pct}%`} height="12" rx="3" className="bar-fill" />
                </g>
              );
            })}
          </svg>
          <details className="chart-table">
            <summary>
              Show as a table<span className="visually-hidden">: {title}</span>
            </summary>
            <table className="data-table">
              <caption className="visually-hidden">{title}</caption>
              <thead>
                <tr>
                  <th scope="col">{columns[0]}</th>
                  <th scope="col">{columns[1]}</th>
                </tr>
              </thead>
              <tbody>
                {bars.map((b, i) => (
                  <tr key={`${b.label}-${i}`}>
                    <th scope="row">{b.label}</th>
                    <td>{b.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </figure>
  );
}
