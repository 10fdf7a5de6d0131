/** Jobs that ran or are queued on this printer, and usage counters derived from them. */
import type { Job } from '@fleetsync/shared';
import { STATUS_LABELS } from '../../jobs/jobValues.js';
import { formatDuration, formatGrams, formatWhen } from '../common/format.js';

export function JobHistory({ jobs }: { jobs: readonly Job[] }) {
  if (jobs.length === 0) return <p className="empty">No jobs on this printer yet.</p>;
  const sorted = [...jobs].sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? '')).slice(0, 25);
  return (
    <table className="doc-table" aria-label="Job history">
      <thead>
        <tr>
          <th scope="col">Job</th>
          <th scope="col">Status</th>
          <th scope="col">Estimated</th>
          <th scope="col">Actual</th>
          <th scope="col">Failure reason</th>
          <th scope="col">Updated</th>
        </tr>
      </thead>
      <tbody>
        {sorted.map((j) => (
          <tr key={j.id}>
            <td data-label="Job">{j.name}</td>
            <td data-label="Status">{STATUS_LABELS[j.status]}</td>
            <td data-label="Estimated">{formatDuration(j.estimatedSeconds ?? j.reservedSeconds)}</td>
            <td data-label="Actual">{formatDuration(j.actualSeconds)}</td>
            <td data-label="Failure reason">{j.failureReason ?? '—'}</td>
            <td data-label="Updated">{formatWhen(j.updatedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function UsageCounters({ jobs }: { jobs: readonly Job[] }) {
  const done = jobs.filter((j) => j.status === 'done');
  const failed = jobs.filter((j) => j.status === 'failed');
  const seconds = [...done, ...failed].reduce((s, j) => s + (j.actualSeconds ?? 0), 0);
  const grams = done.reduce((s, j) => s + (j.filamentUsedGrams ?? j.filamentGrams ?? 0), 0);
  return (
    <dl className="facts usage-counters">
      <div>
        <dt>Completed prints</dt>
        <dd>{done.length}</dd>
      </div>
      <div>
        <dt>Failed prints</dt>
        <dd>{failed.length}</dd>
      </div>
      <div>
        <dt>Print time</dt>
        <dd>{seconds > 0 ? formatDuration(seconds) : 'None yet'}</dd>
      </div>
      <div>
        <dt>Filament used</dt>
        <dd>{formatGrams(grams)}</dd>
      </div>
    </dl>
  );
}
