/**
 * Quota usage in the header (GET /api/quotas): one meter per metric with its numbers as
 * text. Refreshed every few minutes; offline keeps the last answer.
 */
import { useEffect, useId, useState } from 'react';
import { parseQuotas, type Quota } from '../api/reportTypes.js';
import { useFarmQuery } from '../api/useFarmQuery.js';
import { withOrg } from '../api/farmApi.js';
import { useReady } from '../../appContext.js';

const REFRESH_MS = 5 * 60_000;

function QuotaMeter({ q }: { q: Quota }) {
  const unit = q.unit ? ` ${q.unit}` : '';
  if (q.limit === null) {
    return (
      <li className="quota">
        <span className="quota-text">
          {q.label}: {q.used}
          {unit} (no limit)
        </span>
      </li>
    );
  }
  const ratio = q.limit > 0 ? q.used / q.limit : 1;
  const level = ratio >= 1 ? 'quota-over' : ratio >= 0.8 ? 'quota-high' : 'quota-ok';
  const text = `${q.label}: ${q.used} of ${q.limit}${unit}`;
  return (
    <li className={`quota ${level}`}>
      <span className="quota-text" id={`quota-${q.metric}`}>
        {text}
        {ratio >= 1 ? ' (limit reached)' : ''}
      </span>
      <span
        className="quota-meter"
        role="meter"
        aria-labelledby={`quota-${q.metric}`}
        aria-valuemin={0}
        aria-valuemax={q.limit}
        aria-valuenow={Math.min(q.used, q.limit)}
        aria-valuetext={text}
      >
        <span className="quota-fill" style={{ width: `${Math.min(100, Math.round(ratio * 100))}%` }} />
      </span>
    </li>
  );
}

export function QuotaBar() {
  const { orgId } = useReady();
  const { state, reload } = useFarmQuery(withOrg('/api/quotas', orgId), parseQuotas);
  const [last, setLast] = useState<Quota[] | null>(null);
  const [open, setOpen] = useState(false);
  const listId = useId();
  if (state.kind === 'ok' && state.data !== last) setLast(state.data);
  useEffect(() => {
    const t = setInterval(reload, REFRESH_MS);
    globalThis.addEventListener('online', reload);
    return () => {
      clearInterval(t);
      globalThis.removeEventListener('online', reload);
    };
  }, [reload]);
  if (state.kind === 'missing') return <p className="quota-na">Quotas: not available</p>;
  const quotas = state.kind === 'ok' ? state.data : last;
  if (!quotas || quotas.length === 0) return null;
  const top = Math.max(...quotas.map((q) => (q.limit ? q.used / q.limit : 0)));
  return (
    <div className={`quota-area${open ? ' is-open' : ''}`}>
      {/* Phones: one summary button; the meters open below it. Wider screens always show them. */}
      <button
        type="button"
        className="quota-toggle"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((o) => !o)}
      >
        Quota: {Math.round(top * 100)}% used
      </button>
      <ul id={listId} className="quota-bar" aria-label="Quota usage" data-testid="quota-bar">
        {quotas.map((q) => (
          <QuotaMeter key={q.metric} q={q} />
        ))}
      </ul>
    </div>
  );
}
