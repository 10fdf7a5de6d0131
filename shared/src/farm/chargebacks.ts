/**
 * Chargeback aggregation: finished jobs' server-computed costs summed per user or per org
 * (and per currency, since orgs may bill in different ones). Pure, so the report, its CSV
 * and its PDF all come from the same rows.
 */
import { DEFAULT_CURRENCY } from './cost.js';

export const CHARGEBACK_GROUPINGS = ['user', 'org'] as const;
export type ChargebackGrouping = (typeof CHARGEBACK_GROUPINGS)[number];

export interface JobCostDetail {
  grams: number;
  hours: number;
  costPerKg: number;
  filamentCents: number;
  machineCents: number;
  overheadCents: number;
  currency: string;
  spoolId?: string;
}

export interface ChargeableJob {
  orgId: string;
  chargedToUserId?: string;
  chargedToOrgId?: string;
  costCents?: number;
  costDetail?: JobCostDetail;
}

export interface ChargebackAmounts {
  jobs: number;
  grams: number;
  hours: number;
  filamentCents: number;
  machineCents: number;
  overheadCents: number;
  costCents: number;
}

export interface ChargebackRow extends ChargebackAmounts {
  orgId: string;
  /** Set when grouped by user. */
  userId?: string;
  currency: string;
}

export interface ChargebackTotal extends ChargebackAmounts {
  currency: string;
}

const empty = (): ChargebackAmounts => ({
  jobs: 0,
  grams: 0,
  hours: 0,
  filamentCents: 0,
  machineCents: 0,
  overheadCents: 0,
  costCents: 0,
});

function add(into: ChargebackAmounts, job: ChargeableJob): void {
  const d = job.costDetail;
  into.jobs += 1;
  into.grams = Math.round((into.grams + (d?.grams ?? 0)) * 100) / 100;
  into.hours = Math.round((into.hours + (d?.hours ?? 0)) * 10_000) / 10_000;
  into.filamentCents += d?.filamentCents ?? 0;
  into.machineCents += d?.machineCents ?? 0;
  into.overheadCents += d?.overheadCents ?? 0;
  into.costCents += job.costCents ?? 0;
}

export function aggregateChargebacks(
  jobs: readonly ChargeableJob[],
  groupBy: ChargebackGrouping,
): { rows: ChargebackRow[]; totals: ChargebackTotal[] } {
  const rows = new Map<string, ChargebackRow>();
  const totals = new Map<string, ChargebackTotal>();
  for (const job of jobs) {
    const orgId = job.chargedToOrgId ?? job.orgId;
    const currency = job.costDetail?.currency ?? DEFAULT_CURRENCY;
    const userId = groupBy === 'user' ? (job.chargedToUserId ?? 'unknown') : undefined;
    const key = `${orgId}|${userId ?? ''}|${currency}`;
    let row = rows.get(key);
    if (!row) {
      row = { orgId, ...(userId ? { userId } : {}), currency, ...empty() };
      rows.set(key, row);
    }
    add(row, job);
    let total = totals.get(currency);
    if (!total) {
      total = { currency, ...empty() };
      totals.set(currency, total);
    }
    add(total, job);
  }
  const sorted = [...rows.values()].sort(
    (a, b) => a.orgId.localeCompare(b.orgId) || b.costCents - a.costCents || (a.userId ?? '').localeCompare(b.userId ?? ''),
  );
  return { rows: sorted, totals: [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency)) };
}
