/** TOTP enrolment, removal (needs a current code) and the audited admin override. */
import { Router } from 'express';
import { z } from 'zod';
import { canPlatform, ErrorCode } from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { assertUnderLimit, hit } from '../security/throttle.js';
import type { AuthDeps } from './authenticate.js';
import { authOf, requireAuth, sessionOf } from './middleware.js';
import { beginSetup, checkTotp, confirmSetup, disableMfa, mfaEnabled, useBackupCode } from './mfa.js';
import { revokeUserSessions } from './sessions.js';

const codeSchema = z.object({ code: z.string().max(20).optional(), backupCode: z.string().max(30).optional() });

export function createMfaRouter(deps: AuthDeps): Router {
  const { db, policy } = deps;
  const key = policy.keys.encryption;
  const router = Router();
  const auth = requireAuth(deps);
  const limits = (userId: string) => [{ key: `mfa:acct:${userId}`, max: 5, windowSeconds: 900 }];

  router.post('/api/auth/mfa/setup', auth, async (req, res) => {
    const me = sessionOf(req);
    const email = (await db.query<{ email: string }>('SELECT email FROM users WHERE id = $1', [me.principal.userId])).rows[0]!
      .email;
    const setup = await beginSetup(db, key, me.principal.userId, email);
    if (!setup) throw new AppError(ErrorCode.CONFLICT, 'two-factor authentication is already on; turn it off first');
    res.json(setup);
  });

  router.post('/api/auth/mfa/confirm', auth, async (req, res) => {
    const me = sessionOf(req);
    const { code } = parseBody(z.object({ code: z.string().max(20) }), req.body);
    await assertUnderLimit(db, limits(me.principal.userId));
    const backupCodes = await confirmSetup(db, key, me.principal.userId, code);
    if (!backupCodes) {
      await hit(db, limits(me.principal.userId));
      throw new AppError(ErrorCode.MFA_INVALID, 'the code is wrong or expired; check the clock on your device');
    }
    // Other sessions end when a factor changes (ASVS 7.4.3).
    await revokeUserSessions(db, me.principal.userId, 'mfa-enabled', me.sessionId);
    await auditFromRequest(db, req, { action: 'auth.mfa_enabled' });
    res.json({ enabled: true, backupCodes });
  });

  router.delete('/api/auth/mfa', auth, async (req, res) => {
    const me = sessionOf(req);
    const body = parseBody(codeSchema, req.body ?? {});
    await assertUnderLimit(db, limits(me.principal.userId));
    const ok = body.code
      ? await checkTotp(db, key, me.principal.userId, body.code)
      : body.backupCode
        ? await useBackupCode(db, me.principal.userId, body.backupCode)
        : false;
    if (!ok) {
      await hit(db, limits(me.principal.userId));
      throw new AppError(ErrorCode.MFA_INVALID, 'turning two-factor authentication off needs a current code');
    }
    await disableMfa(db, me.principal.userId);
    await revokeUserSessions(db, me.principal.userId, 'mfa-disabled', me.sessionId);
    await auditFromRequest(db, req, { action: 'auth.mfa_disabled' });
    res.status(204).end();
  });

  router.delete('/api/admin/users/:id/mfa', auth, async (req, res) => {
    if (!canPlatform(authOf(req).principal, 'platform.users'))
      throw new AppError(ErrorCode.FORBIDDEN, 'platform administrators only');
    const target = String(req.params.id);
    if (!(await mfaEnabled(db, target))) throw new AppError(ErrorCode.NOT_FOUND, 'that user has no two-factor authentication');
    await disableMfa(db, target);
    await revokeUserSessions(db, target, 'mfa-reset-by-admin');
    await auditFromRequest(db, req, { action: 'admin.mfa_override', target: `user:${target}` });
    res.status(204).end();
  });

  return router;
}
