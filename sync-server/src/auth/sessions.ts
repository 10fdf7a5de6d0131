/**
 * Server-side sessions. The bearer token is random (`fss_` + 32 bytes), shown to the client
 * once and stored only as a SHA-256 hash, so revocation is a row update that takes effect on
 * the next request, and a database leak reveals no usable token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { newId, type Principal } from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { loadPrincipal } from '../identity/principals.js';

export const SESSION_TOKEN_PREFIX = 'fss_';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  db: Db,
  userId: string,
  opts: { ttlSeconds: number; ip?: string; userAgent?: string },
): Promise<{ sessionId: string; token: string; expiresAt: Date }> {
  const sessionId = newId();
  const token = SESSION_TOKEN_PREFIX + randomBytes(32).toString('base64url');
  const expiresAt = new Date(Date.now() + opts.ttlSeconds * 1000);
  await db.query('INSERT INTO sessions (id, user_id, token_hash, expires_at, ip, user_agent) VALUES ($1, $2, $3, $4, $5, $6)', [
    sessionId,
    userId,
    hashToken(token),
    expiresAt,
    opts.ip ?? null,
    opts.userAgent?.slice(0, 300) ?? null,
  ]);
  return { sessionId, token, expiresAt };
}

export interface Authenticated {
  principal: Principal;
  sessionId: string;
}

/** Resolves a bearer token to its principal, or null if unknown, expired or revoked. */
export async function authenticateToken(db: Db, token: string): Promise<Authenticated | null> {
  if (!token.startsWith(SESSION_TOKEN_PREFIX) || token.length > 100) return null;
  const res = await db.query<{ id: string; user_id: string }>(
    `UPDATE sessions s SET last_seen_at = now()
     FROM users u
     WHERE s.token_hash = $1 AND u.id = s.user_id AND s.revoked_at IS NULL
       AND s.expires_at > now() AND s.created_at >= u.not_valid_before
     RETURNING s.id, s.user_id`,
    [hashToken(token)],
  );
  const row = res.rows[0];
  if (!row) return null;
  const principal = await loadPrincipal(db, row.user_id);
  return principal ? { principal, sessionId: row.id } : null;
}

export async function revokeSession(db: Db, sessionId: string): Promise<void> {
  await db.query('UPDATE sessions SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [sessionId]);
  await db.query("SELECT pg_notify('fleetsync_changes', $1)", [JSON.stringify({ t: 'revoke', sid: sessionId })]);
}

/** Still valid? Used by live streams to re-check their session periodically. */
export async function sessionIsLive(db: Db, sessionId: string): Promise<boolean> {
  const res = await db.query(
    `SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > now() AND s.created_at >= u.not_valid_before AND NOT u.disabled`,
    [sessionId],
  );
  return (res.rowCount ?? 0) > 0;
}
