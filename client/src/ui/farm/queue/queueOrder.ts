/** Queue order (priority high → low, then oldest first) and the priority writes of a move. */
import type { Job } from '@fleetsync/shared';

export const WAITING = new Set<Job['status']>(['queued', 'scheduled']);
export const ACTIVE = new Set<Job['status']>(['queued', 'scheduled', 'printing', 'paused']);
export const FINISHED = new Set<Job['status']>(['done', 'failed', 'cancelled']);

type Orderable = Pick<Job, 'id' | 'priority' | 'name' | 'createdAt'>;

export function byQueueOrder(a: Orderable, b: Orderable): number {
  return b.priority - a.priority || (a.createdAt ?? '~').localeCompare(b.createdAt ?? '~') || a.name.localeCompare(b.name);
}

/**
 * New priorities that move `list[index]` one place up (-1) or down (+1) past its neighbour:
 * one write, or two when the neighbour sits at the end of the 0–100 range.
 */
export function moveWrites(list: readonly Orderable[], index: number, dir: -1 | 1): Map<string, number> {
  const job = list[index];
  const other = list[index + dir];
  const out = new Map<string, number>();
  if (!job || !other) return out;
  if (dir === -1) {
    if (other.priority < 100) out.set(job.id, other.priority + 1);
    else out.set(job.id, 100).set(other.id, 99);
  } else if (other.priority > 0) out.set(job.id, other.priority - 1);
  else out.set(job.id, 0).set(other.id, 1);
  return out;
}
