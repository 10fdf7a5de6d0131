/** Shapes of the auth endpoints' answers, checked at the boundary instead of cast. */
import { ORG_ROLES, PLATFORM_ROLES, type OrgRole, type PlatformRole } from '@fleetsync/shared';
import { badShape, isObject, str } from './parse.js';

export interface UserInfo {
  id: string;
  email: string;
  displayName: string;
}

export interface LoginResult {
  token: string;
  sessionId: string;
  expiresAt: string;
  user: UserInfo;
  /** The user must set up two-factor authentication before anything else (org or instance rule). */
  mfaSetupRequired: boolean;
}

export interface OrgInfo {
  id: string;
  name: string;
  slug: string;
  suspended: boolean;
  role: OrgRole;
}

export interface Me {
  user: UserInfo;
  sessionId: string;
  platformRole: PlatformRole | null;
  orgs: OrgInfo[];
  mfaEnabled: boolean;
  /** This session may do nothing but set up two-factor authentication. */
  mfaSetupRequired: boolean;
}

function parseUser(v: unknown): UserInfo {
  if (!isObject(v) || typeof v.id !== 'string') throw badShape('user');
  return { id: v.id, email: str(v.email), displayName: str(v.displayName) };
}

export function parseOrgRole(v: unknown): OrgRole | null {
  return ORG_ROLES.find((r) => r === v) ?? null;
}

function parsePlatformRole(v: unknown): PlatformRole | null {
  return PLATFORM_ROLES.find((r) => r === v) ?? null;
}

/** Sign-in either opens a session or asks for a second factor first. */
export type SignInStep = { kind: 'session'; result: LoginResult } | { kind: 'mfa'; mfaToken: string };

export function parseLoginResult(v: unknown): LoginResult {
  if (!isObject(v)) throw badShape('sign-in');
  const token = str(v.token) || str(v.accessToken);
  if (!token) throw badShape('sign-in');
  return {
    token,
    sessionId: str(v.sessionId),
    expiresAt: str(v.accessExpiresAt) || str(v.expiresAt),
    user: parseUser(v.user),
    mfaSetupRequired: v.mfaSetupRequired === true,
  };
}

export function parseSignInStep(v: unknown): SignInStep {
  if (isObject(v) && v.mfaRequired === true && typeof v.mfaToken === 'string') return { kind: 'mfa', mfaToken: v.mfaToken };
  return { kind: 'session', result: parseLoginResult(v) };
}

export interface RefreshedToken {
  token: string;
  expiresAt: string;
}

export function parseRefreshedToken(v: unknown): RefreshedToken {
  if (!isObject(v)) throw badShape('refresh');
  const token = str(v.token) || str(v.accessToken);
  if (!token) throw badShape('refresh');
  return { token, expiresAt: str(v.accessExpiresAt) || str(v.expiresAt) };
}

export function parseMe(v: unknown): Me {
  if (!isObject(v) || !Array.isArray(v.orgs)) throw badShape('profile');
  const orgs: OrgInfo[] = [];
  for (const o of v.orgs) {
    if (!isObject(o) || typeof o.id !== 'string') continue;
    const role = parseOrgRole(o.role);
    if (!role) continue;
    orgs.push({ id: o.id, name: str(o.name) || o.id, slug: str(o.slug), suspended: o.suspended === true, role });
  }
  return {
    user: parseUser(v.user),
    sessionId: str(v.sessionId),
    platformRole: parsePlatformRole(v.platformRole),
    orgs,
    mfaEnabled: v.mfaEnabled === true,
    mfaSetupRequired: v.mfaSetupRequired === true,
  };
}
