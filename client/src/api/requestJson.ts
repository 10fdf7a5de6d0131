/** Same-origin JSON requests to the REST API with the `{ error: { code, message } }` error body. */
import { ApiError, NETWORK_ERROR } from './apiError.js';

export interface RequestOptions {
  method?: 'GET' | 'POST';
  token?: string;
  body?: unknown;
  headers?: Record<string, string> | undefined;
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
    const code = typeof body.error?.code === 'string' ? body.error.code : `HTTP_${res.status}`;
    const message = typeof body.error?.message === 'string' ? body.error.message : res.statusText;
    return new ApiError(res.status, code, message);
  } catch {
    return new ApiError(res.status, `HTTP_${res.status}`, res.statusText || 'the server answered with an error');
  }
}

/** Resolves to the parsed JSON body (undefined for 204); rejects with an ApiError. */
export async function requestJson(path: string, opts: RequestOptions = {}): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/json', ...opts.headers };
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
  if (res.status === 204) return undefined;
  return res.json();
}
