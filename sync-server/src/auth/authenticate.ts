/**
 * Turns a credential into a principal. Access tokens (sessions) and API tokens both end here;
 * the principal carries the user's *current* memberships, narrowed by token scopes and org,
 * minus orgs whose IP allowlist refuses this address. Nothing else in a request is read first.
 */
import { ErrorCode, type Principal, type TokenScope } from '@fleetsync/shared';
import type { Db } from '../db/pool.js';
import { AppError } from '../http/errors.js';
import { loadPrincipal } from '../identity/principals.js';
import { orgsBlockingIp } from '../security/ipAllowlist.js';
import { ACCESS_PREFIX, verifyAccessToken } from './accessTokens.js';
import { API_TOKEN_PREFIX } from './apiTokenFormat.js';
import { lookupApiToken, type TokenRecord } from './apiTokens.js';
import { checkSession, type SessionPolicy } from './sessions.js';

export interface Authenticated {
  principal: Principal;
  kind: 'session' | 'token';
  sessionId?: string;
  tokenId?: string;
  /** Unix seconds after which a long-lived connection must re-authenticate. */
  validUntil: number;
  mfaSetupRequired: boolean;
}

export interface AuthDeps {
  db: Db;
  policy: SessionPolicy;
}

const unauthenticated = (message: string, code: ErrorCode = ErrorCode.UNAUTHENTICATED) => new AppError(code, message);

export async function authenticate(deps: AuthDeps, token: string, ip: string): Promise<Authenticated> {
  const { db, policy } = deps;
  let auth: Authenticated;
  if (token.startsWith(ACCESS_PREFIX)) {
    const check = verifyAccessToken(policy.keys.signing, token);
    if (!check.ok) {
      throw check.reason === 'expired'
        ? unauthenticated('the access token has expired; refresh it', ErrorCode.TOKEN_EXPIRED)
        : unauthenticated('the access token is not valid', ErrorCode.TOKEN_MALFORMED);
    }
    const session = await checkSession(db, policy, check.claims.sid, check.claims.iat);
    if (!session || !session.live || session.userId !== check.claims.sub) {
      throw unauthenticated('this session has ended (signed out, revoked or expired)', ErrorCode.SESSION_REVOKED);
    }
    const principal = await loadPrincipal(db, session.userId);
    if (!principal) throw unauthenticated('the account is disabled');
    auth = {
      principal,
      kind: 'session',
      sessionId: check.claims.sid,
      validUntil: check.claims.exp,
      mfaSetupRequired: session.mfaSetupRequired,
    };
  } else if (token.startsWith(API_TOKEN_PREFIX)) {
    const found = await lookupApiToken(db, token);
    if (!found.ok) throw unauthenticated(found.message, found.code);
    auth = await authFromTokenRecord(db, found.record);
  } else {
    throw unauthenticated('unrecognised credential', ErrorCode.TOKEN_MALFORMED);
  }
  return applyIpAllowlists(db, auth, ip);
}

/** Orgs whose IP allowlist refuses this address drop out of the principal. */
export async function applyIpAllowlists(db: Db, auth: Authenticated, ip: string): Promise<Authenticated> {
  const blocked = await orgsBlockingIp(db, Object.keys(auth.principal.memberships), ip, auth.kind === 'token');
  if (blocked.size > 0) {
    auth.principal = {
      ...auth.principal,
      memberships: Object.fromEntries(Object.entries(auth.principal.memberships).filter(([org]) => !blocked.has(org))),
    };
  }
  return auth;
}

/** The principal of an API token: the owner's current rights narrowed by scopes and org. */
export async function authFromTokenRecord(db: Db, record: TokenRecord): Promise<Authenticated> {
  const base = await loadPrincipal(db, record.userId);
  if (!base) throw unauthenticated('the token owner is disabled');
  const memberships = record.orgId
    ? Object.fromEntries(Object.entries(base.memberships).filter(([org]) => org === record.orgId))
    : base.memberships;
  const principal: Principal = {
    userId: base.userId,
    memberships,
    // Platform rights only ever reach a token that carries the admin scope.
    platformRole: record.scopes.includes('admin' as TokenScope) ? base.platformRole : null,
    scopes: record.scopes,
    ...(record.bridgeId ? { bridgeId: record.bridgeId } : {}),
  };
  return {
    principal,
    kind: 'token',
    tokenId: record.id,
    validUntil: Math.floor(new Date(record.expiresAt).getTime() / 1000),
    mfaSetupRequired: false,
  };
}

/** The principal behind a session id, if the session is still live. */
export async function authFromSession(deps: AuthDeps, sessionId: string, issuedAt: number): Promise<Authenticated | null> {
  const session = await checkSession(deps.db, deps.policy, sessionId, issuedAt);
  if (!session?.live) return null;
  const principal = await loadPrincipal(deps.db, session.userId);
  if (!principal) return null;
  return {
    principal,
    kind: 'session',
    sessionId,
    validUntil: issuedAt + deps.policy.accessTtlSeconds,
    mfaSetupRequired: session.mfaSetupRequired,
  };
}
