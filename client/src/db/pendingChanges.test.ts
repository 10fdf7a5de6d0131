import { beforeEach, describe, expect, it } from 'vitest';
import { PendingChanges } from './pendingChanges.js';

const data = new Map<string, string>();
Object.assign(globalThis, {
  localStorage: {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  },
});

describe('PendingChanges', () => {
  beforeEach(() => data.clear());

  it('counts each locally written id once until the server acknowledges it', () => {
    const pending = new PendingChanges('u1');
    pending.add('a');
    pending.add('a');
    pending.add('b');
    expect(pending.count$.value).toBe(2);
    pending.remove(['a', 'x']);
    expect(pending.count$.value).toBe(1);
    expect(pending.has('b')).toBe(true);
  });

  it('survives a reload (a new instance reads the same user key)', () => {
    new PendingChanges('u1').add('a');
    expect(new PendingChanges('u1').count$.value).toBe(1);
    expect(new PendingChanges('u2').count$.value).toBe(0);
  });
});
