/** Chargeback rows (per user or organization, per currency) with their totals. */
import type { Chargebacks, ChargebackRow } from '../api/reportTypes.js';
import { formatDuration, formatGrams, formatMoney } from '../common/format.js';

interface Props {
  data: Chargebacks;
  groupLabel: string;
  caption: string;
}

function Cells({ r, groupLabel, total }: { r: ChargebackRow; groupLabel: string; total?: boolean }) {
  const Name = total ? 'th' : 'td';
  return (
    <>
      <Name data-label={groupLabel} {...(total ? { scope: 'row' } : {})}>
        {total ? `Total (${r.currency})` : r.label}
        {!total && r.orgName && <span className="muted"> · {r.orgName}</span>}
      </Name>
      <td data-label="Jobs">{r.jobs ?? '—'}</td>
      <td data-label="Filament">{formatGrams(r.grams)}</td>
      <td data-label="Print time">{formatDuration(r.printSeconds)}</td>
      <td data-label="Cost">{formatMoney(r.costCents, r.currency)}</td>
    </>
  );
}

export function ChargebackTable({ data, groupLabel, caption }: Props) {
  if (data.rows.length === 0) return <p className="empty">No finished, charged jobs in this period.</p>;
  return (
    <table className="doc-table chargebacks" data-testid="chargebacks">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{groupLabel}</th>
          <th scope="col">Jobs</th>
          <th scope="col">Filament</th>
          <th scope="col">Print time</th>
          <th scope="col">Cost</th>
        </tr>
      </thead>
      <tbody>
        {data.rows.map((r) => (
          <tr key={r.key}>
            <Cells r={r} groupLabel={groupLabel} />
          </tr>
        ))}
      </tbody>
      {data.totals.length > 0 && (
        <tfoot>
          {data.totals.map((t) => (
            <tr key={t.key} className="total-row">
              <Cells r={t} groupLabel={groupLabel} total />
            </tr>
          ))}
        </tfoot>
      )}
    </table>
  );
}
