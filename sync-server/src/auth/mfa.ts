/**
 * TOTP (RFC 6238, otplib 13): secrets encrypted at rest, each time step accepted once
 * (replay refused), one step of clock tolerance, ten single-use backup codes stored hashed.
 */
import { randomBytes } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import type { Db } from '../db/pool.js';
import { decryptSecret, encryptSecret, sha256Hex } from '../security/crypto.js';

export const TOTP_ISSUER = 'Fleetsync';
const BACKUP_CODES = 10;

const aad = (userId: string) => `totp:${userId}`;

export async function mfaEnabled(db: Db, userId: string): Promise<boolean> {
  const res = await db.query('SELECT 1 FROM user_mfa WHERE user_id = $1 AND enabled_at IS NOT NULL', [userId]);
  return (res.rowCount ?? 0) > 0;
}

/** Starts (or restarts) enrolment; MFA is only on once `confirmSetup` accepts a first code. */
export async function beginSetup(db: Db, key: Buffer, userId: string, email: string) {
  if (await mfaEnabled(db, userId)) return null;
  const secret = generateSecret();
  await db.query(
    `INSERT INTO user_mfa (user_id, secret_enc) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET secret_enc = EXCLUDED.secret_enc, last_time_step = 0`,
    [userId, encryptSecret(key, secret, aad(userId))],
  );
  const otpauthUri = generateURI({ issuer: TOTP_ISSUER, label: email, secret });
  const qrDataUrl = await QRCode.toDataURL(otpauthUri, { errorCorrectionLevel: 'M', margin: 1, width: 240 });
  return { otpauthUri, qrDataUrl, secret };
}

/**
 * Checks a code against the stored secret. Malformed input (otplib throws on it) counts as
 * a wrong code. On success the time step is recorded so the same code cannot be used again.
 */
export async function checkTotp(db: Db, key: Buffer, userId: string, code: string, epochSeconds?: number): Promise<boolean> {
  const res = await db.query<{ secret_enc: string; last_time_step: number }>(
    'SELECT secret_enc, last_time_step FROM user_mfa WHERE user_id = $1',
    [userId],
  );
  const row = res.rows[0];
  if (!row) return false;
  const secret = decryptSecret(key, row.secret_enc, aad(userId));
  let result: { valid: boolean; timeStep?: number };
  try {
    result = await verify({
      secret,
      token: code.trim(),
      epochTolerance: 30,
      afterTimeStep: row.last_time_step,
      ...(epochSeconds !== undefined ? { epoch: epochSeconds } : {}),
    });
  } catch {
    return false;
  }
  if (!result.valid || result.timeStep === undefined) return false;
  // Compare-and-set: two concurrent requests with the same code cannot both win.
  const upd = await db.query('UPDATE user_mfa SET last_time_step = $2 WHERE user_id = $1 AND last_time_step < $2', [
    userId,
    result.timeStep,
  ]);
  return (upd.rowCount ?? 0) === 1;
}

function newBackupCode(): string {
  // 10 characters of base32 without look-alikes: ~50 bits, hashed; single use.
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(10);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 5)}-${chars.slice(5)}`;
}
const normaliseBackup = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();

export async function confirmSetup(db: Db, key: Buffer, userId: string, code: string): Promise<string[] | null> {
  const pending = await db.query('SELECT 1 FROM user_mfa WHERE user_id = $1 AND enabled_at IS NULL', [userId]);
  if ((pending.rowCount ?? 0) === 0) return null;
  if (!(await checkTotp(db, key, userId, code))) return null;
  const codes = Array.from({ length: BACKUP_CODES }, newBackupCode);
  await db.query('UPDATE user_mfa SET enabled_at = now() WHERE user_id = $1', [userId]);
  await db.query('DELETE FROM mfa_backup_codes WHERE user_id = $1', [userId]);
  for (const c of codes) {
    await db.query('INSERT INTO mfa_backup_codes (user_id, code_hash) VALUES ($1, $2)', [
      userId,
      sha256Hex(`${userId}:${normaliseBackup(c)}`),
    ]);
  }
  await db.query('UPDATE sessions SET mfa_setup_required = false WHERE user_id = $1', [userId]);
  return codes;
}

export async function useBackupCode(db: Db, userId: string, code: string): Promise<boolean> {
  const res = await db.query(
    'UPDATE mfa_backup_codes SET used_at = now() WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL',
    [userId, sha256Hex(`${userId}:${normaliseBackup(code)}`)],
  );
  return (res.rowCount ?? 0) === 1;
}

export async function disableMfa(db: Db, userId: string): Promise<void> {
  await db.query('DELETE FROM user_mfa WHERE user_id = $1', [userId]);
  await db.query('DELETE FROM mfa_backup_codes WHERE user_id = $1', [userId]);
}

/** Instance-wide or any of the user's orgs requires MFA. */
export async function mfaRequiredFor(db: Db, userId: string): Promise<boolean> {
  const res = await db.query(
    `SELECT 1 FROM security_settings s
     WHERE s.require_mfa AND (s.scope = 'instance' OR s.scope IN (SELECT org_id::text FROM memberships WHERE user_id = $1))`,
    [userId],
  );
  return (res.rowCount ?? 0) > 0;
}
