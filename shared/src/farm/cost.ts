/**
 * Job cost for chargebacks: filament (grams x the spool's cost per kg) + machine time x the
 * org's hourly rate + the org's overhead per job. Money is in the org's currency; every
 * component is rounded to whole cents on its own and the total is their sum, so a report's
 * columns always add up.
 */
import { z } from 'zod';

/** The cost settings an org admin keeps in the org's settings (all amounts in major units). */
export const costSettingsSchema = z.object({
  machineRatePerHour: z.number().min(0).max(100_000).optional(),
  overheadPerJob: z.number().min(0).max(100_000).optional(),
  /** Used when the job's spool is unknown. */
  filamentCostPerKg: z.number().min(0).max(100_000).optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
});
export type CostSettings = z.infer<typeof costSettingsSchema>;

export const DEFAULT_CURRENCY = 'EUR';

export interface CostInput {
  grams: number;
  seconds: number;
  /** The spool's cost per kg, when the spool is known. */
  spoolCostPerKg?: number;
  settings: CostSettings;
}

export interface JobCost {
  grams: number;
  hours: number;
  costPerKg: number;
  filamentCents: number;
  machineCents: number;
  overheadCents: number;
  totalCents: number;
  currency: string;
}

export function computeJobCost(input: CostInput): JobCost {
  const costPerKg = input.spoolCostPerKg ?? input.settings.filamentCostPerKg ?? 0;
  const hours = input.seconds / 3600;
  const filamentCents = Math.round((input.grams * costPerKg) / 10);
  const machineCents = Math.round(hours * (input.settings.machineRatePerHour ?? 0) * 100);
  const overheadCents = Math.round((input.settings.overheadPerJob ?? 0) * 100);
  return {
    grams: input.grams,
    hours: Math.round(hours * 10_000) / 10_000,
    costPerKg,
    filamentCents,
    machineCents,
    overheadCents,
    totalCents: filamentCents + machineCents + overheadCents,
    currency: input.settings.currency ?? DEFAULT_CURRENCY,
  };
}

/** Cents as a plain decimal string, e.g. 1425 -> "14.25" (reports, CSV). */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.round(cents));
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
