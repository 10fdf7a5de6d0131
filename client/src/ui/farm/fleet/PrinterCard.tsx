/** One printer on the fleet grid: state in words, progress, temperatures, time left, errors. */
import type { Printer } from '@fleetsync/shared';
import { ProgressBar } from '../common/ProgressBar.js';
import { formatDuration, formatTemp } from '../common/format.js';
import { PROTOCOL_LABELS } from '../../printers/printerValues.js';
import { isRunning, layerText, printerHref } from './printerStatus.js';
import { StatusBadge } from './StatusBadge.js';

interface Props {
  printer: Printer;
  /** Set when the user may select printers for bulk actions. */
  selection?: { selected: boolean; onToggle: (id: string) => void };
}

export function PrinterCard({ printer: p, selection }: Props) {
  const headingId = `printer-card-${p.id}`;
  const errors = p.errors ?? [];
  return (
    <li className={`printer-card card-${p.status}`} data-testid={`printer-card-${p.id}`} aria-labelledby={headingId}>
      <div className="card-head">
        {selection && (
          <input
            type="checkbox"
            className="card-select"
            checked={selection.selected}
            onChange={() => selection.onToggle(p.id)}
            aria-label={`Select ${p.name}`}
          />
        )}
        <h2 id={headingId}>
          <a href={printerHref(p.id)}>{p.name}</a>
        </h2>
        <StatusBadge status={p.status} />
      </div>
      <p className="card-sub">{[p.model, PROTOCOL_LABELS[p.protocol], p.location].filter(Boolean).join(' · ')}</p>
      {isRunning(p) && <ProgressBar label={`Progress of ${p.name}`} value={p.progress} detail={layerText(p)} />}
      <dl className="card-facts">
        <div>
          <dt>Nozzle</dt>
          <dd>{formatTemp(p.nozzleTemp)}</dd>
        </div>
        <div>
          <dt>Bed</dt>
          <dd>{formatTemp(p.bedTemp)}</dd>
        </div>
        {isRunning(p) && (
          <div>
            <dt>Time left</dt>
            <dd>{formatDuration(p.remainingSeconds)}</dd>
          </div>
        )}
        {p.loadedMaterial && (
          <div>
            <dt>Material</dt>
            <dd>{p.loadedMaterial}</dd>
          </div>
        )}
      </dl>
      {(errors.length > 0 || p.lastError) && (
        <div className="card-errors">
          <p className="card-errors-title">Errors</p>
          <ul>
            {errors.map((e) => (
              <li key={e.code}>
                <code>{e.code}</code> {e.message}
              </li>
            ))}
            {errors.length === 0 && p.lastError && <li>{p.lastError}</li>}
          </ul>
        </div>
      )}
      {p.tags.length > 0 && (
        <ul className="tag-list" aria-label={`Tags of ${p.name}`}>
          {p.tags.map((t) => (
            <li key={t} className="tag">
              {t}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}
