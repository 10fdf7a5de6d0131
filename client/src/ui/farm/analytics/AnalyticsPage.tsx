/**
 * Analytics (#/analytics): failure rates by printer, material, model and week, top error
 * codes, and how actual print times compare with the slicer's estimates.
 */
import { useMemo } from 'react';
import type { Job, Printer } from '@fleetsync/shared';
import { useCollection } from '../../../hooks/useCollection.js';
import { useReady } from '../../appContext.js';
import { withOrg } from '../api/farmApi.js';
import { useFarmQuery } from '../api/useFarmQuery.js';
import { BarChart, type Bar } from '../common/BarChart.js';
import { formatPercent } from '../common/format.js';
import { usePageTitle } from '../common/usePageTitle.js';
import { localAnalytics, parseAnalytics, type Accuracy, type Rate } from './analyticsData.js';

/** The server's "(none)": jobs without a printer, material, model or profile. */
const named = (label: string, none: string) => (label === '(none)' ? none : label);

const rateBars = (rates: readonly Rate[], none: string): Bar[] =>
  rates.map((r) => {
    const rate = r.finished > 0 ? r.failed / r.finished : 0;
    return { label: named(r.label, none), value: rate, text: `${formatPercent(rate)} failed (${r.failed} of ${r.finished})` };
  });

const accuracyBars = (rows: readonly Accuracy[], none: string): Bar[] =>
  rows.map((a) => {
    const diff = Math.round((a.meanRatio - 1) * 100);
    const side = diff === 0 ? 'on estimate' : diff > 0 ? `${diff}% longer than estimated` : `${-diff}% shorter than estimated`;
    return { label: named(a.label, none), value: a.meanRatio, text: `${side} (${a.jobs} ${a.jobs === 1 ? 'job' : 'jobs'})` };
  });

const ratioMax = (rows: readonly Accuracy[]) => Math.max(1.5, ...rows.map((a) => a.meanRatio));

export function AnalyticsPage() {
  const headingRef = usePageTitle('Analytics');
  const { orgId } = useReady();
  const { state } = useFarmQuery(withOrg('/api/analytics/summary', orgId), parseAnalytics);
  const jobs = useCollection('jobs', orgId);
  const printers = useCollection('printers', orgId);
  const local = useMemo(
    () =>
      localAnalytics(
        jobs.map((j) => j.toJSON() as Job),
        printers.map((p) => p.toJSON() as Printer),
      ),
    [jobs, printers],
  );
  const data = state.kind === 'ok' ? state.data : local;

  return (
    <div className="farm-page analytics">
      <div className="page-head">
        <h1 ref={headingRef} tabIndex={-1}>
          Analytics
        </h1>
      </div>
      <p className={state.kind === 'ok' ? 'intro' : 'not-available'} role="status" data-testid="analytics-source">
        {state.kind === 'ok'
          ? 'Figures for the whole organization, from the server.'
          : state.kind === 'loading'
            ? 'Loading the organization’s figures… Meanwhile these are computed from the jobs on this device.'
            : state.kind === 'missing'
              ? 'Not available: server analytics are not available on this server yet. These figures are computed from the jobs on this device.'
              : 'Server analytics could not be loaded. These figures are computed from the jobs on this device.'}
      </p>
      <p className="analytics-total" data-testid="analytics-total">
        {data.jobsFinished} finished {data.jobsFinished === 1 ? 'job' : 'jobs'}, {data.jobsFailed} failed
        {data.jobsFinished > 0 ? ` (${formatPercent(data.jobsFailed / data.jobsFinished)})` : ''}
        {state.kind === 'ok' ? ' in the last 90 days' : ''}.
      </p>
      <div className="chart-grid">
        <BarChart
          title="Failure rate by printer"
          bars={rateBars(data.byPrinter, 'No printer')}
          columns={['Printer', 'Failure rate']}
          max={1}
          emptyText="No finished jobs yet."
        />
        <BarChart
          title="Failure rate by material"
          bars={rateBars(data.byMaterial, 'Any material')}
          columns={['Material', 'Failure rate']}
          max={1}
          emptyText="No finished jobs yet."
        />
        <BarChart
          title="Failure rate by model"
          bars={rateBars(data.byModel, 'No model')}
          columns={['Model', 'Failure rate']}
          max={1}
          emptyText="No finished jobs yet."
        />
        <BarChart
          title="Failure rate by week"
          bars={rateBars(data.byWeek, 'Unknown week')}
          columns={['Week', 'Failure rate']}
          max={1}
          emptyText="No finished jobs yet."
        />
        <BarChart
          title="Top error codes"
          bars={data.topErrors.map((e) => ({
            label: e.code,
            value: e.count,
            text: `${e.count} ${e.count === 1 ? 'time' : 'times'}${e.source ? ` (${e.source === 'job' ? 'job failure' : 'printer error'})` : ''}`,
          }))}
          columns={['Error', 'Occurrences']}
          emptyText="No errors recorded."
        />
        <BarChart
          title="Actual vs estimated print time, by printer"
          bars={accuracyBars(data.accuracyByPrinter, 'No printer')}
          columns={['Printer', 'Actual vs estimated']}
          max={ratioMax(data.accuracyByPrinter)}
          emptyText="No finished jobs with both an estimate and an actual time."
        />
        {data.accuracyByProfile.length > 0 && (
          <BarChart
            title="Actual vs estimated print time, by print profile"
            bars={accuracyBars(data.accuracyByProfile, 'No profile')}
            columns={['Print profile', 'Actual vs estimated']}
            max={ratioMax(data.accuracyByProfile)}
          />
        )}
      </div>
    </div>
  );
}
