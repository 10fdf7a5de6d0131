/** This month's spend for me and for my organization (GET /api/reports/spend). */
import { can } from '@fleetsync/shared';
import { useReady } from '../../appContext.js';
import { withOrg } from '../api/farmApi.js';
import { parseSpend, type SpendFigure } from '../api/reportTypes.js';
import { useFarmQuery } from '../api/useFarmQuery.js';
import { LoadState } from '../common/LoadState.js';
import { formatMoney } from '../common/format.js';
import { usePrincipal } from '../common/usePrincipal.js';

function Amounts({ figures }: { figures: readonly SpendFigure[] }) {
  if (figures.length === 0) return <span className="figure">{formatMoney(0)}</span>;
  return (
    <>
      {figures.map((f) => (
        <span key={`${f.orgId ?? ''}-${f.currency}`} className="spend-line">
          <span className="figure">{formatMoney(f.costCents, f.currency)}</span>
          {f.jobs !== undefined && (
            <span className="muted">
              {' '}
              · {f.jobs} {f.jobs === 1 ? 'job' : 'jobs'}
            </span>
          )}
        </span>
      ))}
    </>
  );
}

export function SpendSummary({ orgName }: { orgName: string }) {
  const { orgId } = useReady();
  const principal = usePrincipal();
  const { state, reload } = useFarmQuery(withOrg('/api/reports/spend', orgId), parseSpend);
  const seesOrg = orgId !== null && can(principal, 'billing.read', { orgId });
  return (
    <section className="panel" aria-labelledby="spend-heading">
      <h2 id="spend-heading">This month’s spend</h2>
      <LoadState state={state} what="Spend reporting" onRetry={reload}>
        {(spend) => (
          <dl className="spend-figures">
            <div>
              <dt>Me</dt>
              <dd data-testid="spend-me">
                <Amounts figures={spend.mine} />
              </dd>
            </div>
            <div>
              <dt>{orgName}</dt>
              <dd data-testid="spend-org">
                {seesOrg ? (
                  <Amounts figures={spend.orgs.filter((f) => !orgId || !f.orgId || f.orgId === orgId)} />
                ) : (
                  <span className="muted">Your role does not include the organization’s spend.</span>
                )}
              </dd>
            </div>
          </dl>
        )}
      </LoadState>
    </section>
  );
}
