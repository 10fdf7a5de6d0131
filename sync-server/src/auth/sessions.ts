/**
 * Sessions: a signed short-lived access token carrying the session id, plus a rotating
 * refresh token stored only as a hash. Presenting a refresh token that was already used
 * revokes the whole session (it was copied). Idle timeout slides; absolute lifetime does not.
 */
import { ErrorCode, newId } from '@fleetsync/shared';
import { withTransaction, type Db } from '../db/pool.js';
import { AppError } from '../http/errors.js';
import { randomToken, sha256Hex } from '../security/crypto.js';
import type { ServerKeys } from '../security/keys.js';
import { signAccessToken } from './accessTokens.js';
import { CHANGES_CHANNEL } from '../sync/documentStore.js';

export interface SessionPolicy {
  keys: ServerKeys;
  accessTtlSeconds: number;
  idleSeconds: number;
  absoluteSeconds: number;
}

export interface IssuedTokens {
  sessionId: string;
  accessToken: string;
  accessExpiresAt: string;
  refreshToken: string;
}

const REFRESH_PREFIX = 'fsr_';

function issueAccess(policy: SessionPolicy, sessionId: string, userId: string) {
  const iat = Math.floor(Date.now() / 1000);
  const exp = iat + policy.accessTtlSeconds;
  return {
    accessToken: signAccessToken(policy.keys.signing, { sid: sessionId, sub: userId, iat, exp }),
    accessExpiresAt: new Date(exp * 1000).toISOString(),
  };
}

export async function createSession(
  db: Db,
  policy: SessionPolicy,
  userId: string,
  meta: { ip?: string; userAgent?: string; mfaSetupRequired?: boolean },
): Promise<IssuedTokens> {
  const sessionId = newId();
  const refreshToken = REFRESH_PREFIX + randomToken();
  await withTransaction(db, async (c) => {
    await c.query(
      `INSERT INTO sessions (id, user_id, idle_expires_at, absolute_expires_at, ip, user_agent, mfa_setup_required)
       VALUES ($1, $2, now() + make_interval(secs => $3), now() + make_interval(secs => $4), $5, $6, $7)`,
      [
        sessionId,
        userId,
        policy.idleSeconds,
        policy.absoluteSeconds,
        meta.ip ?? null,
        meta.userAgent?.slice(0, 300) ?? null,
        meta.mfaSetupRequired ?? false,
      ],
    );
    await c.query('INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)', [sha256Hex(refreshToken), sessionId]);
  });
  return { sessionId, refreshToken, ...issueAccess(policy, sessionId, userId) };
}

/** Exchanges a refresh token for new tokens; a reused one revokes the session. */
export async function rotateRefreshToken(
  db: Db,
  policy: SessionPolicy,
  refreshToken: string,
): Promise<IssuedTokens & { userId: string }> {
  if (!refreshToken.startsWith(REFRESH_PREFIX)) throw new AppError(ErrorCode.UNAUTHENTICATED, 'not a refresh token');
  const outcome = await withTransaction(db, async (c) => {
    const found = await c.query<{ session_id: string; used_at: Date | null; user_id: string; live: boolean }>(
      `SELECT r.session_id, r.used_at, s.user_id,
              (s.revoked_at IS NULL AND s.idle_expires_at > now() AND s.absolute_expires_at > now()
               AND s.created_at >= u.not_valid_before AND NOT u.disabled) AS live
       FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id JOIN users u ON u.id = s.user_id
       WHERE r.token_hash = $1 FOR UPDATE OF r`,
      [sha256Hex(refreshToken)],
    );
    const row = found.rows[0];
    if (!row || !row.live) return { kind: 'invalid' as const };
    if (row.used_at) {
      await c.query("UPDATE sessions SET revoked_at = now(), revoked_reason = 'refresh-token-reuse' WHERE id = $1", [
        row.session_id,
      ]);
      return { kind: 'reused' as const, sessionId: row.session_id, userId: row.user_id };
    }
    const next = REFRESH_PREFIX + randomToken();
    await c.query('UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1', [sha256Hex(refreshToken)]);
    await c.query('INSERT INTO refresh_tokens (token_hash, session_id) VALUES ($1, $2)', [sha256Hex(next), row.session_id]);
    await c.query(
      'UPDATE sessions SET last_seen_at = now(), idle_expires_at = LEAST(absolute_expires_at, now() + make_interval(secs => $2)) WHERE id = $1',
      [row.session_id, policy.idleSeconds],
    );
    return { kind: 'ok' as const, sessionId: row.session_id, userId: row.user_id, refreshToken: next };
  });
  if (outcome.kind === 'invalid')
    throw new AppError(ErrorCode.UNAUTHENTICATED, 'the refresh token is unknown, expired or revoked');
  if (outcome.kind === 'reused') {
    await notifyRevoked(db, { sid: outcome.sessionId });
    throw new AppError(ErrorCode.REFRESH_REUSED, 'this refresh token was already used; the session has been signed out', {
      sessionId: outcome.sessionId,
      userId: outcome.userId,
    });
  }
  return {
    sessionId: outcome.sessionId,
    userId: outcome.userId,
    refreshToken: outcome.refreshToken,
    ...issueAccess(policy, outcome.sessionId, outcome.userId),
  };
}

