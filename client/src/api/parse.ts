/** Small readers for JSON answers: check the shape at the boundary instead of casting. */
export type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);
export const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function badShape(what: string): Error {
  return new Error(`the server sent an unexpected ${what} answer`);
}

/** The objects of `v[key]` (an answer like `{ sessions: [...] }`), or an error when it is not a list. */
export function listOf(v: unknown, key: string, what: string): Json[] {
  const list = isObject(v) ? v[key] : undefined;
  if (!Array.isArray(list)) throw badShape(what);
  return list.filter(isObject);
}
