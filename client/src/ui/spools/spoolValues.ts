/** Spool form fields <-> spool document fields. */
import type { Spool } from '@fleetsync/shared';
import { numberText, toNumber, toText, type Changes } from '../form/docData.js';
import type { FormValues } from '../form/useDocForm.js';

export const SPOOL_DEFAULTS: Changes = {};

export function spoolValues(s: Spool | undefined): FormValues {
  return {
    material: s?.material ?? 'PLA',
    colour: s?.colour ?? '',
    brand: s?.brand ?? '',
    totalGrams: s ? numberText(s.totalGrams) : '1000',
    remainingGrams: s ? numberText(s.remainingGrams) : '1000',
    costPerKg: numberText(s?.costPerKg),
  };
}

export function spoolChanges(v: FormValues): Changes {
  return {
    material: v.material,
    colour: (v.colour ?? '').trim(),
    brand: toText(v.brand ?? ''),
    totalGrams: toNumber(v.totalGrams ?? ''),
    remainingGrams: toNumber(v.remainingGrams ?? ''),
    costPerKg: toNumber(v.costPerKg ?? ''),
  };
}
