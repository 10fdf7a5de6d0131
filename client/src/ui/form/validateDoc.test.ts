import { describe, expect, it } from 'vitest';
import type { UserId } from '@fleetsync/shared';
import { statusOptions } from '../jobs/jobValues.js';
import { PRINTER_DEFAULTS, printerChanges, printerValues } from '../printers/printerValues.js';
import { spoolChanges, spoolValues } from '../spools/spoolValues.js';
import { applyChanges } from './docData.js';
import { validateDoc } from './validateDoc.js';

const principal = { userId: 'u1' as UserId, memberships: { o1: 'admin' as const } };
const newDoc = (defaults: Record<string, unknown>): Record<string, unknown> => ({
  id: 'd1',
  orgId: 'o1',
  clock: {},
  ...defaults,
});

describe('document forms', () => {
  it('accepts a complete new printer and drops duplicate and empty tags', () => {
    const values = { ...printerValues(undefined), name: 'MK4', bedWidthMm: '250', bedDepthMm: '210', tags: 'farm, , farm,left' };
    const doc = applyChanges(newDoc(PRINTER_DEFAULTS), printerChanges(values));
    expect(doc.tags).toEqual(['farm', 'left']);
    expect('location' in doc).toBe(false);
    expect(validateDoc('printers', doc, undefined, principal)).toEqual({ ok: true });
  });

  it('reports readable errors per field', () => {
    const values = { ...printerValues(undefined), name: ' ', nozzleDiameter: '5', bedWidthMm: '', bedDepthMm: '210' };
    const result = validateDoc('printers', applyChanges(newDoc(PRINTER_DEFAULTS), printerChanges(values)), undefined, principal);
    expect(result).toMatchObject({
      ok: false,
      fields: { name: 'Required', nozzleDiameter: 'Must be at most 2', bedWidthMm: 'Enter a number' },
    });
  });

  it('applies the collection rule (remaining grams within the total)', () => {
    const values = { ...spoolValues(undefined), colour: 'Red', totalGrams: '500', remainingGrams: '900', costPerKg: '20' };
    const result = validateDoc('spools', applyChanges(newDoc({}), spoolChanges(values)), undefined, principal);
    expect(result).toEqual({ ok: false, fields: {}, form: 'remaining grams cannot exceed the spool total' });
  });

  it('offers only allowed job status moves', () => {
    expect(statusOptions(undefined).map((o) => o.value)).toEqual(['queued']);
    expect(statusOptions('done').map((o) => o.value)).toEqual(['done']);
    expect(statusOptions('printing').map((o) => o.value)).toEqual(['printing', 'paused', 'done', 'failed', 'cancelled']);
  });
});
