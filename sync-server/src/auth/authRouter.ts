import { Router } from 'express';
import { z } from 'zod';
import { ErrorCode } from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { AppError } from '../http/errors.js';
import { parseBody } from '../http/validate.js';
import { findUserByEmail } from '../identity/identityRepo.js';
import { authOf, requireAuth } from './middleware.js';
import { verifyPassword } from './passwords.js';
import { createSession, revokeSession } from './sessions.js';

const loginSchema = z.object({ email: z.string().min(3).max(254), password: z.string().min(1).max(1024) });

export function createAuthRouter(deps: { db: Db; sessionTtlSeconds: number }): Router {
  const { db } = deps;
  const router = Router();

  router.post('/api/auth/login', async (req, res) => {
    const body = parseBody(loginSchema, req.body);
    const user = await findUserByEmail(db, body.email);
    // Verify even for unknown users so timing does not reveal which emails exist.
    const ok = user ? await verifyPassword(user.password_hash, body.password) : await verifyPassword(DUMMY_HASH, body.password);
    if (!user || !ok || user.disabled) throw new AppError(ErrorCode.INVALID_CREDENTIALS, 'email or password is wrong');
    const session = await createSession(db, user.id, {
      ttlSeconds: deps.sessionTtlSeconds,
      ip: req.ip,
      userAgent: req.get('user-agent'),
    });
    res.json({
      token: session.token,
      sessionId: session.sessionId,
      expiresAt: session.expiresAt.toISOString(),
      user: { id: user.id, email: user.email, displayName: user.display_name },
    });
  });

  router.post('/api/auth/logout', requireAuth(db), async (req, res) => {
    await revokeSession(db, authOf(req).sessionId);
    res.status(204).end();
  });

  router.get('/api/me', requireAuth(db), async (req, res) => {
    const { principal, sessionId } = authOf(req);
    const orgs = await db.query<{ id: string; name: string; slug: string; suspended: boolean }>(
      'SELECT id, name, slug, suspended_at IS NOT NULL AS suspended FROM orgs WHERE id = ANY($1::uuid[]) ORDER BY name',
      [Object.keys(principal.memberships)],
    );
    const user = await db.query<{ email: string; display_name: string }>('SELECT email, display_name FROM users WHERE id = $1', [
      principal.userId,
    ]);
    res.json({
      user: { id: principal.userId, email: user.rows[0]?.email, displayName: user.rows[0]?.display_name },
      sessionId,
      platformRole: principal.platformRole ?? null,
      orgs: orgs.rows.map((o) => ({ ...o, role: principal.memberships[o.id] })),
    });
  });

  return router;
}

// A valid argon2id hash of a random string, used to equalise timing for unknown emails.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0r2Rj5VwS8ZqKzvQ1s6XG0h2mXq3m3m7yYb3E3xqQ3c';
