/** Quota periods (lazy windows), job usage and limit arithmetic. */
import { describe, expect, it } from 'vitest';
import { isoWeekKey, periodWindow, type QuotaPeriod } from '../src/farm/periods.js';
import { exceededLimits, quotaLimitsSchema, quotaRefusalMessage, remainingOf } from '../src/farm/quota.js';
import { consumedGrams, machineSeconds, quotaUsageOf, reservationFor } from '../src/farm/usage.js';

const iso = (d: Date) => d.toISOString();

describe('periodWindow (UTC)', () => {
  it.each<[QuotaPeriod, string, string, string]>([
    ['daily', '2025-03-05T23:59:59.999Z', '2025-03-05T00:00:00.000Z', '2025-03-06T00:00:00.000Z'],
    ['weekly', '2025-03-05T12:00:00.000Z', '2025-03-03T00:00:00.000Z', '2025-03-10T00:00:00.000Z'], // a Wednesday
    ['weekly', '2025-03-09T23:00:00.000Z', '2025-03-03T00:00:00.000Z', '2025-03-10T00:00:00.000Z'], // Sunday ends the week
    ['weekly', '2025-03-10T00:00:00.000Z', '2025-03-10T00:00:00.000Z', '2025-03-17T00:00:00.000Z'], // Monday starts one
    ['monthly', '2025-02-28T10:00:00.000Z', '2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'],
    ['monthly', '2024-12-31T23:00:00.000Z', '2024-12-01T00:00:00.000Z', '2025-01-01T00:00:00.000Z'],
    ['semester', '2025-06-30T23:59:59.000Z', '2025-01-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z'],
    ['semester', '2025-07-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
    ['semester', '2025-12-31T12:00:00.000Z', '2025-07-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
  ])('%s at %s is [%s, %s)', (period, now, from, to) => {
    const w = periodWindow(period, new Date(now));
    expect([iso(w.from), iso(w.to)]).toEqual([from, to]);
  });

  it.each([
    ['2025-01-01T00:00:00Z', '2025-W01'],
    ['2024-12-30T00:00:00Z', '2025-W01'],
    ['2021-01-03T00:00:00Z', '2020-W53'],
    ['2025-03-05T00:00:00Z', '2025-W10'],
  ])('ISO week of %s is %s', (at, key) => expect(isoWeekKey(new Date(at))).toBe(key));
});

describe('job usage', () => {
  it('reserves the job estimates, else the revision metadata times copies', () => {
    expect(
      reservationFor({ copies: 3, filamentGrams: 90, estimatedSeconds: 3600 }, { totalFilamentGrams: 10, estimatedSeconds: 60 }),
    ).toEqual({
      grams: 90,
      seconds: 3600,
    });
    expect(reservationFor({ copies: 3 }, { totalFilamentGrams: 1.65, estimatedSeconds: 738 })).toEqual({
      grams: 4.95,
      seconds: 2214,
    });
    expect(reservationFor({ copies: 1 })).toEqual({ grams: 0, seconds: 0 });
  });

  it('counts actual figures once known, and nothing for a cancelled job', () => {
    const job = {
      status: 'done',
      filamentGrams: 60,
      filamentUsedGrams: 20,
      estimatedSeconds: 7200,
      actualSeconds: 5400,
      reservedGrams: 60,
    };
    expect(consumedGrams(job)).toBe(20);
    expect(machineSeconds(job)).toBe(5400);
    expect(quotaUsageOf(job)).toEqual({ grams: 20, hours: 1.5, jobs: 1 });
    expect(quotaUsageOf({ status: 'queued', reservedGrams: 12, reservedSeconds: 1800 })).toEqual({
      grams: 12,
      hours: 0.5,
      jobs: 1,
    });
    expect(quotaUsageOf({ ...job, status: 'cancelled' })).toEqual({ grams: 0, hours: 0, jobs: 0 });
  });
});

describe('limits', () => {
  const limits = quotaLimitsSchema.parse({ period: 'monthly', maxGrams: 100, maxJobs: 3 });

  it('treat a missing limit as unlimited', () => {
    expect(limits.maxHours).toBeNull();
    expect(remainingOf(limits, { grams: 40, hours: 9, jobs: 1 })).toEqual({ grams: 60, hours: null, jobs: 2 });
    expect(remainingOf(limits, { grams: 140, hours: 0, jobs: 5 })).toEqual({ grams: 0, hours: null, jobs: 0 });
  });

  it('allow an exact fit and refuse one gram more, saying what is left', () => {
    expect(exceededLimits(limits, { grams: 40, hours: 0, jobs: 1 }, { grams: 60, hours: 100, jobs: 1 })).toEqual([]);
    const over = exceededLimits(limits, { grams: 40, hours: 0, jobs: 1 }, { grams: 61, hours: 0, jobs: 1 });
    expect(over).toEqual([{ measure: 'grams', limit: 100, used: 40, requested: 61, remaining: 60 }]);
    expect(quotaRefusalMessage('your account', 'monthly', over)).toBe(
      'monthly quota of your account exceeded: 60 g of 100 g remaining, this job needs 61 g',
    );
    expect(
      exceededLimits(limits, { grams: 0, hours: 0, jobs: 3 }, { grams: 0, hours: 0, jobs: 1 }).map((e) => e.measure),
    ).toEqual(['jobs']);
  });
});
