/** Sign-in (password, then TOTP when enabled), refresh with rotation, sign-out, password change. */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { checkPassword, ErrorCode } from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { assertCsrf, clearSessionCookies, readCookies, REFRESH_COOKIE, setSessionCookies } from '../http/cookies.js';
import { auditFromRequest } from '../audit/auditRequest.js';
import { findUserByEmail, setPasswordHash } from '../identity/identityRepo.js';
import { hmac, safeEqual } from '../security/crypto.js';
import { assertUnderLimit, consume, hit, type Limit } from '../security/throttle.js';
import { authOf, requireAuth, sessionOf } from './middleware.js';
import { checkTotp, mfaEnabled, mfaRequiredFor, useBackupCode } from './mfa.js';
import { hashPassword, verifyPassword } from './passwords.js';
import {
  createSession,
  revokeSession,
  revokeUserSessions,
  rotateRefreshToken,
  type IssuedTokens,
  type SessionPolicy,
} from './sessions.js';
import type { AuthDeps } from './authenticate.js';

const loginSchema = z.object({ email: z.string().min(3).max(254), password: z.string().min(1).max(1024) });
const verifySchema = z.object({
  mfaToken: z.string().max(500),
  code: z.string().max(20).optional(),
  backupCode: z.string().max(30).optional(),
});
const passwordSchema = z.object({ currentPassword: z.string().min(1).max(1024), newPassword: z.string().max(1024) });

const WINDOW = 15 * 60;
const loginLimits = (email: string, ip: string): Limit[] => [
  { key: `login:acct:${email.toLowerCase()}`, max: 10, windowSeconds: WINDOW },
  { key: `login:ip:${ip}`, max: 50, windowSeconds: WINDOW },
];
const mfaLimits = (userId: string, ip: string): Limit[] => [
  { key: `mfa:acct:${userId}`, max: 5, windowSeconds: WINDOW },
  { key: `mfa:ip:${ip}`, max: 30, windowSeconds: WINDOW },
];

/** A short-lived, signed proof that the password step passed: `fsm.<payload>.<sig>`. */
function signMfaChallenge(key: Buffer, userId: string): string {
  const payload = Buffer.from(JSON.stringify({ sub: userId, exp: Math.floor(Date.now() / 1000) + 300, p: 'mfa' })).toString(
    'base64url',
  );
  return `fsm.${payload}.${hmac(key, `mfa:${payload}`).toString('base64url')}`;
}
function readMfaChallenge(key: Buffer, token: string): string | null {
  const [prefix, payload, sig] = token.split('.');
  if (prefix !== 'fsm' || !payload || !sig || !safeEqual(hmac(key, `mfa:${payload}`), Buffer.from(sig, 'base64url'))) return null;
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { sub: string; exp: number; p: string };
  return claims.p === 'mfa' && claims.exp > Date.now() / 1000 ? claims.sub : null;
}

// A valid argon2id hash of a random string, used to equalise timing for unknown emails.
const DUMMY_HASH = await hashPassword('unused-timing-equaliser-Aa1');

