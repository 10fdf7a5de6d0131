/**
 * The status dashboard of one deployment: its state, counts per execution state and per wave
 * (a table with row and column headers, and a stacked bar per wave), Pause / Resume / Rollback.
 * Polls the status endpoint while it is shown.
 */
import { useEffect, useState } from 'react';
import { useFarmApi, describeError } from '../../farm/api/farmApi.js';
import { useFarmQuery } from '../../farm/api/useFarmQuery.js';
import { formatWhen } from '../../farm/common/format.js';
import { LoadState } from '../../farm/common/LoadState.js';
import { EXECUTION_STATES } from '../sharedFleet.js';
import { parseStatus, STATE_LABELS, STATE_TEXT, type DeploymentStatus } from './statusTypes.js';

const POLL_MS = 2000;

export function DeploymentStatusView({ id, canManage }: { id: string; canManage: boolean }) {
  const { state, reload } = useFarmQuery(`/api/fleet/deployments/${encodeURIComponent(id)}/status`, parseStatus);
  useEffect(() => {
    const t = setInterval(reload, POLL_MS);
    return () => clearInterval(t);
  }, [reload]);
  // Keep the last answer on screen while the next poll loads.
  const [last, setLast] = useState<DeploymentStatus | null>(null);
  if (state.kind === 'ok' && state.data !== last) setLast(state.data);
  const shown = state.kind === 'loading' && last ? { kind: 'ok' as const, data: last } : state;
  return (
    <section className="deployment-status" aria-labelledby="dep-status-h" data-testid="deployment-status">
      <LoadState state={shown} what="The deployment status" onRetry={reload}>
        {(s) => <StatusBody s={s} canManage={canManage} onChanged={reload} />}
      </LoadState>
    </section>
  );
}

function StatusBody({ s, canManage, onChanged }: { s: DeploymentStatus; canManage: boolean; onChanged: () => void }) {
  const api = useFarmApi();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const command = async (c: 'pause' | 'resume' | 'rollback') => {
    if (c === 'rollback' && !globalThis.confirm(`Roll back "${s.name}"? Devices that installed it get the previous state back.`))
      return;
    setBusy(true);
    try {
      await api.post(`/api/fleet/deployments/${encodeURIComponent(s.id)}/${c}`, {});
      setMessage(c === 'pause' ? 'Paused.' : c === 'resume' ? 'Resumed.' : 'Rollback started.');
      onChanged();
    } catch (err) {
      setMessage(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  const total = EXECUTION_STATES.reduce((a, k) => a + s.totals[k], 0);
  const waveLabel = (w: DeploymentStatus['waves'][number]) => (w.kind === 'pilot' ? 'Pilot' : `Wave ${w.index + 1}`);
  return (
    <>
      <h2 id="dep-status-h">
        {s.name}{' '}
        <span className={`badge state-${s.state}`} data-testid="deployment-state">
          {STATE_TEXT[s.state] ?? s.state}
        </span>
      </h2>
      <p data-testid="deployment-progress">
        {s.waveCount > 0 ? `Wave ${Math.min(s.currentWave + 1, s.waveCount)} of ${s.waveCount}` : 'Not started yet'} · {total}{' '}
        {total === 1 ? 'execution' : 'executions'}
        {s.pausedReason ? ` · paused (${s.pausedReason === 'manual' ? 'by an operator' : 'failure threshold reached'})` : ''}
      </p>
      {s.statusMessage && <p className="muted">{s.statusMessage}</p>}
      {canManage && (
        <div className="form-actions" role="group" aria-label="Deployment actions">
          <button type="button" disabled={busy || s.state !== 'running'} onClick={() => void command('pause')}>
            Pause
          </button>
          <button type="button" disabled={busy || s.state !== 'paused'} onClick={() => void command('resume')}>
            Resume
          </button>
          <button
            type="button"
            className="danger"
            disabled={busy || !['running', 'paused', 'completed'].includes(s.state)}
            onClick={() => void command('rollback')}
          >
            Rollback
          </button>
        </div>
      )}
      <p role="status" data-testid="deployment-message">
        {message}
      </p>
      <table className="doc-table wave-table" data-testid="wave-table">
        <caption>Executions per wave and state</caption>
        <thead>
          <tr>
            <th scope="col">Wave</th>
            <th scope="col">Devices</th>
            {EXECUTION_STATES.map((k) => (
              <th scope="col" key={k}>
                {STATE_LABELS[k]}
              </th>
            ))}
            <th scope="col">Started</th>
            <th scope="col">Progress</th>
          </tr>
        </thead>
        <tbody>
          {s.waves.map((w) => (
            <tr
              key={w.index}
              data-testid={`wave-row-${w.index}`}
              aria-current={w.index === s.currentWave && s.state === 'running' ? 'step' : undefined}
            >
              <th scope="row">{waveLabel(w)}</th>
              <td>{w.deviceIds.length || w.total}</td>
              {EXECUTION_STATES.map((k) => (
                <td key={k} data-testid={`wave-${w.index}-${k}`}>
                  {w.counts[k]}
                </td>
              ))}
              <td>{w.startedAt ? formatWhen(w.startedAt) : 'not started'}</td>
              <td>
                <StackedBar counts={w.counts} label={waveLabel(w)} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Total</th>
            <td>{s.waves.reduce((a, w) => a + (w.deviceIds.length || w.total), 0)}</td>
            {EXECUTION_STATES.map((k) => (
              <td key={k} data-testid={`total-${k}`}>
                {s.totals[k]}
              </td>
            ))}
            <td />
            <td>
              <StackedBar counts={s.totals} label="All waves" />
            </td>
          </tr>
        </tfoot>
      </table>
    </>
  );
}

const BAR_STATES = [
  ['succeeded', 'bar-ok'],
  ['failed', 'bar-fail'],
  ['timed_out', 'bar-fail'],
  ['running', 'bar-run'],
  ['leased', 'bar-run'],
  ['queued', 'bar-wait'],
  ['cancelled', 'bar-off'],
] as const;

/** A simple stacked bar; its text alternative is the row of numbers beside it (so it is hidden). */
function StackedBar({ counts, label }: { counts: DeploymentStatus['totals']; label: string }) {
  const total = BAR_STATES.reduce((a, [k]) => a + counts[k], 0);
  const done = counts.succeeded + counts.failed + counts.timed_out + counts.cancelled;
  return (
    <div className="stacked-bar" role="img" aria-label={`${label}: ${done} of ${total} finished, ${counts.succeeded} succeeded`}>
      {total > 0 &&
        BAR_STATES.map(([k, cls]) =>
          counts[k] > 0 ? <span key={k} className={cls} style={{ width: `${(counts[k] / total) * 100}%` }} /> : null,
        )}
    </div>
  );
}
