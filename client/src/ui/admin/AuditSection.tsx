/** Admin: the audit log with filters, "Load more" (older entries) and CSV export. */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { fetchAudit, fetchAuditCsv, type AuditEntry, type AuditFilters } from '../../api/adminApi.js';
import { errorText } from '../../api/apiError.js';
import { useApi } from '../../hooks/useApi.js';
import { ErrorAlert, StatusMessage } from '../common/Feedback.js';
import { formatDateTime } from '../common/formatTime.js';
import { TextField } from '../form/fields.js';
import { EMPTY_AUDIT_FORM, toAuditFilters, type AuditFormValues } from './auditFilters.js';

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function AuditSection({ orgId }: { orgId: string | null }) {
  const api = useApi();
  const [form, setForm] = useState<AuditFormValues>(EMPTY_AUDIT_FORM);
  const [applied, setApplied] = useState<AuditFilters>({ orgId });
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [nextBefore, setNextBefore] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const request = useRef(0);

  const load = useCallback(
    (filters: AuditFilters, before: string | null) => {
      const mine = ++request.current;
      setLoading(true);
      setError(null);
      fetchAudit(api, filters, before).then(
        (page) => {
          if (mine !== request.current) return;
          setEntries((cur) => (before ? [...cur, ...page.entries] : page.entries));
          setNextBefore(page.nextBefore);
          setLoading(false);
          setStatus(
            `${before ? 'Loaded' : 'Showing'} ${page.entries.length} ${page.entries.length === 1 ? 'entry' : 'entries'}.`,
          );
        },
        (err: unknown) => {
          if (mine !== request.current) return;
          setError(errorText(err));
          setLoading(false);
        },
      );
    },
    [api],
  );

  useEffect(() => load({ orgId }, null), [load, orgId]);

  const set = (field: keyof AuditFormValues) => (value: string) => setForm((f) => ({ ...f, [field]: value }));
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const filters = toAuditFilters(form, orgId);
    if ('error' in filters) {
      setError(filters.error);
      return;
    }
    setApplied(filters);
    load(filters, null);
  };
  const exportCsv = () => {
    setStatus('Preparing the CSV file…');
    fetchAuditCsv(api, applied).then(
      (blob) => {
        download(blob, 'audit-log.csv');
        setStatus('The CSV file was downloaded.');
      },
      (err: unknown) => {
        setStatus(null);
        setError(errorText(err));
      },
    );
  };

  return (
    <section className="panel" aria-labelledby="audit-heading">
      <h2 id="audit-heading">Audit log</h2>
      <form className="filters" onSubmit={apply} aria-label="Audit log filters">
        <TextField label="Actor" hint="Email or user id" value={form.actor} onChange={set('actor')} />
        <TextField label="Action" hint="Starts with, e.g. auth." value={form.action} onChange={set('action')} />
        <TextField label="From" type="datetime-local" value={form.from} onChange={set('from')} />
        <TextField label="To" type="datetime-local" value={form.to} onChange={set('to')} />
        <div className="filter-actions">
          <button type="submit" className="primary">
            Apply filters
          </button>
          <button type="button" onClick={exportCsv}>
            Export CSV
          </button>
        </div>
      </form>
      <ErrorAlert message={error} />
      {entries.length === 0 && !loading ? (
        <p className="empty">No entries match.</p>
      ) : (
        <table className="data-table" aria-labelledby="audit-heading" data-testid="audit-table">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">IP</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => (
              <tr key={e.id} data-testid={`audit-${e.id}`}>
                <td data-label="Time">
                  <time dateTime={e.at}>{formatDateTime(e.at)}</time>
                </td>
                <td data-label="Actor">{e.actor}</td>
                <td data-label="Action">
                  <code>{e.action}</code>
                </td>
                <td data-label="Target">{e.target || '—'}</td>
                <td data-label="IP">{e.ip || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextBefore && (
        <p>
          <button type="button" onClick={() => load(applied, nextBefore)} disabled={loading}>
            Load more
          </button>
        </p>
      )}
      <StatusMessage text={loading ? 'Loading the audit log…' : status} />
    </section>
  );
}
