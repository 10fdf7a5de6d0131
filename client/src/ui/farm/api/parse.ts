/** Lenient readers for answers of farm endpoints: unknown fields are ignored, wrong types dropped. */
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
export const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
export const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : undefined;
export const numbers = (v: unknown): number[] | undefined =>
  Array.isArray(v) ? v.map(num).filter((x): x is number => x !== undefined) : undefined;

/** The first of several possible field names that holds a value. */
export function pick(o: Json, ...keys: string[]): unknown {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return o[k];
  return undefined;
}

/** An array answer, or the array under one of the usual keys (`items`, `rows`, or a named one). */
export function listOf<T>(body: unknown, parseItem: (v: Json) => T | null, ...keys: string[]): T[] {
  let arr: unknown = body;
  if (isObject(body)) arr = pick(body, ...keys, 'items', 'rows', 'data', 'results');
  if (!Array.isArray(arr)) throw new Error('the server sent an unexpected answer');
  const out: T[] = [];
  for (const v of arr) {
    if (!isObject(v)) continue;
    const item = parseItem(v);
    if (item !== null) out.push(item);
  }
  return out;
}

/** Removes keys whose value is undefined (strict optional types). */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
