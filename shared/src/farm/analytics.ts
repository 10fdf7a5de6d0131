/**
 * Farm analytics from job and printer documents: failure rates (by printer, material, model
 * and ISO week), the most frequent errors, and how well estimated print times match actual
 * ones (per printer and per print profile). Pure: the server only loads the documents.
 */
import { isoWeekKey } from './periods.js';

export interface AnalyticsJob {
  status: string;
  printerId?: string;
  material?: string;
  modelId?: string;
  profileId?: string;
  completedAt?: string;
  updatedAt?: string;
  estimatedSeconds?: number;
  reservedSeconds?: number;
  actualSeconds?: number;
  failureReason?: string;
}

export interface AnalyticsPrinter {
  id: string;
  name: string;
  errors?: { code: string; message: string }[];
}

export interface FailureRow {
  key: string;
  label: string;
  finished: number;
  failed: number;
  /** failed / finished (done + failed), 0..1. */
  failureRate: number;
}

export interface ErrorCount {
  code: string;
  source: 'printer' | 'job';
  count: number;
}

export interface AccuracyRow {
  key: string;
  label: string;
  jobs: number;
  /** Mean of actual / estimated (1 = spot on, above 1 = prints take longer than estimated). */
  meanRatio: number;
  /** Mean of |actual - estimated| / estimated, in percent. */
  meanAbsErrorPct: number;
}

export interface FarmSummary {
  jobsFinished: number;
  jobsFailed: number;
  failureRate: number;
  failures: { byPrinter: FailureRow[]; byMaterial: FailureRow[]; byModel: FailureRow[]; byWeek: FailureRow[] };
  topErrors: ErrorCount[];
  timeAccuracy: { byPrinter: AccuracyRow[]; byProfile: AccuracyRow[] };
}

const UNKNOWN = '(none)';
const r4 = (n: number): number => Math.round(n * 10_000) / 10_000;

function failureRows(
  jobs: readonly AnalyticsJob[],
  keyOf: (j: AnalyticsJob) => string,
  labelOf: (k: string) => string,
): FailureRow[] {
  const acc = new Map<string, { finished: number; failed: number }>();
  for (const j of jobs) {
    const k = keyOf(j);
    const a = acc.get(k) ?? { finished: 0, failed: 0 };
    a.finished += 1;
    if (j.status === 'failed') a.failed += 1;
    acc.set(k, a);
  }
  return [...acc.entries()]
    .map(([key, a]) => ({ key, label: labelOf(key), ...a, failureRate: r4(a.failed / a.finished) }))
    .sort((x, y) => y.failureRate - x.failureRate || y.finished - x.finished || x.key.localeCompare(y.key));
}

function accuracyRows(
  jobs: readonly AnalyticsJob[],
  keyOf: (j: AnalyticsJob) => string,
  labelOf: (k: string) => string,
): AccuracyRow[] {
  const acc = new Map<string, { n: number; ratio: number; err: number }>();
  for (const j of jobs) {
    const estimated = j.estimatedSeconds ?? j.reservedSeconds;
    if (j.status !== 'done' || !j.actualSeconds || !estimated) continue;
    const k = keyOf(j);
    const a = acc.get(k) ?? { n: 0, ratio: 0, err: 0 };
    a.n += 1;
    a.ratio += j.actualSeconds / estimated;
    a.err += Math.abs(j.actualSeconds - estimated) / estimated;
    acc.set(k, a);
  }
  return [...acc.entries()]
    .map(([key, a]) => ({
      key,
      label: labelOf(key),
      jobs: a.n,
      meanRatio: r4(a.ratio / a.n),
      meanAbsErrorPct: Math.round((a.err / a.n) * 10_000) / 100,
    }))
    .sort((x, y) => y.meanAbsErrorPct - x.meanAbsErrorPct || x.key.localeCompare(y.key));
}

export function summarizeFarm(input: {
  jobs: readonly AnalyticsJob[];
  printers: readonly AnalyticsPrinter[];
  modelNames?: Readonly<Record<string, string>>;
  profileNames?: Readonly<Record<string, string>>;
  topErrorLimit?: number;
}): FarmSummary {
  const finished = input.jobs.filter((j) => j.status === 'done' || j.status === 'failed');
  const printerNames = Object.fromEntries(input.printers.map((p) => [p.id, p.name]));
  const name = (names: Readonly<Record<string, string>> | undefined) => (k: string) => names?.[k] ?? k;
  const failed = finished.filter((j) => j.status === 'failed').length;

  const errors = new Map<string, ErrorCount>();
  const count = (code: string, source: ErrorCount['source']) => {
    const key = `${source}|${code}`;
    const e = errors.get(key) ?? { code, source, count: 0 };
    e.count += 1;
    errors.set(key, e);
  };
  for (const p of input.printers) for (const e of p.errors ?? []) count(e.code, 'printer');
  for (const j of finished) if (j.status === 'failed' && j.failureReason?.trim()) count(j.failureReason.trim(), 'job');

  return {
    jobsFinished: finished.length,
    jobsFailed: failed,
    failureRate: finished.length ? r4(failed / finished.length) : 0,
    failures: {
      byPrinter: failureRows(finished, (j) => j.printerId ?? UNKNOWN, name(printerNames)),
      byMaterial: failureRows(
        finished,
        (j) => j.material ?? UNKNOWN,
        (k) => k,
      ),
      byModel: failureRows(finished, (j) => j.modelId ?? UNKNOWN, name(input.modelNames)),
      byWeek: failureRows(
        finished.filter((j) => j.completedAt ?? j.updatedAt),
        (j) => isoWeekKey(new Date((j.completedAt ?? j.updatedAt)!)),
        (k) => k,
      ).sort((a, b) => a.key.localeCompare(b.key)),
    },
    topErrors: [...errors.values()]
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code))
      .slice(0, input.topErrorLimit ?? 10),
    timeAccuracy: {
      byPrinter: accuracyRows(finished, (j) => j.printerId ?? UNKNOWN, name(printerNames)),
      byProfile: accuracyRows(finished, (j) => j.profileId ?? UNKNOWN, name(input.profileNames)),
    },
  };
}
