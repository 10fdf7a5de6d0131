/**
 * The signed-in session, kept in localStorage (`fleetsync.session`) so that a reload with
 * no network still opens the user's local data.
 */
import { readJson, removeKey, writeJson } from '../localJson.js';

export const SESSION_KEY = 'fleetsync.session';

export interface StoredSession {
  token: string;
  userId: string;
  email: string;
  /** When the access token expires (ISO), if the server said; refreshed shortly before. */
  expiresAt?: string;
}

export function loadSession(): StoredSession | null {
  const v = readJson(SESSION_KEY);
  if (typeof v !== 'object' || v === null) return null;
  const { token, userId, email, expiresAt } = v as Record<string, unknown>;
  if (typeof token !== 'string' || typeof userId !== 'string' || !token || !userId) return null;
  return {
    token,
    userId,
    email: typeof email === 'string' ? email : '',
    ...(typeof expiresAt === 'string' && expiresAt ? { expiresAt } : {}),
  };
}

export function saveSession(session: StoredSession): void {
  writeJson(SESSION_KEY, session);
}

export function clearSession(): void {
  removeKey(SESSION_KEY);
}
