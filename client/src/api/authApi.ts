/** The auth endpoints: sign in (with a second factor when enabled), refresh, who am I, sign out. */
import {
  parseLoginResult,
  parseMe,
  parseRefreshedToken,
  parseSignInStep,
  type LoginResult,
  type Me,
  type RefreshedToken,
  type SignInStep,
} from './authTypes.js';
import { requestJson } from './requestJson.js';

export async function login(email: string, password: string): Promise<SignInStep> {
  return parseSignInStep(await requestJson('/api/auth/login', { method: 'POST', body: { email, password } }));
}

/** What the second sign-in step sends: a code from the authenticator app, or a backup code. */
export type SecondFactor = { kind: 'totp'; code: string } | { kind: 'backup'; code: string };

export function secondFactorBody(factor: SecondFactor): { code: string } | { backupCode: string } {
  return factor.kind === 'totp' ? { code: factor.code.replace(/\s+/g, '') } : { backupCode: factor.code.trim() };
}

export async function verifyMfa(mfaToken: string, factor: SecondFactor): Promise<LoginResult> {
  const body = { mfaToken, ...secondFactorBody(factor) };
  return parseLoginResult(await requestJson('/api/auth/mfa/verify', { method: 'POST', body }));
}

/** Rotates the refresh cookie for a new access token (double-submit CSRF header). */
export async function refreshAccessToken(): Promise<RefreshedToken> {
  const csrf = /(?:^|;\s*)fs_csrf=([^;]*)/.exec(globalThis.document?.cookie ?? '')?.[1];
  const headers = csrf ? { 'x-csrf-token': decodeURIComponent(csrf) } : undefined;
  return parseRefreshedToken(await requestJson('/api/auth/refresh', { method: 'POST', body: {}, headers }));
}

export async function fetchMe(token: string): Promise<Me> {
  return parseMe(await requestJson('/api/me', { token }));
}

export async function logout(token: string): Promise<void> {
  await requestJson('/api/auth/logout', { method: 'POST', token });
}
