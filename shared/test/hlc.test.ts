import { describe, expect, it } from 'vitest';
import { createHlc, parseHlc } from '../src/hlc.js';

describe('hybrid logical clock', () => {
  it('orders local events even when the wall clock stands still or goes back', () => {
    let wall = 1_000;
    const hlc = createHlc('node-a', () => wall);
    const t1 = hlc.now();
    const t2 = hlc.now();
    wall = 500; // clock stepped back (NTP correction)
    const t3 = hlc.now();
    expect(t1 < t2 && t2 < t3).toBe(true);
    expect(parseHlc(t3)).toMatchObject({ wall: 1000, counter: 2, nodeId: 'node-a' });
  });

  it('moves past timestamps seen from other replicas with slower clocks', () => {
    const fast = createHlc('fast', () => 5_000);
    const slow = createHlc('slow', () => 1_000);
    const remote = fast.now();
    slow.observe(remote);
    expect(slow.now() > remote).toBe(true);
  });

  it('breaks ties between replicas by node id, so comparison is total', () => {
    const a = createHlc('aaa', () => 42).now();
    const b = createHlc('bbb', () => 42).now();
    expect(a).not.toBe(b);
    expect(a < b).toBe(true);
  });

  it('refuses node ids that would break the timestamp format', () => {
    expect(() => createHlc('bad:id')).toThrow(/invalid HLC node id/);
  });
});
