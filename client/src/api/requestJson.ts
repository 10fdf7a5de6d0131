/** Same-origin requests to the REST API with the `{ error: { code, message, details } }` error body. */
import { ApiError, NETWORK_ERROR } from './apiError.js';

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  token?: string;
  body?: unknown;
  headers?: Record<string, string> | undefined;
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown; details?: unknown } };
    const code = typeof body.error?.code === 'string' ? body.error.code : `HTTP_${res.status}`;
    const message = typeof body.error?.message === 'string' ? body.error.message : res.statusText;
    return new ApiError(res.status, code, message, body.error?.details);
  } catch {
    return new ApiError(res.status, `HTTP_${res.status}`, res.statusText || 'the server answered with an error');
  }
}

async function send(path: string, opts: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept, ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(path, {
      method: opts.method ?? 'GET',
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch {
    throw new ApiError(0, NETWORK_ERROR, 'The server cannot be reached. Check your connection and try again.');
  }
  if (!res.ok) throw await errorOf(res);
  return res;
}

/** Resolves to the parsed JSON body (undefined for 204); rejects with an ApiError. */
export async function requestJson(path: string, opts: RequestOptions = {}): Promise<unknown> {
  const res = await send(path, opts, 'application/json');
  if (res.status === 204) return undefined;
  return res.json();
}

/** A file answer (e.g. the audit log as CSV); rejects with an ApiError. */
export async function requestBlob(path: string, opts: RequestOptions = {}): Promise<Blob> {
  return (await send(path, opts, '*/*')).blob();
}

/** `?a=1&b=2` from the defined, non-empty values (empty string when there are none). */
export function queryString(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}
