/**
 * Refresh-token cookie (httpOnly, SameSite=Strict, Path=/api/auth, Secure under TLS) and the
 * CSRF double-submit cookie: cookie-authenticated state changes must echo `fs_csrf` in the
 * `x-csrf-token` header, which a cross-site page cannot read.
 */
import type { Request, Response } from 'express';
import { ErrorCode } from '@fleetsync/shared';
import { AppError } from './errors.js';
import { randomToken, safeEqual } from '../security/crypto.js';

export const REFRESH_COOKIE = 'fs_refresh';
export const CSRF_COOKIE = 'fs_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function readCookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0) out[part.slice(0, i).trim()] = decodeURIComponent(part.slice(i + 1).trim());
  }
  return out;
}

export function setSessionCookies(req: Request, res: Response, refreshToken: string, maxAgeSeconds: number): string {
  const secure = req.secure;
  const csrf = randomToken(18);
  res.cookie(REFRESH_COOKIE, refreshToken, {
    httpOnly: true,
    sameSite: 'strict',
    secure,
    path: '/api/auth',
    maxAge: maxAgeSeconds * 1000,
  });
  res.cookie(CSRF_COOKIE, csrf, { httpOnly: false, sameSite: 'strict', secure, path: '/', maxAge: maxAgeSeconds * 1000 });
  return csrf;
}

export function clearSessionCookies(res: Response): void {
  res.clearCookie(REFRESH_COOKIE, { path: '/api/auth' });
  res.clearCookie(CSRF_COOKIE, { path: '/' });
}

export function assertCsrf(req: Request): void {
  const cookie = readCookies(req)[CSRF_COOKIE];
  const header = req.get(CSRF_HEADER);
  if (!cookie || !header || !safeEqual(Buffer.from(cookie), Buffer.from(header))) {
    throw new AppError(ErrorCode.CSRF_FAILED, 'missing or wrong CSRF token for a cookie-authenticated request');
  }
}
