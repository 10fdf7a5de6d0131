/**
 * The print-farm REST endpoints (models, quotas, reports, bulk updates, analytics) with the
 * session's bearer token. A 401 refreshes the session once and retries. An endpoint the
 * server does not have (404 from the API fallback) is reported as `missing`, so screens can
 * say "not available" instead of failing.
 */
import { useMemo } from 'react';
import { ApiError, isNetworkError, isUnauthorized, NETWORK_ERROR } from '../../../api/apiError.js';
import { requestJson } from '../../../api/requestJson.js';
import { loadSession } from '../../../session/sessionStorage.js';
import { useController, useReady } from '../../appContext.js';

export interface FarmApi {
  /** The current access token of the signed-in user (it changes when refreshed). */
  token(): string | undefined;
  get(path: string): Promise<unknown>;
  post(path: string, body: unknown): Promise<unknown>;
  /** A binary download (CSV, PDF) with the bearer token. */
  blob(path: string): Promise<Blob>;
}

/** 404 from the server's API fallback: this server has no such endpoint (yet). */
export function isMissingEndpoint(err: unknown): boolean {
  if (!(err instanceof ApiError) || err.status !== 404) return false;
  return err.code === 'HTTP_404' || /no such api endpoint/i.test(err.message);
}

export function describeError(err: unknown): string {
  if (isNetworkError(err)) return 'The server cannot be reached. Check your connection and try again.';
  return err instanceof Error ? err.message : String(err);
}

export function createFarmApi(userId: string, recover: () => Promise<void>): FarmApi {
  const token = () => {
    const s = loadSession();
    return s?.userId === userId ? s.token : undefined;
  };
  const withAuth = async <T>(call: (t: string | undefined) => Promise<T>): Promise<T> => {
    try {
      return await call(token());
    } catch (err) {
      if (!isUnauthorized(err)) throw err;
      await recover();
      return call(token());
    }
  };
  const blob = (path: string) =>
    withAuth(async (t) => {
      let res: Response;
      try {
        res = await fetch(path, { headers: t ? { authorization: `Bearer ${t}` } : {}, credentials: 'same-origin' });
      } catch {
        throw new ApiError(0, NETWORK_ERROR, 'The server cannot be reached. Check your connection and try again.');
      }
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as { error?: { code?: string; message?: string } };
        throw new ApiError(res.status, body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? res.statusText);
      }
      return res.blob();
    });
  return {
    token,
    get: (path) => withAuth((t) => requestJson(path, { token: t })),
    post: (path, body) => withAuth((t) => requestJson(path, { method: 'POST', token: t, body })),
    blob,
  };
}

export function useFarmApi(): FarmApi {
  const controller = useController();
  const { session } = useReady();
  return useMemo(() => createFarmApi(session.userId, () => controller.refreshMe()), [session.userId, controller]);
}

/** `path` limited to one organization (the farm list endpoints take `?orgId=`). */
export function withOrg(path: string, orgId: string | null): string {
  return orgId ? `${path}${path.includes('?') ? '&' : '?'}orgId=${encodeURIComponent(orgId)}` : path;
}
