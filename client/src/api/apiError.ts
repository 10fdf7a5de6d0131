/** A failed call to the server's REST API, carrying the server's stable error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The error body's `details` (e.g. `{ problems }` for PASSWORD_POLICY), when sent. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Status 0: the request never reached the server (offline, DNS, refused). */
export const NETWORK_ERROR = 'NETWORK_ERROR';

export function isUnauthorized(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401;
}

export function isNetworkError(err: unknown): boolean {
  return err instanceof ApiError && err.code === NETWORK_ERROR;
}

/** Codes meaning "this credential no longer works" (not: "the code or password you typed is wrong"). */
const SESSION_ENDED = new Set(['UNAUTHENTICATED', 'SESSION_REVOKED', 'TOKEN_EXPIRED', 'TOKEN_MALFORMED']);

export function isSessionEnded(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401 && SESSION_ENDED.has(err.code);
}

/** A sentence for the screen: the server's message with a capital letter and a full stop. */
export function errorText(err: unknown): string {
  const raw = err instanceof Error ? err.message : String(err);
  const text = raw.charAt(0).toUpperCase() + raw.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}
