/**
 * Quota arithmetic: limits per period on grams, machine hours and jobs, for a user or a group
 * of users in one organization. `null` means "no limit" on that measure.
 */
import { z } from 'zod';
import { QUOTA_PERIODS, type QuotaPeriod } from './periods.js';
import type { Usage } from './usage.js';

export const quotaLimitsSchema = z
  .object({
    period: z.enum(QUOTA_PERIODS),
    maxGrams: z.number().min(0).max(10_000_000).nullable().default(null),
    maxHours: z.number().min(0).max(1_000_000).nullable().default(null),
    maxJobs: z.number().int().min(0).max(1_000_000).nullable().default(null),
  })
  .strict();
export type QuotaLimits = z.infer<typeof quotaLimitsSchema>;

export type QuotaMeasure = 'grams' | 'hours' | 'jobs';
const MEASURES: readonly { measure: QuotaMeasure; limit: 'maxGrams' | 'maxHours' | 'maxJobs'; unit: string }[] = [
  { measure: 'grams', limit: 'maxGrams', unit: 'g' },
  { measure: 'hours', limit: 'maxHours', unit: 'h' },
  { measure: 'jobs', limit: 'maxJobs', unit: 'jobs' },
];

/** Remaining per measure (`null`: unlimited); never below zero. */
export function remainingOf(limits: QuotaLimits, used: Usage): Record<QuotaMeasure, number | null> {
  const out = {} as Record<QuotaMeasure, number | null>;
  for (const { measure, limit } of MEASURES) {
    const max = limits[limit];
    out[measure] = max === null ? null : Math.max(0, round(max - used[measure]));
  }
  return out;
}

export interface QuotaExceeded {
  measure: QuotaMeasure;
  limit: number;
  used: number;
  requested: number;
  remaining: number;
}

/** Which limits `request` would break on top of `used` (empty: it fits). */
export function exceededLimits(limits: QuotaLimits, used: Usage, request: Usage): QuotaExceeded[] {
  const out: QuotaExceeded[] = [];
  for (const { measure, limit } of MEASURES) {
    const max = limits[limit];
    if (max === null) continue;
    // A small tolerance keeps float sums (grams, hours) from refusing an exact fit.
    if (used[measure] + request[measure] > max + 1e-9) {
      out.push({
        measure,
        limit: max,
        used: round(used[measure]),
        requested: round(request[measure]),
        remaining: Math.max(0, round(max - used[measure])),
      });
    }
  }
  return out;
}

const round = (n: number): number => Math.round(n * 100) / 100;
const unitOf = (m: QuotaMeasure): string => MEASURES.find((x) => x.measure === m)!.unit;

/** A person-readable refusal naming what is left, e.g. "… 40 g of 100 g left this month; this job needs 60 g". */
export function quotaRefusalMessage(subject: string, period: QuotaPeriod, exceeded: readonly QuotaExceeded[]): string {
  const parts = exceeded.map(
    (e) =>
      `${e.remaining} ${unitOf(e.measure)} of ${e.limit} ${unitOf(e.measure)} remaining, this job needs ${e.requested} ${unitOf(e.measure)}`,
  );
  return `${period} quota of ${subject} exceeded: ${parts.join('; ')}`;
}
