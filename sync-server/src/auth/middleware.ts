import type { Request, RequestHandler } from 'express';
import { ErrorCode } from '@fleetsync/shared';
import { AppError } from '../http/errors.js';
import { audit } from '../audit/auditLog.js';
import { authenticate, type AuthDeps, type Authenticated } from './authenticate.js';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: Authenticated;
  }
}

/** Credentials come from headers only (SPEC S-A2): `Authorization: Bearer` or `X-API-Key`. */
export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : null;
}

/** Routes a session that still has to set up MFA may use. */
const MFA_SETUP_ROUTES = new Set(['/api/me', '/api/auth/mfa/setup', '/api/auth/mfa/confirm', '/api/auth/logout']);

/** Every route behind this has an authenticated principal, checked before anything else runs. */
export function requireAuth(deps: AuthDeps): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req);
    if (!token) throw new AppError(ErrorCode.UNAUTHENTICATED, 'sign in first: no bearer token');
    const auth = await authenticate(deps, token, req.ip ?? '');
    if (auth.mfaSetupRequired && !MFA_SETUP_ROUTES.has(req.path)) {
      throw new AppError(ErrorCode.MFA_SETUP_REQUIRED, 'your organization requires two-factor authentication: set it up first');
    }
    req.auth = auth;
    // Platform support reads into orgs; every such access is audited.
    if (auth.principal.platformRole === 'support') {
      await audit(deps.db, {
        actorId: auth.principal.userId,
        action: 'support.access',
        target: `${req.method} ${req.originalUrl}`.slice(0, 200),
        ip: req.ip ?? null,
        userAgent: req.get('user-agent') ?? null,
      });
    }
    next();
  };
}

export function authOf(req: Request): Authenticated {
  if (!req.auth) throw new AppError(ErrorCode.UNAUTHENTICATED, 'not authenticated');
  return req.auth;
}

/** Interactive sessions only: API tokens cannot manage sessions, tokens or MFA. */
export function sessionOf(req: Request): Authenticated & { sessionId: string } {
  const auth = authOf(req);
  if (auth.kind !== 'session' || !auth.sessionId)
    throw new AppError(ErrorCode.FORBIDDEN, 'this needs a signed-in session, not an API token');
  return auth as Authenticated & { sessionId: string };
}