async function notifyRevoked(db: Db, target: { sid?: string; u?: string }): Promise<void> {
  await db.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify({ t: 'revoke', ...target })]);
}

export async function revokeSession(db: Db, sessionId: string, reason: string): Promise<boolean> {
  const res = await db.query('UPDATE sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL', [
    sessionId,
    reason,
  ]);
  await notifyRevoked(db, { sid: sessionId });
  return (res.rowCount ?? 0) > 0;
}

/** Signs a user out everywhere (optionally but one session) and voids every access token already issued. */
export async function revokeUserSessions(db: Db, userId: string, reason: string, exceptSessionId?: string): Promise<number> {
  const res = await db.query(
    `UPDATE sessions SET revoked_at = now(), revoked_reason = $2
     WHERE user_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR id <> $3::uuid)`,
    [userId, reason, exceptSessionId ?? null],
  );
  if (!exceptSessionId) await db.query('UPDATE users SET not_valid_before = now() WHERE id = $1', [userId]);
  await notifyRevoked(db, { u: userId });
  return res.rowCount ?? 0;
}

export interface SessionState {
  userId: string;
  live: boolean;
  mfaSetupRequired: boolean;
}

/**
 * Checks the session behind an access token, sliding its idle window (written at most once a
 * minute so busy clients do not write on every request).
 */
export async function checkSession(
  db: Db,
  policy: SessionPolicy,
  sessionId: string,
  issuedAt: number,
): Promise<SessionState | null> {
  const res = await db.query<{ user_id: string; mfa_setup_required: boolean; live: boolean; stale: boolean }>(
    `SELECT s.user_id, s.mfa_setup_required,
            (s.revoked_at IS NULL AND s.idle_expires_at > now() AND s.absolute_expires_at > now() AND NOT u.disabled
             AND to_timestamp($2) >= date_trunc('second', u.not_valid_before)) AS live,
            s.last_seen_at < now() - interval '1 minute' AS stale
     FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
    [sessionId, issuedAt],
  );
  const row = res.rows[0];
  if (!row) return null;
  if (row.live && row.stale) {
    await db.query(
      'UPDATE sessions SET last_seen_at = now(), idle_expires_at = LEAST(absolute_expires_at, now() + make_interval(secs => $2)) WHERE id = $1',
      [sessionId, policy.idleSeconds],
    );
  }
  return { userId: row.user_id, live: row.live, mfaSetupRequired: row.mfa_setup_required };
}

export async function sessionIsLive(db: Db, sessionId: string): Promise<boolean> {
  const res = await db.query(
    `SELECT 1 FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id = $1 AND s.revoked_at IS NULL AND s.idle_expires_at > now() AND s.absolute_expires_at > now()
       AND s.created_at >= date_trunc('second', u.not_valid_before) AND NOT u.disabled`,
    [sessionId],
  );
  return (res.rowCount ?? 0) > 0;
}
