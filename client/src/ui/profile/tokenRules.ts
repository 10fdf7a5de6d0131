/** The API-token form's rules, matching the server's (POST /api/tokens). */
import { TOKEN_SCOPES, type TokenScope } from '@fleetsync/shared';

export const MAX_TOKEN_DAYS = 365;
/** Scopes only an org admin may give, and only to a token bound to that org. */
export const ADMIN_ONLY_SCOPES: readonly TokenScope[] = ['bridge', 'admin'];
const BRIDGE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export const SCOPE_LABELS: Record<TokenScope, string> = {
  'read:printers': 'Read printers',
  'write:printers': 'Change printers',
  'read:jobs': 'Read jobs',
  'write:jobs': 'Change jobs',
  'read:spools': 'Read spools',
  'write:spools': 'Change spools',
  'read:commands': 'Read commands',
  'write:commands': 'Send commands',
  'read:devices': 'Read devices',
  'write:devices': 'Change devices',
  bridge: 'Device bridge',
  admin: 'Administration',
};

/** The scopes the form offers: bridge and admin only to someone who administers an org. */
export function offeredScopes(adminOfSomeOrg: boolean): TokenScope[] {
  return TOKEN_SCOPES.filter((s) => adminOfSomeOrg || !ADMIN_ONLY_SCOPES.includes(s));
}

export interface TokenFormValues {
  name: string;
  scopes: readonly TokenScope[];
  days: string;
  orgId: string;
  bridgeId: string;
}

export type TokenFormErrors = Partial<Record<'name' | 'scopes' | 'days' | 'orgId' | 'bridgeId', string>>;

/** Problems per field (empty when the form may be sent); `adminOrgIds` are the orgs the user administers. */
export function tokenFormProblems(v: TokenFormValues, adminOrgIds: readonly string[]): TokenFormErrors {
  const errors: TokenFormErrors = {};
  const name = v.name.trim();
  if (!name) errors.name = 'Give the token a name.';
  else if (name.length > 80) errors.name = 'Use at most 80 characters.';
  if (v.scopes.length === 0) errors.scopes = 'Choose at least one scope.';
  const days = Number(v.days);
  if (!/^\d+$/.test(v.days.trim()) || days < 1 || days > MAX_TOKEN_DAYS)
    errors.days = `Enter a whole number of days from 1 to ${MAX_TOKEN_DAYS}.`;
  if (v.scopes.some((s) => ADMIN_ONLY_SCOPES.includes(s)) && !adminOrgIds.includes(v.orgId))
    errors.orgId = 'Bridge and administration tokens belong to one organization you administer: choose it.';
  if (v.scopes.includes('bridge') && !BRIDGE_ID.test(v.bridgeId.trim()))
    errors.bridgeId = 'Enter the bridge id: letters, digits, "-" or "_", at most 64.';
  return errors;
}