export function createAuthRouter(deps: AuthDeps & { policy: SessionPolicy }): Router {
  const { db, policy } = deps;
  const router = Router();

  async function startSession(req: Request, res: Response, user: { id: string; email: string; display_name: string }) {
    const mfaSetupRequired = !(await mfaEnabled(db, user.id)) && (await mfaRequiredFor(db, user.id));
    const tokens: IssuedTokens = await createSession(db, policy, user.id, {
      ip: req.ip,
      userAgent: req.get('user-agent'),
      mfaSetupRequired,
    });
    setSessionCookies(req, res, tokens.refreshToken, policy.absoluteSeconds);
    await auditFromRequest(db, req, {
      actorId: user.id,
      actorLabel: user.email,
      action: 'auth.login',
      target: `session:${tokens.sessionId}`,
    });
    res.json({
      accessToken: tokens.accessToken,
      token: tokens.accessToken,
      accessExpiresAt: tokens.accessExpiresAt,
      sessionId: tokens.sessionId,
      mfaSetupRequired,
      user: { id: user.id, email: user.email, displayName: user.display_name },
    });
  }

  router.post('/api/auth/login', async (req, res) => {
    const body = parseBody(loginSchema, req.body);
    const limits = loginLimits(body.email, req.ip ?? '');
    await assertUnderLimit(db, limits);
    const user = await findUserByEmail(db, body.email);
    const ok = await verifyPassword(user?.password_hash ?? DUMMY_HASH, body.password);
    if (!user || !ok || user.disabled) {
      await hit(db, limits);
      await auditFromRequest(db, req, {
        actorId: user?.id ?? null,
        actorLabel: body.email.toLowerCase(),
        action: 'auth.login_failed',
      });
      throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'email or password is wrong');
    }
    if (await mfaEnabled(db, user.id)) {
      res.json({ mfaRequired: true, mfaToken: signMfaChallenge(policy.keys.signing, user.id) });
      return;
    }
    await startSession(req, res, user);
  });

  router.post('/api/auth/mfa/verify', async (req, res) => {
    const body = parseBody(verifySchema, req.body);
    const userId = readMfaChallenge(policy.keys.signing, body.mfaToken);
    if (!userId) throw new AppError(ErrorCode.UNAUTHENTICATED, 'the sign-in step has expired; enter your password again');
    const limits = mfaLimits(userId, req.ip ?? '');
    await assertUnderLimit(db, limits);
    const ok = body.code
      ? await checkTotp(db, policy.keys.encryption, userId, body.code)
      : body.backupCode
        ? await useBackupCode(db, userId, body.backupCode)
        : false;
    const user = (
      await db.query<{ id: string; email: string; display_name: string }>(
        'SELECT id, email, display_name FROM users WHERE id = $1',
        [userId],
      )
    ).rows[0];
    if (!ok || !user) {
      await hit(db, limits);
      await auditFromRequest(db, req, {
        actorId: userId,
        actorLabel: user?.email,
        action: 'auth.mfa_failed',
        details: { method: body.code ? 'totp' : 'backup' },
      });
      throw new AppError(ErrorCode.MFA_INVALID, 'the code is wrong, expired or already used');
    }
    if (body.backupCode)
      await auditFromRequest(db, req, { actorId: userId, actorLabel: user.email, action: 'auth.backup_code_used' });
    await startSession(req, res, user);
  });

  router.post('/api/auth/refresh', async (req, res) => {
    const refresh = readCookies(req)[REFRESH_COOKIE];
    if (!refresh) throw new AppError(ErrorCode.UNAUTHENTICATED, 'no refresh token');
    assertCsrf(req);
    try {
      const tokens = await rotateRefreshToken(db, policy, refresh);
      setSessionCookies(req, res, tokens.refreshToken, policy.absoluteSeconds);
      res.json({
        accessToken: tokens.accessToken,
        token: tokens.accessToken,
        accessExpiresAt: tokens.accessExpiresAt,
        sessionId: tokens.sessionId,
      });
    } catch (err) {
      if (err instanceof AppError && err.code === ErrorCode.REFRESH_REUSED) {
        const d = err.details as { sessionId: string; userId: string };
        await auditFromRequest(db, req, {
          actorId: d.userId,
          action: 'auth.refresh_reuse_detected',
          target: `session:${d.sessionId}`,
        });
        clearSessionCookies(res);
      }
      throw err;
    }
  });

  router.post('/api/auth/logout', requireAuth(deps), async (req, res) => {
    const auth = sessionOf(req);
    await revokeSession(db, auth.sessionId, 'signed-out');
    await auditFromRequest(db, req, { action: 'auth.logout', target: `session:${auth.sessionId}` });
    clearSessionCookies(res);
    res.status(204).end();
  });

  router.post('/api/auth/password', requireAuth(deps), async (req, res) => {
    const auth = sessionOf(req);
    const body = parseBody(passwordSchema, req.body);
    await consume(db, [{ key: `password:${auth.principal.userId}`, max: 10, windowSeconds: 3600 }]);
    const user = (
      await db.query<{ email: string; password_hash: string }>('SELECT email, password_hash FROM users WHERE id = $1', [
        auth.principal.userId,
      ])
    ).rows[0]!;
    if (!(await verifyPassword(user.password_hash, body.currentPassword)))
      throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'the current password is wrong');
    const check = checkPassword(body.newPassword, { email: user.email });
    if (!check.ok)
      throw new AppError(ErrorCode.PASSWORD_POLICY, 'the new password does not meet the password policy', {
        problems: check.problems,
      });
    await setPasswordHash(db, auth.principal.userId, await hashPassword(body.newPassword));
    const others = await revokeUserSessions(db, auth.principal.userId, 'password-changed', auth.sessionId);
    await auditFromRequest(db, req, { action: 'auth.password_changed', details: { otherSessionsSignedOut: others } });
    res.json({ otherSessionsSignedOut: others });
  });

  router.get('/api/me', requireAuth(deps), async (req, res) => {
    const { principal, sessionId, mfaSetupRequired } = authOf(req);
    const orgs = await db.query<{ id: string; name: string; slug: string; suspended: boolean }>(
      'SELECT id, name, slug, suspended_at IS NOT NULL AS suspended FROM orgs WHERE id = ANY($1::uuid[]) ORDER BY name',
      [Object.keys(principal.memberships)],
    );
    const user = (
      await db.query<{ email: string; display_name: string }>('SELECT email, display_name FROM users WHERE id = $1', [
        principal.userId,
      ])
    ).rows[0];
    res.json({
      user: { id: principal.userId, email: user?.email, displayName: user?.display_name },
      sessionId: sessionId ?? null,
      platformRole: principal.platformRole ?? null,
      mfaEnabled: await mfaEnabled(db, principal.userId),
      mfaSetupRequired,
      orgs: orgs.rows.map((o) => ({ ...o, role: principal.memberships[o.id] })),
    });
  });

  return router;
}

export type { Db };
