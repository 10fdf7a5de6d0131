/**
 * Short-lived access tokens: `fsa.<payload>.<hmac>`, payload `{ sid, sub, iat, exp }`.
 * The signature is checked before any database lookup, so forged tokens cost nothing;
 * the session row is still checked on every request, so revocation is immediate.
 */
import { hmac, safeEqual } from '../security/crypto.js';

export const ACCESS_PREFIX = 'fsa.';

export interface AccessClaims {
  sid: string;
  sub: string;
  iat: number;
  exp: number;
}

export function signAccessToken(key: Buffer, claims: AccessClaims): string {
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${ACCESS_PREFIX}${payload}.${hmac(key, payload).toString('base64url')}`;
}

export type AccessCheck = { ok: true; claims: AccessClaims } | { ok: false; reason: 'malformed' | 'expired' };

export function verifyAccessToken(key: Buffer, token: string, nowSeconds = Date.now() / 1000): AccessCheck {
  if (!token.startsWith(ACCESS_PREFIX) || token.length > 600) return { ok: false, reason: 'malformed' };
  const [payload, sig] = token.slice(ACCESS_PREFIX.length).split('.');
  if (!payload || !sig || !safeEqual(hmac(key, payload), Buffer.from(sig, 'base64url')))
    return { ok: false, reason: 'malformed' };
  let claims: AccessClaims;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as AccessClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
