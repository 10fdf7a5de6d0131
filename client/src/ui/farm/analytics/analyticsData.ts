/**
 * Analytics figures: GET /api/analytics/summary when the server has it, otherwise the same
 * summary (shared `summarizeFarm`) computed from the jobs and printers on this device.
 */
import type { Job, Printer } from '@fleetsync/shared';
import { isObject, listOf, num, pick, str, type Json } from '../api/parse.js';
import { summarizeFarm } from '../sharedFarm.js';

export interface Rate {
  label: string;
  finished: number;
  failed: number;
}
export interface ErrorCount {
  code: string;
  source?: string;
  count: number;
}
export interface Accuracy {
  label: string;
  jobs: number;
  /** Mean actual / estimated (1 = on time). */
  meanRatio: number;
  meanAbsErrorPct: number;
}
export interface Analytics {
  jobsFinished: number;
  jobsFailed: number;
  byPrinter: Rate[];
  byMaterial: Rate[];
  byModel: Rate[];
  byWeek: Rate[];
  topErrors: ErrorCount[];
  accuracyByPrinter: Accuracy[];
  accuracyByProfile: Accuracy[];
}

const rate = (v: Json): Rate | null => {
  const label = str(pick(v, 'label', 'key'));
  const finished = num(pick(v, 'finished', 'total'));
  const failed = num(v.failed);
  return label && finished !== undefined && failed !== undefined ? { label, finished, failed } : null;
};
const accuracy = (v: Json): Accuracy | null => {
  const label = str(pick(v, 'label', 'key'));
  const meanRatio = num(v.meanRatio);
  return label && meanRatio !== undefined
    ? { label, jobs: num(v.jobs) ?? 0, meanRatio, meanAbsErrorPct: num(v.meanAbsErrorPct) ?? Math.abs(meanRatio - 1) * 100 }
    : null;
};
const errorCount = (v: Json): ErrorCount | null => {
  const code = str(v.code);
  const count = num(v.count);
  return code && count !== undefined ? { code, count, ...(str(v.source) ? { source: str(v.source) } : {}) } : null;
};
const list = <T>(v: unknown, item: (j: Json) => T | null): T[] => (Array.isArray(v) ? listOf(v, item) : []);

/** The server's summary: `{failures: {byPrinter, byMaterial, byModel, byWeek}, topErrors, timeAccuracy}`. */
export function parseAnalytics(body: unknown): Analytics {
  if (!isObject(body)) throw new Error('the server sent an unexpected analytics answer');
  const f = isObject(body.failures) ? body.failures : {};
  const t = isObject(body.timeAccuracy) ? body.timeAccuracy : {};
  return {
    jobsFinished: num(body.jobsFinished) ?? 0,
    jobsFailed: num(body.jobsFailed) ?? 0,
    byPrinter: list(f.byPrinter, rate),
    byMaterial: list(f.byMaterial, rate),
    byModel: list(f.byModel, rate),
    byWeek: list(f.byWeek, rate).sort((a, b) => a.label.localeCompare(b.label)),
    topErrors: list(body.topErrors, errorCount),
    accuracyByPrinter: list(t.byPrinter, accuracy),
    accuracyByProfile: list(t.byProfile, accuracy),
  };
}

export function localAnalytics(jobs: readonly Job[], printers: readonly Printer[]): Analytics {
  const summary = summarizeFarm({ jobs, printers: printers.map((p) => ({ id: p.id, name: p.name, errors: p.errors ?? [] })) });
  return parseAnalytics(JSON.parse(JSON.stringify(summary)));
}
