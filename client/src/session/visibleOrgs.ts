/** The organizations offered in the header: the user's own, plus every org for platform staff. */
import { canPlatform } from '@fleetsync/shared';
import type { Me } from '../api/authTypes.js';
import type { OrgSummary } from '../api/adminApi.js';
import { principalFromMe } from './principal.js';

/** Platform admins and support see every organization (GET /api/orgs), not only their memberships. */
export function seesAllOrgs(me: Me | null): boolean {
  if (!me) return false;
  const principal = principalFromMe(me.user.id, me);
  return canPlatform(principal, 'platform.orgs') || me.platformRole === 'support';
}

export function visibleOrgs(me: Me | null, platformOrgs: readonly OrgSummary[]): OrgSummary[] {
  const own: OrgSummary[] = (me?.orgs ?? []).map((o) => ({ ...o }));
  const ids = new Set(own.map((o) => o.id));
  const extra = platformOrgs.filter((o) => !ids.has(o.id));
  if (extra.length === 0) return own;
  return [...own, ...extra].sort((a, b) => a.name.localeCompare(b.name));
}
