/** A user's own sessions ("sign out everywhere") and the admins' view with force sign-out. */
import { Router } from 'express';
import { canPlatform, ErrorCode } from '@fleetsync/shared';
import { auditFromRequest } from '../audit/auditRequest.js';
import { AppError } from '../http/errors.js';
import type { AuthDeps } from './authenticate.js';
import { authOf, requireAuth, sessionOf } from './middleware.js';
import { revokeSession, revokeUserSessions } from './sessions.js';

interface SessionRow {
  id: string;
  user_id: string;
  email: string;
  created_at: Date;
  last_seen_at: Date;
  ip: string | null;
  user_agent: string | null;
}

/** A readable device name from a user agent ("Chrome on Android"). */
export function deviceName(ua: string | null): string {
  if (!ua) return 'Unknown device';
  const browser = /Edg\//.test(ua)
    ? 'Edge'
    : /Chrome\//.test(ua)
      ? 'Chrome'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /Safari\//.test(ua)
          ? 'Safari'
          : /node|undici/i.test(ua)
            ? 'Script'
            : 'Browser';
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X/.test(ua)
          ? 'macOS'
          : /Linux/.test(ua)
            ? 'Linux'
            : '';
  return os ? `${browser} on ${os}` : browser;
}

const LIVE = 's.revoked_at IS NULL AND s.idle_expires_at > now() AND s.absolute_expires_at > now()';
const view = (r: SessionRow, current?: string) => ({
  id: r.id,
  userId: r.user_id,
  email: r.email,
  device: deviceName(r.user_agent),
  ip: r.ip,
  userAgent: r.user_agent,
  createdAt: r.created_at.toISOString(),
  lastSeenAt: r.last_seen_at.toISOString(),
  current: r.id === current,
});

export function createSessionsRouter(deps: AuthDeps): Router {
  const { db } = deps;
  const router = Router();
  const auth = requireAuth(deps);

  router.get('/api/sessions', auth, async (req, res) => {
    const me = sessionOf(req);
    const rows = await db.query<SessionRow>(
      `SELECT s.*, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.user_id = $1 AND ${LIVE} ORDER BY s.last_seen_at DESC`,
      [me.principal.userId],
    );
    res.json({ sessions: rows.rows.map((r) => view(r, me.sessionId)) });
  });

  router.delete('/api/sessions/:id', auth, async (req, res) => {
    const me = sessionOf(req);
    const owned = await db.query('SELECT 1 FROM sessions WHERE id::text = $1 AND user_id = $2', [
      req.params.id,
      me.principal.userId,
    ]);
    if ((owned.rowCount ?? 0) === 0) throw new AppError(ErrorCode.NOT_FOUND, 'no such session');
    await revokeSession(db, String(req.params.id), 'signed-out-by-user');
    await auditFromRequest(db, req, { action: 'session.revoked', target: `session:${req.params.id}` });
    res.status(204).end();
  });

  router.delete('/api/sessions', auth, async (req, res) => {
    const me = sessionOf(req);
    const n = await revokeUserSessions(db, me.principal.userId, 'sign-out-everywhere', me.sessionId);
    await auditFromRequest(db, req, { action: 'session.sign_out_everywhere', details: { revoked: n } });
    res.json({ revoked: n });
  });

  router.get('/api/admin/sessions', auth, async (req, res) => {
    if (!canPlatform(authOf(req).principal, 'platform.sessions'))
      throw new AppError(ErrorCode.FORBIDDEN, 'platform administrators only');
    const rows = await db.query<SessionRow>(
      `SELECT s.*, u.email FROM sessions s JOIN users u ON u.id = s.user_id WHERE ${LIVE} ORDER BY s.last_seen_at DESC LIMIT 500`,
    );
    res.json({ sessions: rows.rows.map((r) => view(r, authOf(req).sessionId)) });
  });

  router.delete('/api/admin/sessions/:id', auth, async (req, res) => {
    if (!canPlatform(authOf(req).principal, 'platform.sessions'))
      throw new AppError(ErrorCode.FORBIDDEN, 'platform administrators only');
    if (!(await revokeSession(db, String(req.params.id), 'forced-by-admin')))
      throw new AppError(ErrorCode.NOT_FOUND, 'no such live session');
    await auditFromRequest(db, req, { action: 'admin.session_forced_logout', target: `session:${req.params.id}` });
    res.status(204).end();
  });

  router.post('/api/admin/users/:id/sign-out', auth, async (req, res) => {
    if (!canPlatform(authOf(req).principal, 'platform.sessions'))
      throw new AppError(ErrorCode.FORBIDDEN, 'platform administrators only');
    const n = await revokeUserSessions(db, String(req.params.id), 'forced-by-admin');
    await auditFromRequest(db, req, {
      action: 'admin.user_signed_out',
      target: `user:${req.params.id}`,
      details: { revoked: n },
    });
    res.json({ revoked: n });
  });

  return router;
}
