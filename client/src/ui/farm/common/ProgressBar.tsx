/** A labelled progress bar (0–100) whose value is also written out as text. */
interface Props {
  label: string;
  value: number;
  /** Shown after the percentage, e.g. "layer 12 of 80". */
  detail?: string;
}

export function ProgressBar({ label, value, detail }: Props) {
  const v = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div className="progress">
      <div
        className="progress-track"
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={v}
        aria-valuetext={detail ? `${v}%, ${detail}` : `${v}%`}
      >
        <div className="progress-fill" style={{ width: `${v}%` }} />
      </div>
      <span className="progress-text" aria-hidden="true">
        {v}%{detail ? ` · ${detail}` : ''}
      </span>
    </div>
  );
}
