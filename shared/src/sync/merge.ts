/**
 * Field-level last-writer-wins merge by hybrid logical clock (docs/adr/002, SPEC S-C1..S-C3).
 * Pure and symmetric in its domain fields, so every replica that merges the same two
 * states reaches the same result whatever the order.
 */
import { META_FIELDS } from '../collections/define.js';

export type ClockedDoc = Record<string, unknown> & { id: string; clock: Record<string, string> };

/** JSON with sorted keys: equal values always give equal strings. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return '';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(obj[k])}`).join(',')}}`;
}

export function deepEqual(a: unknown, b: unknown): boolean {
  return stableStringify(a) === stableStringify(b);
}

export function domainKeys(...docs: (Record<string, unknown> | undefined)[]): string[] {
  const keys = new Set<string>();
  for (const d of docs) if (d) for (const k of Object.keys(d)) if (!META_FIELDS.has(k) && !k.startsWith('_')) keys.add(k);
  return [...keys].sort();
}

/**
 * Merge a replica's state into the server's (master) state.
 * - each domain field: the value with the later clock wins; equal clocks fall back to
 *   comparing the values' canonical JSON so the choice is still deterministic;
 * - `_deleted`: a delete wins over an edit (no undelete);
 * - `orgId` and server-owned fields: always the master's.
 */
export function mergeByFieldClock<T extends ClockedDoc>(master: T, local: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(master)) if (META_FIELDS.has(k) || k.startsWith('_')) out[k] = v;
  const clock: Record<string, string> = { ...master.clock };
  for (const key of domainKeys(master, local)) {
    const cm = master.clock[key] ?? '';
    const cl = local.clock[key] ?? '';
    let winner: T;
    if (cm !== cl) winner = cm > cl ? master : local;
    else winner = stableStringify(master[key]) >= stableStringify(local[key]) ? master : local;
    if (winner[key] !== undefined) out[key] = winner[key];
    clock[key] = cm > cl ? cm : cl;
  }
  out.clock = clock;
  out._deleted = Boolean(master._deleted) || Boolean(local._deleted);
  return out as T;
}

/** Sets `clock[field] = timestamp` for every domain field that differs from `previous`. */
export function stampChangedFields(
  previous: Record<string, unknown> | undefined,
  next: Record<string, unknown>,
  timestamp: string,
): Record<string, string> {
  const prevClock = (previous?.clock as Record<string, string> | undefined) ?? {};
  const clock: Record<string, string> = { ...prevClock, ...((next.clock as Record<string, string>) ?? {}) };
  for (const key of domainKeys(previous, next)) {
    if (!previous || !deepEqual(previous[key], next[key])) clock[key] = timestamp;
  }
  return clock;
}

/** The latest timestamp in a document's clock (used to advance a replica's HLC). */
export function maxClock(doc: { clock?: Record<string, string> }): string {
  let max = '';
  for (const v of Object.values(doc.clock ?? {})) if (v > max) max = v;
  return max;
}
