import { describe, expect, it } from 'vitest';
import { parseModels, parseRevisions } from './modelTypes.js';
import { parseBulkOutcomes, parseChargebacks, parseQuotas, parseSpend } from './reportTypes.js';
import { roomOfUrl } from '../printer/ticketSocket.js';

describe('farm endpoint answers', () => {
  it('reads models and revisions, newest revision first', () => {
    expect(
      parseModels({ models: [{ id: 'm1', name: 'Bracket', latestRevision: 2, createdAt: '2026-11-01T00:00:00Z' }] }),
    ).toEqual([{ id: 'm1', name: 'Bracket', latestNumber: 2, updatedAt: '2026-11-01T00:00:00Z' }]);
    const revs = parseRevisions({
      revisions: [
        { id: 'r1', revision: 1, fileName: 'a.gcode', metadata: { estimatedSeconds: 60, filamentTypes: ['PLA'] } },
        { id: 'r2', revision: 2, fileName: 'b.gcode', changelog: 'Thicker', metadata: {} },
      ],
    });
    expect(revs.map((r) => r.number)).toEqual([2, 1]);
    expect(revs[1]?.metadata).toEqual({ estimatedSeconds: 60, filamentTypes: ['PLA'] });
  });

  it('turns quota rules into one meter per limited measure', () => {
    const quotas = parseQuotas({
      quotas: [
        {
          scope: 'user',
          orgId: 'o',
          userId: 'u',
          period: 'monthly',
          limits: { grams: 1000, hours: null, jobs: 10 },
          used: { grams: 250.4, hours: 3, jobs: 2 },
        },
        {
          scope: 'group',
          orgId: 'o',
          groupId: 'g',
          name: 'Students',
          period: 'weekly',
          limits: { grams: null, hours: 20, jobs: null },
          used: { grams: 0, hours: 4.25, jobs: 0 },
        },
      ],
    });
    expect(quotas.map((q) => [q.label, q.used, q.limit, q.unit])).toEqual([
      ['Filament this month', 250, 1000, 'g'],
      ['Jobs this month', 2, 10, undefined],
      ['Students: print hours this week', 4.3, 20, 'h'],
    ]);
  });

  it('reads spend, chargebacks and bulk outcomes', () => {
    const spend = parseSpend({ mine: [{ orgId: 'o', orgName: 'Lab', currency: 'EUR', jobs: 2, costCents: 450 }], orgs: [] });
    expect(spend.mine).toEqual([{ orgId: 'o', label: 'Lab', currency: 'EUR', jobs: 2, costCents: 450 }]);
    const cb = parseChargebacks({
      rows: [
        {
          orgId: 'o',
          orgName: 'Lab',
          userId: 'u',
          email: 'a@b.c',
          currency: 'EUR',
          jobs: 1,
          grams: 10,
          hours: 0.5,
          costCents: 120,
        },
      ],
      totals: [{ currency: 'EUR', jobs: 1, grams: 10, hours: 0.5, costCents: 120 }],
    });
    expect(cb.rows[0]).toMatchObject({ label: 'a@b.c', orgName: 'Lab', printSeconds: 1800, costCents: 120 });
    expect(cb.totals).toHaveLength(1);
    expect(
      parseBulkOutcomes({
        results: [
          { id: 'a', ok: true },
          { id: 'b', ok: false, code: 'INVALID_TRANSITION', message: 'no' },
        ],
      }),
    ).toEqual([
      { id: 'a', ok: true },
      { id: 'b', ok: false, message: 'no' },
    ]);
  });

  it('finds the Yjs room in a socket URL', () => {
    expect(roomOfUrl('ws://h:1/yjs/printers:abc')).toBe('printers:abc');
    expect(roomOfUrl('wss://h/yjs/printers%3Aabc?x=1')).toBe('printers:abc');
  });
});
