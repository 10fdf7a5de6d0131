/**
 * Gets a fresh access token with the refresh cookie. Refresh tokens rotate and reuse revokes
 * the session, so tabs take turns (Web Locks) and a tab that finds the stored token already
 * replaced by another tab uses that one instead of refreshing again.
 */
import { refreshAccessToken } from '../api/authApi.js';
import { loadSession, saveSession, type StoredSession } from './sessionStorage.js';

async function exclusively<T>(name: string, task: () => Promise<T>): Promise<T> {
  const locks = globalThis.navigator?.locks;
  if (!locks) return task();
  return locks.request(name, task);
}

/** The refreshed session, or null when the stored session is gone or belongs to someone else. */
export function refreshSession(stale: StoredSession): Promise<StoredSession | null> {
  return exclusively('fleetsync.refresh', async () => {
    const current = loadSession();
    if (!current || current.userId !== stale.userId) return null;
    if (current.token !== stale.token) return current;
    const fresh = await refreshAccessToken();
    const next: StoredSession = { ...current, token: fresh.token, ...(fresh.expiresAt ? { expiresAt: fresh.expiresAt } : {}) };
    saveSession(next);
    return next;
  });
}
