/** Live state of one printer, as reported by its device bridge. */
import type { Printer } from '@fleetsync/shared';
import { ProgressBar } from '../common/ProgressBar.js';
import { formatDuration, formatTemp, formatWhen } from '../common/format.js';
import { isRunning, layerText } from '../fleet/printerStatus.js';
import { StatusBadge } from '../fleet/StatusBadge.js';
import { PROTOCOL_LABELS } from '../../printers/printerValues.js';

export function Telemetry({ printer: p, currentJob }: { printer: Printer; currentJob?: string | undefined }) {
  const errors = p.errors ?? [];
  return (
    <>
      <p className="telemetry-status">
        <StatusBadge status={p.status} />
        {currentJob && <span> Job: {currentJob}</span>}
      </p>
      {isRunning(p) && <ProgressBar label={`Progress of ${p.name}`} value={p.progress} detail={layerText(p)} />}
      <dl className="facts">
        <div>
          <dt>Nozzle</dt>
          <dd>{formatTemp(p.nozzleTemp)}</dd>
        </div>
        <div>
          <dt>Bed</dt>
          <dd>{formatTemp(p.bedTemp)}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd>{isRunning(p) ? formatDuration(p.remainingSeconds) : '—'}</dd>
        </div>
        <div>
          <dt>Loaded material</dt>
          <dd>{p.loadedMaterial ?? '—'}</dd>
        </div>
        <div>
          <dt>Model</dt>
          <dd>{p.model || '—'}</dd>
        </div>
        <div>
          <dt>Protocol</dt>
          <dd>{PROTOCOL_LABELS[p.protocol]}</dd>
        </div>
        <div>
          <dt>Nozzle diameter</dt>
          <dd>{p.nozzleDiameter} mm</dd>
        </div>
        <div>
          <dt>Bed size</dt>
          <dd>
            {p.bedWidthMm} × {p.bedDepthMm}
            {p.bedHeightMm ? ` × ${p.bedHeightMm}` : ''} mm
          </dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>{formatWhen(p.lastSeenAt)}</dd>
        </div>
      </dl>
      {(errors.length > 0 || p.lastError) && (
        <div className="card-errors" role="group" aria-label="Printer errors">
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
    </>
  );
}
