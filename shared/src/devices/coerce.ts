/**
 * Reading device JSON that does not keep to its own types: Bambu printers send many numbers
 * as strings ("28", "0.4", "-70dBm"), and any device can send null where a value belongs.
 */

export type JsonRecord = Record<string, unknown>;

export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A finite number from a number or a numeric string; undefined for anything else. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '' && value.length < 40) {
    const n = Number(value.trim());
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

export function toInteger(value: unknown): number | undefined {
  const n = toNumber(value);
  return n === undefined ? undefined : Math.trunc(n);
}

export function toText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** Property of a nested record by path, or undefined when any step is missing or not a record. */
export function pick(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Merge a partial report into the last known state: records merge key by key, everything
 * else (arrays included) replaces. Returns a new object; neither input is changed. Keys that
 * could pollute prototypes are ignored, and nesting deeper than `maxDepth` replaces whole.
 */
export function deepMerge(base: JsonRecord, patch: JsonRecord, maxDepth = 16): JsonRecord {
  const out: JsonRecord = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (UNSAFE_KEYS.has(key)) continue;
    const previous = out[key];
    out[key] = maxDepth > 0 && isRecord(previous) && isRecord(value) ? deepMerge(previous, value, maxDepth - 1) : value;
  }
  return out;
}
