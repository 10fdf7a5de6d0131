/**
 * Reports (#/reports): this month's spend, and chargebacks by user or organization over a
 * date range, as a table or downloaded as CSV / PDF (fetched with the bearer token).
 */
import { useState, type FormEvent } from 'react';
import { can } from '@fleetsync/shared';
import { useReady } from '../../appContext.js';
import { SelectField, TextField } from '../../form/fields.js';
import { describeError, isMissingEndpoint, useFarmApi } from '../api/farmApi.js';
import { parseChargebacks } from '../api/reportTypes.js';
import { useFarmQuery } from '../api/useFarmQuery.js';
import { LoadState } from '../common/LoadState.js';
import { thisMonthRange } from '../common/format.js';
import { usePageTitle } from '../common/usePageTitle.js';
import { usePrincipal } from '../common/usePrincipal.js';
import { ChargebackTable } from './ChargebackTable.js';
import { saveBlob } from './download.js';
import { SpendSummary } from './SpendSummary.js';

interface Range {
  from: string;
  to: string;
  groupBy: 'user' | 'org';
}

/** The server's window is [from, to): the day after the inclusive "To" date. */
function dayAfter(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return day;
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const query = (r: Range, orgId: string | null, format?: 'csv' | 'pdf') =>
  `/api/reports/chargebacks?${new URLSearchParams({
    from: r.from,
    to: dayAfter(r.to),
    groupBy: r.groupBy,
    ...(orgId ? { orgId } : {}),
    ...(format ? { format } : {}),
  }).toString()}`;

export function ReportsPage() {
  const headingRef = usePageTitle('Reports');
  const { me, orgId } = useReady();
  const api = useFarmApi();
  const [draft, setDraft] = useState<Range>({ ...thisMonthRange(), groupBy: 'user' });
  const [range, setRange] = useState<Range>(draft);
  const [download, setDownload] = useState<{ text: string; error: boolean } | null>(null);
  const principal = usePrincipal();
  const allowed = orgId !== null && can(principal, 'billing.read', { orgId });
  const { state, reload } = useFarmQuery(allowed ? query(range, orgId) : null, parseChargebacks);
  const orgName = me?.orgs.find((o) => o.id === orgId)?.name ?? 'My organization';

  const apply = (e: FormEvent) => {
    e.preventDefault();
    setRange(draft);
  };
  const get = async (format: 'csv' | 'pdf') => {
    setDownload({ text: `Preparing the ${format.toUpperCase()}…`, error: false });
    try {
      const blob = await api.blob(query(range, orgId, format));
      saveBlob(blob, `chargebacks-${range.from}-to-${range.to}.${format}`);
      setDownload({ text: `Downloaded the ${format.toUpperCase()} file.`, error: false });
    } catch (err) {
      setDownload({
        text: isMissingEndpoint(err)
          ? `${format.toUpperCase()} export is not available on this server yet.`
          : `The download failed: ${describeError(err)}`,
        error: true,
      });
    }
  };
  const groupLabel = range.groupBy === 'user' ? 'User' : 'Organization';

  return (
    <div className="farm-page">
      <div className="page-head">
        <h1 ref={headingRef} tabIndex={-1}>
          Reports
        </h1>
      </div>
      <SpendSummary orgName={orgName} />
      <section className="panel" aria-labelledby="chargebacks-heading">
        <h2 id="chargebacks-heading">Chargebacks</h2>
        <form className="report-filters" onSubmit={apply} aria-label="Chargeback period">
          <TextField
            label="From"
            type="date"
            value={draft.from}
            onChange={(from) => setDraft((d) => ({ ...d, from }))}
            required
          />
          <TextField
            label="To (inclusive)"
            type="date"
            value={draft.to}
            onChange={(to) => setDraft((d) => ({ ...d, to }))}
            required
          />
          <SelectField
            label="Group by"
            value={draft.groupBy}
            onChange={(g) => setDraft((d) => ({ ...d, groupBy: g === 'org' ? 'org' : 'user' }))}
            options={[
              { value: 'user', label: 'User' },
              { value: 'org', label: 'Organization' },
            ]}
          />
          <button type="submit" className="primary">
            Show
          </button>
        </form>
        {!allowed ? (
          <p className="muted">Chargebacks need the billing permission in this organization; ask an org admin or manager.</p>
        ) : (
          <>
            <div className="download-buttons">
              <button type="button" onClick={() => void get('csv')}>
                Download CSV
              </button>
              <button type="button" onClick={() => void get('pdf')}>
                Download PDF
              </button>
              <p className={download?.error ? 'field-error' : 'muted'} role="status">
                {download?.text}
              </p>
            </div>
            <LoadState state={state} what="Chargeback reporting" onRetry={reload}>
              {(data) => (
                <ChargebackTable
                  data={data}
                  groupLabel={groupLabel}
                  caption={`Chargebacks by ${groupLabel.toLowerCase()}, ${range.from} to ${range.to}`}
                />
              )}
            </LoadState>
          </>
        )}
      </section>
    </div>
  );
}
