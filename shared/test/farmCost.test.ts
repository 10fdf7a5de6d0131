/** Job costs and chargeback aggregation, against numbers worked out by hand. */
import { describe, expect, it } from 'vitest';
import { aggregateChargebacks, type ChargeableJob } from '../src/farm/chargebacks.js';
import { computeJobCost, formatCents } from '../src/farm/cost.js';

const settings = { machineRatePerHour: 2.5, overheadPerJob: 0.75, currency: 'EUR' };

describe('computeJobCost', () => {
  it.each([
    // grams, seconds, cost/kg -> filament, machine, overhead, total (cents)
    [120, 7200, 25, 300, 500, 75, 875], // 120 g x 25/kg = 3.00; 2 h x 2.50 = 5.00; + 0.75
    [40, 5400, 25, 100, 375, 75, 550],
    [33.3, 1800, 25, 83, 125, 75, 283], // 0.8325 rounds to 0.83
    [50, 3600, 40, 200, 250, 75, 525],
  ])('%s g, %s s at %s/kg', (grams, seconds, perKg, filament, machine, overhead, total) => {
    const cost = computeJobCost({ grams, seconds, spoolCostPerKg: perKg, settings });
    expect([cost.filamentCents, cost.machineCents, cost.overheadCents, cost.totalCents]).toEqual([
      filament,
      machine,
      overhead,
      total,
    ]);
    expect(cost.currency).toBe('EUR');
  });

  it('falls back to the org filament price without a spool, and to zero without settings', () => {
    expect(computeJobCost({ grams: 100, seconds: 0, settings: { filamentCostPerKg: 20 } })).toMatchObject({
      totalCents: 200,
      currency: 'EUR',
    });
    expect(computeJobCost({ grams: 100, seconds: 3600, settings: {} }).totalCents).toBe(0);
  });

  it('formats cents', () => {
    expect([formatCents(2233), formatCents(5), formatCents(100), formatCents(0)]).toEqual(['22.33', '0.05', '1.00', '0.00']);
  });
});

describe('aggregateChargebacks', () => {
  const detail = (grams: number, hours: number, f: number, m: number, o: number) => ({
    grams,
    hours,
    costPerKg: 25,
    filamentCents: f,
    machineCents: m,
    overheadCents: o,
    currency: 'EUR',
  });
  const jobs: ChargeableJob[] = [
    { orgId: 'o1', chargedToUserId: 'alice', chargedToOrgId: 'o1', costCents: 875, costDetail: detail(120, 2, 300, 500, 75) },
    { orgId: 'o1', chargedToUserId: 'alice', chargedToOrgId: 'o1', costCents: 550, costDetail: detail(40, 1.5, 100, 375, 75) },
    { orgId: 'o1', chargedToUserId: 'bob', chargedToOrgId: 'o1', costCents: 283, costDetail: detail(33.3, 0.5, 83, 125, 75) },
    {
      orgId: 'o2',
      chargedToUserId: 'bob',
      chargedToOrgId: 'o2',
      costCents: 100,
      costDetail: { ...detail(0, 0, 0, 0, 100), currency: 'USD' },
    },
  ];

  it('sums per user, per org and per currency', () => {
    const byUser = aggregateChargebacks(jobs, 'user');
    expect(byUser.rows.map((r) => [r.orgId, r.userId, r.jobs, r.grams, r.hours, r.costCents, r.currency])).toEqual([
      ['o1', 'alice', 2, 160, 3.5, 1425, 'EUR'],
      ['o1', 'bob', 1, 33.3, 0.5, 283, 'EUR'],
      ['o2', 'bob', 1, 0, 0, 100, 'USD'],
    ]);
    expect(
      byUser.totals.map((t) => [t.currency, t.jobs, t.costCents, t.filamentCents + t.machineCents + t.overheadCents]),
    ).toEqual([
      ['EUR', 3, 1708, 1708],
      ['USD', 1, 100, 100],
    ]);
    const byOrg = aggregateChargebacks(jobs, 'org');
    expect(byOrg.rows.map((r) => [r.orgId, r.userId, r.jobs, r.costCents])).toEqual([
      ['o1', undefined, 3, 1708],
      ['o2', undefined, 1, 100],
    ]);
  });
});
