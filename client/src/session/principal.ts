/** The capability principal of the signed-in user, built from `/api/me`. */
import type { OrgRole, Principal, UserId } from '@fleetsync/shared';
import type { Me } from '../api/authTypes.js';

export function principalFromMe(userId: string, me: Me | null): Principal {
  const memberships: Record<string, OrgRole> = {};
  for (const org of me?.orgs ?? []) memberships[org.id] = org.role;
  return { userId: userId as UserId, memberships, platformRole: me?.platformRole ?? null };
}
