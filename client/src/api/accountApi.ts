/** The signed-in user's own account: two-factor setup, password, sessions, API tokens. */
import { TOKEN_SCOPES, type TokenScope } from '@fleetsync/shared';
import type { AuthedApi } from '../session/authedApi.js';
import { badShape, isObject, listOf, str, strOrNull, strings, type Json } from './parse.js';

export interface MfaSetup {
  qrDataUrl: string;
  secret: string;
  otpauthUri: string;
}

export async function startMfaSetup(api: AuthedApi): Promise<MfaSetup> {
  const v = await api.json('/api/auth/mfa/setup', { method: 'POST', body: {} });
  if (!isObject(v) || !str(v.secret)) throw badShape('two-factor setup');
  return { qrDataUrl: str(v.qrDataUrl), secret: str(v.secret), otpauthUri: str(v.otpauthUri) };
}

/** Turns two-factor authentication on; answers the ten backup codes (shown once). */
export async function confirmMfa(api: AuthedApi, code: string): Promise<string[]> {
  const v = await api.json('/api/auth/mfa/confirm', { method: 'POST', body: { code: code.replace(/\s+/g, '') } });
  if (!isObject(v)) throw badShape('two-factor confirmation');
  return strings(v.backupCodes);
}

export async function disableMfa(api: AuthedApi, code: string): Promise<void> {
  await api.json('/api/auth/mfa', { method: 'DELETE', body: { code: code.replace(/\s+/g, '') } });
}

/** Answers how many other sessions the server signed out. */
export async function changePassword(api: AuthedApi, currentPassword: string, newPassword: string): Promise<number> {
  const v = await api.json('/api/auth/password', { method: 'POST', body: { currentPassword, newPassword } });
  return isObject(v) && typeof v.otherSessionsSignedOut === 'number' ? v.otherSessionsSignedOut : 0;
}

export interface SessionInfo {
  id: string;
  device: string;
  ip: string | null;
  createdAt: string;
  lastSeenAt: string;
  current: boolean;
}

export async function listSessions(api: AuthedApi): Promise<SessionInfo[]> {
  return listOf(await api.json('/api/sessions'), 'sessions', 'sessions').map((s) => ({
    id: str(s.id),
    device: str(s.device) || 'Unknown device',
    ip: strOrNull(s.ip),
    createdAt: str(s.createdAt),
    lastSeenAt: str(s.lastSeenAt),
    current: s.current === true,
  }));
}

export async function revokeSession(api: AuthedApi, id: string): Promise<void> {
  await api.json(`/api/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** Signs out every session but this one; answers how many. */
export async function revokeOtherSessions(api: AuthedApi): Promise<number> {
  const v = await api.json('/api/sessions', { method: 'DELETE' });
  return isObject(v) && typeof v.revoked === 'number' ? v.revoked : 0;
}

export interface ApiTokenInfo {
  id: string;
  name: string;
  scopes: TokenScope[];
  orgId: string | null;
  bridgeId: string | null;
  createdAt: string;
  expiresAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  lastEight: string;
}

const scopesOf = (v: unknown): TokenScope[] => strings(v).filter((s): s is TokenScope => TOKEN_SCOPES.includes(s as TokenScope));

function parseToken(t: Json): ApiTokenInfo {
  return {
    id: str(t.id),
    name: str(t.name),
    scopes: scopesOf(t.scopes),
    orgId: strOrNull(t.orgId),
    bridgeId: strOrNull(t.bridgeId),
    createdAt: str(t.createdAt),
    expiresAt: str(t.expiresAt),
    lastUsedAt: strOrNull(t.lastUsedAt),
    revokedAt: strOrNull(t.revokedAt),
    lastEight: str(t.lastEight),
  };
}

export async function listTokens(api: AuthedApi): Promise<ApiTokenInfo[]> {
  return listOf(await api.json('/api/tokens'), 'tokens', 'API tokens').map(parseToken);
}

export interface NewTokenInput {
  name: string;
  scopes: TokenScope[];
  expiresInDays: number;
  orgId?: string;
  bridgeId?: string;
}

/** The created token's record plus its secret, which the server never shows again. */
export async function createToken(api: AuthedApi, input: NewTokenInput): Promise<{ token: string; record: ApiTokenInfo }> {
  const v = await api.json('/api/tokens', { method: 'POST', body: input });
  if (!isObject(v) || !str(v.token)) throw badShape('new token');
  return { token: str(v.token), record: parseToken(v) };
}

export async function revokeToken(api: AuthedApi, id: string): Promise<void> {
  await api.json(`/api/tokens/${encodeURIComponent(id)}`, { method: 'DELETE' });
}
