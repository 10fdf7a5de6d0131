/** Small HTTP helpers for security tests: cookies, forwarded client addresses, JSON bodies. */
export interface Reply<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
  cookies: Record<string, string>;
}

export function cookiesOf(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of headers.getSetCookie()) {
    const [pair] = c.split(';');
    const i = pair!.indexOf('=');
    out[pair!.slice(0, i)] = decodeURIComponent(pair!.slice(i + 1));
  }
  return out;
}

export async function call<T = Record<string, unknown>>(
  baseUrl: string,
  path: string,
  init: {
    method?: string;
    body?: unknown;
    token?: string;
    headers?: Record<string, string>;
    cookies?: Record<string, string>;
    ip?: string;
  } = {},
): Promise<Reply<T>> {
  const headers: Record<string, string> = { 'x-fleetsync-protocol': '1', ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.ip) headers['x-forwarded-for'] = init.ip;
  if (init.cookies)
    headers.cookie = Object.entries(init.cookies)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('; ');
  const res = await fetch(`${baseUrl}${path}`, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON (CSV export)
  }
  return { status: res.status, body: body as T, headers: res.headers, cookies: cookiesOf(res.headers) };
}

export const codeOf = (r: Reply<unknown>) => (r.body as { error?: { code?: string } })?.error?.code;
