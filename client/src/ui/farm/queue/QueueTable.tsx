/**
 * The queue as a table (cards on phones): selection, status, priority with Move up / Move
 * down (waiting jobs only), printer, estimated vs actual time, failure reason and cost. A waiting
 * job the device bridge's auto-queue holds back shows why under its status.
 */
import type { Job } from '@fleetsync/shared';
import { STATUS_LABELS } from '../../jobs/jobValues.js';
import { formatDuration, formatMoney } from '../common/format.js';
import { WAITING } from './queueOrder.js';

export interface QueueRow {
  job: Job;
  canEdit: boolean;
  /** Position among waiting jobs (0-based), or -1. */
  waitingIndex: number;
}

interface Props {
  rows: readonly QueueRow[];
  waitingCount: number;
  printerName: (id: string | undefined) => string;
  selected: ReadonlySet<string>;
  onToggle: (id: string) => void;
  onMove: (job: Job, dir: -1 | 1) => void;
}

export function QueueTable({ rows, waitingCount, printerName, selected, onToggle, onMove }: Props) {
  return (
    <table className="doc-table queue-table" aria-labelledby="queue-list-heading">
      <thead>
        <tr>
          <th scope="col">
            <span className="visually-hidden">Selected</span>
          </th>
          <th scope="col">Job</th>
          <th scope="col">Status</th>
          <th scope="col">Priority</th>
          <th scope="col">Printer</th>
          <th scope="col">Estimated</th>
          <th scope="col">Actual</th>
          <th scope="col">Failure reason</th>
          <th scope="col">Cost</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ job: j, canEdit, waitingIndex }) => (
          <tr key={j.id} data-testid={`queue-row-${j.id}`} className={selected.has(j.id) ? 'is-selected' : undefined}>
            <td className="select-cell">
              {canEdit && (
                <input
                  type="checkbox"
                  aria-label={`Select ${j.name}`}
                  checked={selected.has(j.id)}
                  onChange={() => onToggle(j.id)}
                />
              )}
            </td>
            <td data-label="Job">
              <span className="job-name">
                <strong>{j.name}</strong>
                {j.copies > 1 && <span className="muted"> × {j.copies}</span>}
                {j.fileName && <span className="muted file-name">{j.fileName}</span>}
              </span>
            </td>
            <td data-label="Status">
              <span className={`job-status job-${j.status}`}>{STATUS_LABELS[j.status]}</span>
              {j.holdReason && WAITING.has(j.status) && (
                <div className="muted hold-reason" data-testid={`hold-reason-${j.id}`}>
                  Held: {j.holdReason}
                </div>
              )}
            </td>
            <td data-label="Priority" className="priority-cell">
              <span>{j.priority}</span>
              {canEdit && WAITING.has(j.status) && (
                <span className="move-buttons">
                  <button type="button" data-move={`${j.id}:-1`} onClick={() => onMove(j, -1)} disabled={waitingIndex <= 0}>
                    Move up<span className="visually-hidden"> {j.name}</span>
                  </button>
                  <button
                    type="button"
                    data-move={`${j.id}:1`}
                    onClick={() => onMove(j, 1)}
                    disabled={waitingIndex >= waitingCount - 1}
                  >
                    Move down<span className="visually-hidden"> {j.name}</span>
                  </button>
                </span>
              )}
            </td>
            <td data-label="Printer">{printerName(j.printerId)}</td>
            <td data-label="Estimated">{formatDuration(j.estimatedSeconds ?? j.reservedSeconds)}</td>
            <td data-label="Actual">{formatDuration(j.actualSeconds)}</td>
            <td data-label="Failure reason">{j.failureReason ?? '—'}</td>
            <td data-label="Cost">{formatMoney(j.costCents)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
