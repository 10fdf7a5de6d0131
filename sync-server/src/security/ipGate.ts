import type { RequestHandler } from 'express';
import { ErrorCode } from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { AppError } from '../http/errors.js';
import { bearerToken } from '../auth/middleware.js';
import { API_TOKEN_PREFIX } from '../auth/apiTokenFormat.js';
import { ipAllowed, loadAllowlist, type AllowlistSettings } from './ipAllowlist.js';

/**
 * The instance-wide allowlist, checked before anything else. Settings are cached for a
 * second per instance; `invalidate` drops the cache after a change made here.
 */
export function createIpGate(db: Db): { gate: RequestHandler; invalidate: () => void } {
  let cached: { at: number; settings: AllowlistSettings } | null = null;
  const gate: RequestHandler = async (req, _res, next) => {
    if (req.path === '/healthz' || req.path === '/readyz') return next();
    if (!cached || Date.now() - cached.at > 1000) cached = { at: Date.now(), settings: await loadAllowlist(db, 'instance') };
    const s = cached.settings;
    if (s.cidrs.length > 0) {
      const viaToken = bearerToken(req)?.startsWith(API_TOKEN_PREFIX) ?? false;
      if ((s.mode === 'all' || viaToken) && !ipAllowed(s, req.ip ?? '')) {
        throw new AppError(ErrorCode.IP_NOT_ALLOWED, `requests from ${req.ip} are not allowed on this server`);
      }
    }
    next();
  };
  return { gate, invalidate: () => (cached = null) };
}
