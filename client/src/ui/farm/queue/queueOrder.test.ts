import { describe, expect, it } from 'vitest';
import { byQueueOrder, moveWrites } from './queueOrder.js';

const job = (id: string, priority: number, createdAt = '2026-01-01') => ({ id, name: id, priority, createdAt });

describe('queue order', () => {
  it('sorts by priority, then oldest first', () => {
    const list = [job('a', 50, '2026-01-02'), job('b', 80), job('c', 50, '2026-01-01')].sort(byQueueOrder);
    expect(list.map((j) => j.id)).toEqual(['b', 'c', 'a']);
  });

  it('moves a job past its neighbour with one write', () => {
    const list = [job('a', 80), job('b', 50), job('c', 20)];
    expect([...moveWrites(list, 1, -1)]).toEqual([['b', 81]]);
    expect([...moveWrites(list, 1, 1)]).toEqual([['b', 19]]);
    const moved = list.map((j) => ({ ...j, priority: moveWrites(list, 2, -1).get(j.id) ?? j.priority })).sort(byQueueOrder);
    expect(moved.map((j) => j.id)).toEqual(['a', 'c', 'b']);
  });

  it('makes room at the ends of the range', () => {
    expect([...moveWrites([job('a', 100), job('b', 100)], 1, -1)]).toEqual([
      ['b', 100],
      ['a', 99],
    ]);
    expect([...moveWrites([job('a', 0), job('b', 0)], 0, 1)]).toEqual([
      ['a', 0],
      ['b', 1],
    ]);
    expect(moveWrites([job('a', 5)], 0, -1).size).toBe(0);
  });
});
