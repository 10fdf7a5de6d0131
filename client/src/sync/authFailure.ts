/** Recognises "your credential is no longer good" in stream closes and replication errors. */
const AUTH_CODES = new Set(['UNAUTHENTICATED', 'SESSION_REVOKED', 'TOKEN_EXPIRED', 'TOKEN_MALFORMED', 'HTTP_401']);

type ErrorLike = { code?: unknown; status?: unknown; parameters?: { errors?: unknown } };

export function isAuthFailure(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const e = err as ErrorLike;
  if (e.status === 401 || (typeof e.code === 'string' && AUTH_CODES.has(e.code))) return true;
  // RxDB wraps handler errors: RC_PULL / RC_PUSH with parameters.errors = [plain error, …]
  const inner = e.parameters?.errors;
  return Array.isArray(inner) && inner.some((x) => isAuthFailure(x));
}
