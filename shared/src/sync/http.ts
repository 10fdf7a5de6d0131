/** Minimal HTTP helper shared by every sync client (browser, worker, bridge, tests). */
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../protocol.js';
import type { ErrorBody } from '../errors.js';

export interface SyncTransport {
  baseUrl: string;
  /** Returns the current credential (access token or API token), or null when signed out. */
  getToken: () => string | null | Promise<string | null>;
  fetch?: typeof fetch;
}

export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
}

export async function authHeaders(transport: SyncTransport): Promise<Record<string, string>> {
  const token = await transport.getToken();
  const headers: Record<string, string> = { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) };
  if (token) headers.authorization = `Bearer ${token}`;
  return headers;
}

export async function postJson<T>(transport: SyncTransport, path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const f = transport.fetch ?? globalThis.fetch;
  const res = await f(`${transport.baseUrl}${path}`, {
    method: 'POST',
    headers: { ...(await authHeaders(transport)), 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal,
  });
  if (!res.ok) throw await toError(res);
  return (await res.json()) as T;
}

export async function toError(res: Response): Promise<SyncHttpError> {
  let code = 'HTTP_' + res.status;
  let message = res.statusText;
  try {
    const body = (await res.json()) as ErrorBody;
    code = body.error.code;
    message = body.error.message;
  } catch {
    // not a JSON error body; keep the status line
  }
  return new SyncHttpError(res.status, code, message);
}
