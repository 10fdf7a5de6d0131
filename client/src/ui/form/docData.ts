/** Plain document data for forms: no RxDB-local keys, and form changes applied to it. */

/** Form output: a value per field; undefined removes an optional field. */
export type Changes = Record<string, unknown>;

export function withoutLocalKeys<T extends object>(data: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([k]) => !k.startsWith('_')));
}

/** `base` with `changes` applied; keys whose new value is undefined are removed. */
export function applyChanges<T extends Record<string, unknown>>(base: T, changes: Changes): T {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out as T;
}

/** '' -> undefined (an empty optional field), anything else -> a number (NaN is reported by the schema). */
export function toNumber(text: string): number | undefined {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
}

export function toText(text: string): string | undefined {
  const t = text.trim();
  return t === '' ? undefined : t;
}

export const numberText = (n: number | undefined): string => (n === undefined ? '' : String(n));
