import { describe, expect, it } from 'vitest';
import { auditPath } from '../../api/adminApi.js';
import { localToIso, toAuditFilters } from './auditFilters.js';

describe('audit filters', () => {
  it('turns local date-times into ISO instants', () => {
    expect(localToIso('')).toBeUndefined();
    expect(localToIso('nonsense')).toBeNull();
    expect(localToIso('2030-05-01T10:00')).toBe(new Date('2030-05-01T10:00').toISOString());
  });

  it('refuses a range that ends before it starts', () => {
    expect(toAuditFilters({ actor: '', action: '', from: '2030-05-02T00:00', to: '2030-05-01T00:00' }, null)).toEqual({
      error: '“From” must be before “To”.',
    });
  });

  it('builds the query with only the filters given', () => {
    const f = toAuditFilters({ actor: ' ada@x.test ', action: 'auth.', from: '', to: '' }, 'o1');
    expect(f).toEqual({ actor: 'ada@x.test', action: 'auth.', from: undefined, to: undefined, orgId: 'o1' });
    expect(auditPath(f as never, { before: '42', limit: 50 })).toBe(
      '/api/audit?actor=ada%40x.test&action=auth.&orgId=o1&before=42&limit=50',
    );
    expect(auditPath({ orgId: null }, { format: 'csv' })).toBe('/api/audit?format=csv');
  });
});
