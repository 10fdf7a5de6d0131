/** Farm analytics: failure rates, top errors and time-estimate accuracy from plain documents. */
import { describe, expect, it } from 'vitest';
import { summarizeFarm, type AnalyticsJob } from '../src/farm/analytics.js';

const done = (over: Partial<AnalyticsJob>): AnalyticsJob => ({
  status: 'done',
  completedAt: '2025-03-05T10:00:00.000Z',
  ...over,
});

describe('summarizeFarm', () => {
  const jobs: AnalyticsJob[] = [
    done({ printerId: 'p1', material: 'PLA', modelId: 'm1', profileId: 'fast', estimatedSeconds: 3600, actualSeconds: 3960 }),
    done({ printerId: 'p1', material: 'PLA', modelId: 'm1', profileId: 'fast', estimatedSeconds: 1000, actualSeconds: 900 }),
    done({
      printerId: 'p1',
      material: 'PETG',
      status: 'failed',
      failureReason: 'spaghetti',
      updatedAt: '2025-03-12T10:00:00.000Z',
      completedAt: undefined,
    }),
    done({
      printerId: 'p2',
      material: 'PETG',
      status: 'failed',
      failureReason: 'spaghetti',
      completedAt: '2025-03-12T11:00:00.000Z',
    }),
    done({
      printerId: 'p2',
      material: 'PETG',
      status: 'failed',
      failureReason: 'nozzle clog',
      completedAt: '2025-03-12T12:00:00.000Z',
    }),
    done({ printerId: 'p2', material: 'PLA', reservedSeconds: 2000, actualSeconds: 3000 }),
    { status: 'queued', printerId: 'p2' }, // not finished: ignored
  ];
  const summary = summarizeFarm({
    jobs,
    printers: [
      { id: 'p1', name: 'MK4 #1', errors: [{ code: 'HMS_0300_0100_0001_0007', message: 'heatbed' }] },
      { id: 'p2', name: 'X1C #2', errors: [{ code: 'HMS_0300_0100_0001_0007', message: 'heatbed' }] },
    ],
    modelNames: { m1: 'Gear housing' },
    profileNames: { fast: '0.28 mm draft' },
  });

  it('rates failures by printer, material, model and ISO week', () => {
    expect(summary).toMatchObject({ jobsFinished: 6, jobsFailed: 3, failureRate: 0.5 });
    expect(summary.failures.byPrinter).toEqual([
      { key: 'p2', label: 'X1C #2', finished: 3, failed: 2, failureRate: 0.6667 },
      { key: 'p1', label: 'MK4 #1', finished: 3, failed: 1, failureRate: 0.3333 },
    ]);
    expect(summary.failures.byMaterial.map((r) => [r.key, r.failed, r.finished])).toEqual([
      ['PETG', 3, 3],
      ['PLA', 0, 3],
    ]);
    expect(summary.failures.byModel.find((r) => r.key === 'm1')).toMatchObject({ label: 'Gear housing', failureRate: 0 });
    expect(summary.failures.byWeek.map((r) => [r.key, r.finished, r.failed])).toEqual([
      ['2025-W10', 3, 0],
      ['2025-W11', 3, 3],
    ]);
  });

  it('counts the most frequent errors from printers and failed jobs', () => {
    expect(summary.topErrors).toEqual([
      { code: 'HMS_0300_0100_0001_0007', source: 'printer', count: 2 },
      { code: 'spaghetti', source: 'job', count: 2 },
      { code: 'nozzle clog', source: 'job', count: 1 },
    ]);
  });

  it('compares estimated and actual time per printer and per profile', () => {
    // p1: 3960/3600 = 1.1 and 900/1000 = 0.9 -> mean ratio 1, mean error 10 %; p2: 3000/2000 -> 1.5, 50 %.
    expect(summary.timeAccuracy.byPrinter).toEqual([
      { key: 'p2', label: 'X1C #2', jobs: 1, meanRatio: 1.5, meanAbsErrorPct: 50 },
      { key: 'p1', label: 'MK4 #1', jobs: 2, meanRatio: 1, meanAbsErrorPct: 10 },
    ]);
    expect(summary.timeAccuracy.byProfile.find((r) => r.key === 'fast')).toMatchObject({
      label: '0.28 mm draft',
      jobs: 2,
      meanRatio: 1,
    });
  });
});
