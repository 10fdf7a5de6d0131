/** Read scope: the same capability module decides pull, stream and push visibility (SPEC S-S1). */
import { can, orgsWith, readsAllOrgs, type Principal, type ResourceKind } from '@fleetsync/shared';

export interface ReadScope {
  all: boolean;
  orgIds: string[];
}

export function readScope(principal: Principal, kind: ResourceKind): ReadScope {
  return { all: readsAllOrgs(principal, kind), orgIds: orgsWith(principal, `${kind}.read`) };
}

export function canReadOrg(principal: Principal, kind: ResourceKind, orgId: string): boolean {
  return can(principal, `${kind}.read`, { orgId });
}
