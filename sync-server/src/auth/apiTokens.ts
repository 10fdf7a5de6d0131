/** Scoped API tokens: created with a name, scopes and an expiry; stored as SHA-256; shown once. */
import { ErrorCode, newId, TOKEN_SCOPES, type TokenScope } from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { AppError } from '../http/errors.js';
import { sha256Hex } from '../security/crypto.js';
import { apiTokenWellFormed, newApiToken } from './apiTokenFormat.js';

export const MAX_TOKEN_DAYS = 365;

export interface TokenRecord {
  id: string;
  userId: string;
  name: string;
  scopes: TokenScope[];
  orgId: string | null;
  bridgeId: string | null;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  lastEight: string;
}

export async function createApiToken(
  db: Db,
  input: {
    userId: string;
    name: string;
    scopes: TokenScope[];
    expiresInDays: number;
    orgId?: string | null;
    bridgeId?: string | null;
  },
): Promise<{ token: string; record: TokenRecord }> {
  if (input.expiresInDays < 1 || input.expiresInDays > MAX_TOKEN_DAYS) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, `a token expires after 1 to ${MAX_TOKEN_DAYS} days`);
  }
  if (input.scopes.some((s) => !TOKEN_SCOPES.includes(s))) throw new AppError(ErrorCode.VALIDATION_FAILED, 'unknown scope');
  if (input.scopes.includes('bridge') && (!input.orgId || !input.bridgeId)) {
    throw new AppError(ErrorCode.VALIDATION_FAILED, 'a bridge token is bound to one organization and one bridge id');
  }
  const token = newApiToken();
  const id = newId();
  const res = await db.query<{ created_at: Date; expires_at: Date }>(
    `INSERT INTO api_tokens (id, user_id, name, token_hash, last_eight, scopes, org_id, bridge_id, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(days => $9)) RETURNING created_at, expires_at`,
    [
      id,
      input.userId,
      input.name,
      sha256Hex(token),
      token.slice(-8),
      input.scopes,
      input.orgId ?? null,
      input.bridgeId ?? null,
      input.expiresInDays,
    ],
  );
  const row = res.rows[0]!;
  return {
    token,
    record: {
      id,
      userId: input.userId,
      name: input.name,
      scopes: input.scopes,
      orgId: input.orgId ?? null,
      bridgeId: input.bridgeId ?? null,
      createdAt: row.created_at.toISOString(),
      expiresAt: row.expires_at.toISOString(),
      lastUsedAt: null,
      revokedAt: null,
      lastEight: token.slice(-8),
    },
  };
}

interface TokenRow {
  id: string;
  user_id: string;
  name: string;
  scopes: TokenScope[];
  org_id: string | null;
  bridge_id: string | null;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  last_eight: string;
}
const toRecord = (r: TokenRow): TokenRecord => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  scopes: r.scopes,
  orgId: r.org_id,
  bridgeId: r.bridge_id,
  createdAt: r.created_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
  lastEight: r.last_eight,
});

export async function listApiTokens(db: Db, userId: string): Promise<TokenRecord[]> {
  const res = await db.query<TokenRow>('SELECT * FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC', [userId]);
  return res.rows.map(toRecord);
}

export async function revokeApiToken(db: Db, userId: string, id: string): Promise<boolean> {
  const res = await db.query(
    'UPDATE api_tokens SET revoked_at = now() WHERE id::text = $1 AND user_id = $2 AND revoked_at IS NULL',
    [id, userId],
  );
  // Open live streams of this token close at once.
  await db.query("SELECT pg_notify('fleetsync_changes', $1)", [JSON.stringify({ t: 'revoke', tok: id })]);
  return (res.rowCount ?? 0) > 0;
}

export type TokenLookup = { ok: true; record: TokenRecord } | { ok: false; code: ErrorCode; message: string };

/** Malformed tokens are refused before any database lookup (checksum). */
export async function lookupApiToken(db: Db, token: string): Promise<TokenLookup> {
  if (!apiTokenWellFormed(token)) return { ok: false, code: ErrorCode.TOKEN_MALFORMED, message: 'the API token is malformed' };
  const res = await db.query<TokenRow & { disabled: boolean }>(
    'SELECT t.*, u.disabled FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1',
    [sha256Hex(token)],
  );
  const row = res.rows[0];
  if (!row || row.disabled) return { ok: false, code: ErrorCode.UNAUTHENTICATED, message: 'unknown API token' };
  if (row.revoked_at) return { ok: false, code: ErrorCode.UNAUTHENTICATED, message: 'this API token was revoked' };
  if (row.expires_at.getTime() <= Date.now())
    return { ok: false, code: ErrorCode.TOKEN_EXPIRED, message: 'this API token has expired' };
  // last_used_at: written at most once a minute.
  await db.query(
    "UPDATE api_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')",
    [row.id],
  );
  return { ok: true, record: toRecord(row) };
}

export async function liveTokenById(db: Db, id: string): Promise<TokenRecord | null> {
  const res = await db.query<TokenRow>(
    `SELECT t.* FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.id::text = $1 AND t.revoked_at IS NULL AND t.expires_at > now() AND NOT u.disabled`,
    [id],
  );
  return res.rows[0] ? toRecord(res.rows[0]) : null;
}
