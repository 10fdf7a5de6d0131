import type { Request, RequestHandler } from 'express';
import { ErrorCode } from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { AppError } from '../http/errors.js';
import { authenticateToken, type Authenticated } from './sessions.js';

declare module 'express-serve-static-core' {
  interface Request {
    auth?: Authenticated;
  }
}

export function bearerToken(req: Request): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' ? apiKey.trim() : null;
}

/** Every route behind this has an authenticated principal, checked before anything else runs. */
export function requireAuth(db: Db): RequestHandler {
  return async (req, _res, next) => {
    const token = bearerToken(req);
    if (!token) throw new AppError(ErrorCode.UNAUTHENTICATED, 'sign in first: no bearer token');
    const auth = await authenticateToken(db, token);
    if (!auth) throw new AppError(ErrorCode.UNAUTHENTICATED, 'the token is unknown, expired or revoked');
    req.auth = auth;
    next();
  };
}

export function authOf(req: Request): Authenticated {
  if (!req.auth) throw new AppError(ErrorCode.UNAUTHENTICATED, 'not authenticated');
  return req.auth;
}
