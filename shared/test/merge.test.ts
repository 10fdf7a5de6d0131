import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeByFieldClock, stableStringify, stampChangedFields, type ClockedDoc } from '../src/sync/merge.js';

const base = { id: 'p1', orgId: 'org', createdBy: 'u1', updatedAt: 'server-time' };

describe('field-level merge (SPEC S-C1..S-C3)', () => {
  it('SPEC S-C1: edits of different fields both survive', () => {
    const master = { ...base, name: 'renamed', location: 'Bay 1', clock: { name: '2', location: '1' } } as ClockedDoc;
    const local = { ...base, name: 'old', location: 'Bay 9', clock: { name: '1', location: '3' } } as ClockedDoc;
    expect(mergeByFieldClock(master, local)).toMatchObject({
      name: 'renamed',
      location: 'Bay 9',
      clock: { name: '2', location: '3' },
    });
  });

  it('SPEC S-C2: the same field resolves to the later clock, ties by value, in either order', () => {
    const a = { ...base, name: 'A', clock: { name: '5' } } as ClockedDoc;
    const b = { ...base, name: 'B', clock: { name: '5' } } as ClockedDoc;
    expect(mergeByFieldClock(a, b).name).toBe(mergeByFieldClock(b, a).name);
  });

  it('SPEC S-C3: a delete wins; orgId and server-owned fields come from the master', () => {
    const master = { ...base, name: 'x', clock: { name: '1' } } as ClockedDoc;
    const local = { ...base, orgId: 'forged', createdBy: 'me', name: 'y', _deleted: true, clock: { name: '2' } } as ClockedDoc;
    const merged = mergeByFieldClock(master, local);
    expect(merged).toMatchObject({ orgId: 'org', createdBy: 'u1', name: 'y', _deleted: true });
  });

  it('merging is commutative in every domain field (property)', () => {
    const clock = fc.constantFrom('1', '2', '3');
    const val = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.constantFrom('x', 'y'), fc.constant(undefined));
    const doc = fc
      .record({ a: val, b: val, ca: clock, cb: clock })
      .map((r) => ({ ...base, a: r.a, b: r.b, clock: { a: r.ca, b: r.cb } }) as ClockedDoc);
    fc.assert(
      fc.property(doc, doc, (x, y) => {
        const strip = (d: ClockedDoc) => stableStringify({ a: d.a, b: d.b, clock: d.clock });
        expect(strip(mergeByFieldClock(x, y))).toBe(strip(mergeByFieldClock(y, x)));
      }),
    );
  });

  it('stamps only the fields a write changed', () => {
    const prev = { ...base, name: 'a', tags: ['x'], clock: { name: '1', tags: '1' } };
    const clock = stampChangedFields(prev, { ...prev, tags: ['x', 'y'] }, '9');
    expect(clock).toEqual({ name: '1', tags: '9' });
  });
});
