/** Branded identifiers: a UserId can never be passed where an OrgId is expected. */
declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type UserId = Brand<string, 'UserId'>;
export type OrgId = Brand<string, 'OrgId'>;
export type SessionId = Brand<string, 'SessionId'>;
export type DocId = Brand<string, 'DocId'>;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_RE.test(value);
}

/** RFC 4122 v4 id from the platform's crypto (browser, worker and Node all have it). */
export function newId(): string {
  return globalThis.crypto.randomUUID();
}
