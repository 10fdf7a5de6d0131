/** A failed call to the server's REST API, carrying the server's stable error code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
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
